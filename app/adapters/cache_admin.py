"""Cache inspection and removal by SCAN pattern + UNLINK (never KEYS, FLUSHDB or the store of record)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from redis.asyncio import Redis

from app.adapters.cache import Cache
from app.adapters.keyspace import CACHE_KINDS, COMPANY_CACHE_KINDS, REDIS_ERRORS, Keyspace, redis_errors
from app.services.status_views import CacheStats, CacheUnavailable
from app.services.views import CacheInfoResponse, CacheMemory

# Everything else (latest, history, watch list, tasks, …) is the store of record: a cache clear keeps it.
_BATCH = 500
_CANNOT = "the cache cannot be inspected or cleared"


def _rate(hits: int, misses: int) -> float | None:
    return round(hits / (hits + misses), 4) if hits + misses else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _memory(info: dict[str, Any]) -> CacheMemory:
    """The three INFO memory fields reported; an odd value (another server's INFO) never fails the request."""
    used = info.get("used_memory")
    return CacheMemory(
        used_memory=_text(info.get("used_memory_human")),
        used_memory_bytes=used if isinstance(used, int) else None,
        maxmemory=_text(info.get("maxmemory_human")),
    )


class CacheAdmin:
    """`CacheMaintenance` over the service's Redis (or the embedded store)."""

    def __init__(self, redis: Redis, cache: Cache, keyspace: Keyspace, *, embedded: bool):
        self._redis = redis
        self._cache = cache
        self._keys = keyspace
        self._embedded = embedded

    async def info(self) -> CacheInfoResponse:
        """Keys per kind (one SCAN of this service's prefix), hit/miss counters and memory."""
        root = self._keys.root
        kinds: Counter[str] = Counter()
        with redis_errors(_CANNOT):
            async for raw in self._redis.scan_iter(match=self._keys.pattern(), count=1000):
                name = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
                rest = name[len(root) + 1 :]
                kinds["lock" if rest.endswith(":lock") else rest.split(":", 1)[0]] += 1
            stats = dict(await self._cache.stats())
            memory = {} if self._embedded else await self._redis.info("memory")
        hits, misses = stats.get("hits", 0), stats.get("misses", 0)
        return CacheInfoResponse(
            prefix=root,
            keys=dict(sorted(kinds.items())),
            cache_keys=sum(kinds[k] for k in (*CACHE_KINDS, "lock")),
            total_keys=sum(kinds.values()),
            hits=hits,
            misses=misses,
            hit_rate=_rate(hits, misses),
            memory=_memory(memory) if memory else None,
        )

    async def stats(self) -> CacheStats | CacheUnavailable:
        """Hit and miss counters and the hit rate; never raises."""
        try:
            stats = dict(await self._cache.stats())
        except REDIS_ERRORS as exc:
            return CacheUnavailable(status="unavailable", error=type(exc).__name__)
        hits, misses = stats.get("hits", 0), stats.get("misses", 0)
        return CacheStats(hits=hits, misses=misses, hit_rate=_rate(hits, misses))

    async def clear(self) -> dict[str, int]:
        """Delete every search, analysis and article cache key (with their locks); counts per kind."""
        with redis_errors(_CANNOT):
            return {kind: await self._delete(self._keys.pattern(kind)) for kind in CACHE_KINDS}

    async def clear_company(self, company: str) -> int:
        """Delete the company's cached searches and analyses (with their locks): one SCAN pattern per kind."""
        with redis_errors(_CANNOT):
            patterns = [self._keys.company_cache_pattern(kind, company) for kind in COMPANY_CACHE_KINDS]
            return sum([await self._delete(pattern) for pattern in patterns])

    async def _delete(self, pattern: str) -> int:
        deleted = 0
        batch: list[bytes] = []
        async for name in self._redis.scan_iter(match=pattern, count=_BATCH):
            batch.append(name)
            if len(batch) >= _BATCH:
                deleted += int(await self._redis.unlink(*batch))
                batch.clear()
        if batch:
            deleted += int(await self._redis.unlink(*batch))
        return deleted
