"""Cache-first reads with stale copies, single-flight per key, and Redis failures treated as misses."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import LockError

from app.adapters.counters import BufferedCounters
from app.adapters.keyspace import REDIS_ERRORS, Keyspace
from app.errors import AppError
from app.metrics import CACHE
from app.services.ports import CacheOutcome, Loader
from app.settings import CacheSettings

log = logging.getLogger(__name__)

# A separator that cannot occur in the fresh-until timestamp.
_SEP = b"\n"
# What a leader whose load failed leaves in its lock for a moment: followers then try once themselves (as
# they always did) instead of taking the lock over one after another against a failing upstream. Followers
# look every 100 ms at most, so one second reaches them all.
_GAVE_UP = b"gave-up"
_GAVE_UP_MS = 1000
_GIVE_UP = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
    return 1
end
return 0
"""


@dataclass(frozen=True)
class _Entry:
    value: str
    fresh_until: float
    stored_at: float

    @property
    def fresh(self) -> bool:
        return time.time() < self.fresh_until


class Cache:
    """JSON text values under hashed keys, each with a fresh lifetime and a longer stale lifetime."""

    def __init__(self, redis: Redis, settings: CacheSettings, keyspace: Keyspace, counters: BufferedCounters):
        self._redis = redis
        self._counters = counters
        self._settings = settings
        self._keys = keyspace
        self._ttl = settings.lock_ttl_ms / 1000
        self._lease = min(settings.lock_lease_ms, settings.lock_ttl_ms) / 1000
        self._give_up = redis.register_script(_GIVE_UP)

    def key(self, kind: str, query: str, **params: Any) -> str:
        """`<prefix>:v1:<kind>:<sha256(normalised query)>:<sha256(parameters)>` (see `Keyspace.cache`)."""
        return self._keys.cache(kind, query, **params)

    def jittered(self, ttl: int) -> int:
        """TTL with ± jitter so keys written together do not expire together."""
        spread = ttl * self._settings.jitter
        return max(1, round(ttl + random.uniform(-spread, spread)))

    async def read(self, key: str) -> tuple[_Entry | None, bool]:
        """The entry (fresh or stale) and whether Redis failed."""
        try:
            raw = await self._redis.get(key)
        except REDIS_ERRORS as exc:
            log.warning("cache read failed, treating as a miss: %s", type(exc).__name__)
            return None, True
        return _decode(raw), False

    async def peek(self, key: str) -> str | None:
        """The cached value, fresh or stale, without loading; None when absent or Redis failed."""
        entry, _ = await self.read(key)
        return entry.value if entry is not None else None

    async def write(self, key: str, value: str, ttl: int) -> None:
        """Store with a jittered fresh TTL; the key lives on for `stale_ttl` more as a stale copy."""
        fresh = self.jittered(ttl)
        now = time.time()
        payload = f"{now + fresh:.3f} {now:.3f}".encode() + _SEP + value.encode("utf-8")
        try:
            await self._redis.set(key, payload, ex=fresh + self._settings.stale_ttl)
        except REDIS_ERRORS as exc:
            log.warning("cache write failed, ignored: %s", type(exc).__name__)

    def count(self, field: str) -> None:
        """Increment a shared hit/miss counter (buffered; see `BufferedCounters`)."""
        self._counters.hincr(self._keys.cache_stats(), field)
        CACHE.labels(field).inc()

    async def fetch(self, key: str, loader: Loader, *, force_refresh: bool = False) -> CacheOutcome:
        """Cache-first read; on a miss one caller per key (across processes) runs `loader`."""
        entry, degraded = await self.read(key)
        if entry is not None and entry.fresh and not force_refresh:
            self.count("hits")
            return CacheOutcome(entry.value, cache_hit=True)
        self.count("misses")
        if degraded:
            return await self._load(key, loader, stale=None, degraded=True)

        started = time.time()
        lock = self._lock(key)
        try:
            acquired = await lock.acquire()
        except REDIS_ERRORS:
            return await self._load(key, loader, stale=entry, degraded=True)
        if acquired:
            return await self._lead(key, loader, lock, stale=entry)
        return await self._follow(key, loader, stale=entry, since=started if force_refresh else None)

    def _lock(self, key: str) -> Any:
        # A short lease, renewed while the holder works (`_keep`): a holder that dies (kill -9) blocks the
        # key for one lease, not for the whole CACHE_LOCK_TTL_MS.
        return self._redis.lock(f"{key}:lock", timeout=self._lease, blocking=False)

    async def _lead(self, key: str, loader: Loader, lock: Any, *, stale: _Entry | None) -> CacheOutcome:
        """Load as the key's one caller while a heartbeat renews the lock's lease."""
        heartbeat = asyncio.create_task(self._keep(lock))
        gave_up = False
        try:
            outcome = await self._load(key, loader, stale=stale, degraded=False)
            gave_up = outcome.stale
            return outcome
        except AppError:
            gave_up = True
            raise
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            # A leader that was cancelled just frees the lock: one follower takes over, as from a dead one.
            await (self._abandon(lock) if gave_up else _release(lock))

    async def _keep(self, lock: Any) -> None:
        """Renew the lease every third of it, for at most CACHE_LOCK_TTL_MS in all (the old bound)."""
        end = time.monotonic() + self._ttl
        while True:
            await asyncio.sleep(self._lease / 3)
            if time.monotonic() + self._lease > end:
                return  # a leader slower than the lock TTL loses exclusivity, as it always did
            try:
                await lock.reacquire()
            except LockError:  # expired (this loop stalled for a whole lease) or taken over: nothing to keep
                _stop_if_cancelled()
                log.warning("single-flight lock %s was lost before its holder finished", lock.name)
                return
            except REDIS_ERRORS:
                pass  # the next beat tries again; the lease outlasts two missed beats
            _stop_if_cancelled()

    async def _abandon(self, lock: Any) -> None:
        token = getattr(lock.local, "token", None)
        if token is None:
            return
        with contextlib.suppress(*REDIS_ERRORS):
            await self._give_up(keys=[lock.name], args=[token, _GAVE_UP, _GAVE_UP_MS])

    async def _load(self, key: str, loader: Loader, *, stale: _Entry | None, degraded: bool) -> CacheOutcome:
        try:
            value, ttl = await loader()
        except AppError as exc:
            if stale is None:
                raise
            log.warning("upstream failed (%s); serving the stale copy", exc.error_type)
            return CacheOutcome(stale.value, cache_hit=True, stale=True, degraded=degraded)
        # Degraded: Redis just failed us, a write would most likely wait out another timeout. A ttl of 0
        # is the loader saying its value must not be kept under this key.
        if not degraded and ttl > 0:
            await self.write(key, value, ttl)
        return CacheOutcome(value, cache_hit=False, degraded=degraded)

    async def _follow(
        self, key: str, loader: Loader, *, stale: _Entry | None, since: float | None
    ) -> CacheOutcome:
        """Wait for the lock's holder to fill the key; take the lock over when the holder is gone."""
        deadline = time.monotonic() + self._ttl
        delay = 0.01
        while time.monotonic() < deadline:
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, 0.1)
            entry, degraded = await self.read(key)
            if degraded:
                break
            if (value := _filled(entry, since)) is not None:
                return CacheOutcome(value, cache_hit=True)
            lock = self._lock(key)
            try:
                holder = await self._redis.get(lock.name)
                # The holder died (its lease ran out) or was cancelled: one follower takes over.
                took_over = holder is None and await lock.acquire()
            except REDIS_ERRORS:
                break
            if holder == _GAVE_UP:
                break  # the leader's upstream call failed: try once ourselves
            if took_over:
                return await self._lead_unless_filled(key, loader, lock, stale=stale, since=since)
        return await self._load(key, loader, stale=stale, degraded=False)

    async def _lead_unless_filled(
        self, key: str, loader: Loader, lock: Any, *, stale: _Entry | None, since: float | None
    ) -> CacheOutcome:
        # The leader may have filled the key and let go between our two reads: look once more.
        entry, _ = await self.read(key)
        if (value := _filled(entry, since)) is not None:
            await _release(lock)
            return CacheOutcome(value, cache_hit=True)
        return await self._lead(key, loader, lock, stale=stale)

    async def stats(self) -> Mapping[str, int]:
        """Shared hit and miss counters."""
        await self._counters.flush()
        raw = await self._redis.hgetall(self._keys.cache_stats())
        return {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in raw.items()}


def _stop_if_cancelled() -> None:
    # A client call can swallow a cancellation (asyncio.wait_for before Python 3.12 does, when its inner call
    # completes at the same moment): a heartbeat that went on beating would keep its leader waiting forever.
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def _filled(entry: _Entry | None, since: float | None) -> str | None:
    """The entry's value if it is fresh (and, for a forced refresh, stored after `since`)."""
    if entry is None or not entry.fresh or (since is not None and entry.stored_at < since):
        return None
    return entry.value


def _decode(raw: bytes | str | None) -> _Entry | None:
    if not raw:
        return None
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    header, sep, body = raw.partition(_SEP)
    try:
        fresh_until, stored_at = (float(x) for x in header.split(b" "))
    except ValueError:
        return None
    return _Entry(body.decode("utf-8"), fresh_until, stored_at) if sep else None


async def _release(lock: Any) -> None:
    # Expired or Redis gone: the TTL cleans up, and the token check means we never free someone else's.
    with contextlib.suppress(LockError, *REDIS_ERRORS):
        await lock.release()
