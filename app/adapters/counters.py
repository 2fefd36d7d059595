"""Counters buffered in-process and flushed to Redis in one pipeline at most once per interval.

Hit/miss statistics and trending counts are bookkeeping: sending each increment as its own
round trip would cost more than the cache hit it counts. A crash loses at most one interval.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter

from redis.asyncio import Redis

from app.adapters.keyspace import REDIS_ERRORS

log = logging.getLogger(__name__)


class BufferedCounters:
    """`HINCRBY` and `ZINCRBY` increments, summed in memory and written in batches."""

    def __init__(self, redis: Redis, interval: float = 1.0):
        self._redis = redis
        self._interval = interval
        self._hash: Counter[tuple[str, str]] = Counter()
        self._zset: Counter[tuple[str, str]] = Counter()
        self._ttl: dict[str, int] = {}
        self._last_flush = time.monotonic()
        self._flushing: asyncio.Task[None] | None = None

    def hincr(self, key: str, field: str, amount: int = 1) -> None:
        """Add to a hash field."""
        self._hash[(key, field)] += amount
        self._maybe_flush()

    def zincr(self, key: str, member: str, amount: float, ttl: int) -> None:
        """Add to a sorted-set member; the key expires `ttl` seconds after its last write."""
        self._zset[(key, member)] += amount  # type: ignore[assignment]
        self._ttl[key] = ttl
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if time.monotonic() - self._last_flush < self._interval:
            return
        if self._flushing is None or self._flushing.done():
            try:
                self._flushing = asyncio.get_running_loop().create_task(self.flush())
            except RuntimeError:  # no loop (synchronous caller): the next flush picks it up
                return

    async def flush(self) -> None:
        """Write everything buffered so far; on a Redis error the batch is dropped and logged."""
        self._last_flush = time.monotonic()
        hashes, zsets, ttls = self._hash, self._zset, self._ttl
        if not hashes and not zsets:
            return
        self._hash, self._zset, self._ttl = Counter(), Counter(), {}
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for (key, field), amount in hashes.items():
                    pipe.hincrby(key, field, amount)
                for (key, member), score in zsets.items():
                    pipe.zincrby(key, score, member)
                for key, ttl in ttls.items():
                    pipe.expire(key, ttl)
                await pipe.execute()
        except REDIS_ERRORS as exc:
            dropped = len(hashes) + len(zsets)
            log.warning("dropped %d buffered counter updates: %s", dropped, type(exc).__name__)
