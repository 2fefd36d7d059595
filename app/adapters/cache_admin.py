"""Cache inspection and removal by key prefix with SCAN + UNLINK (never KEYS, FLUSHDB or the store)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.adapters.cache import Cache
from app.errors import UpstreamUnavailable

# Cached copies that can always be recomputed; everything else under the prefix is kept.
CACHE_KINDS = ("search", "analysis", "article")
# The store of record and background bookkeeping: never deleted by a cache clear.
STORE_KINDS = ("latest", "history", "record", "companies", "watchlist", "task", "pending", "lease")
_BATCH = 500


def _unavailable(exc: Exception) -> UpstreamUnavailable:
    return UpstreamUnavailable(
        f"Redis is unavailable ({type(exc).__name__}); the cache cannot be inspected or cleared",
        retry_after=5,
    )


def _rate(hits: int, misses: int) -> float | None:
    return round(hits / (hits + misses), 4) if hits + misses else None


class CacheAdmin:
    """`CacheMaintenance` over the service's Redis (or the embedded store)."""

    def __init__(self, redis: Redis, cache: Cache, *, embedded: bool):
        self._redis = redis
        self._cache = cache
        self._embedded = embedded

    async def info(self) -> dict[str, Any]:
        """Keys per kind (one SCAN of this service's prefix), hit/miss counters and memory."""
        prefix = self._cache.prefix
        kinds: Counter[str] = Counter()
        try:
            async for raw in self._redis.scan_iter(match=f"{prefix}:*", count=1000):
                name = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
                rest = name[len(prefix) + 1 :]
                kinds["lock" if rest.endswith(":lock") else rest.split(":", 1)[0]] += 1
            stats = dict(await self._cache.stats())
            memory = {} if self._embedded else await self._redis.info("memory")
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        hits, misses = stats.get("hits", 0), stats.get("misses", 0)
        return {
            "prefix": prefix,
            "keys": dict(sorted(kinds.items())),
            "cache_keys": sum(kinds[k] for k in (*CACHE_KINDS, "lock")),
            "total_keys": sum(kinds.values()),
            "hits": hits,
            "misses": misses,
            "hit_rate": _rate(hits, misses),
            "memory": {
                "used_memory": memory.get("used_memory_human"),
                "used_memory_bytes": memory.get("used_memory"),
                "maxmemory": memory.get("maxmemory_human"),
            }
            if memory
            else None,
        }

    async def stats(self) -> dict[str, Any]:
        """Hit and miss counters and the hit rate; never raises."""
        try:
            stats = dict(await self._cache.stats())
        except (RedisError, OSError) as exc:
            return {"status": "unavailable", "error": type(exc).__name__}
        hits, misses = stats.get("hits", 0), stats.get("misses", 0)
        return {"hits": hits, "misses": misses, "hit_rate": _rate(hits, misses)}

    async def clear(self) -> dict[str, int]:
        """Delete every search, analysis and article cache key (with their locks); counts per kind."""
        try:
            return {kind: await self._cache.delete_prefix(f"{kind}:*") for kind in CACHE_KINDS}
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def unlink(self, keys: Sequence[str]) -> int:
        """Delete these keys (those that exist), in batches."""
        deleted = 0
        try:
            for start in range(0, len(keys), _BATCH):
                deleted += int(await self._redis.unlink(*keys[start : start + _BATCH]))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        return deleted
