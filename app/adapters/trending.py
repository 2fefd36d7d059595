"""Hourly counters of searched queries and of nouns in returned articles, for `GET /trending`."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable

from redis.asyncio import Redis

from app.adapters.counters import BufferedCounters
from app.adapters.keyspace import Keyspace, redis_errors

log = logging.getLogger(__name__)
BUCKET_SECONDS = 3600


class TrendingStore:
    """Sorted sets per hour bucket; each bucket expires once it leaves the longest window."""

    def __init__(self, redis: Redis, keyspace: Keyspace, max_window_hours: int, counters: BufferedCounters):
        self._redis = redis
        self._counters = counters
        self._bucket = keyspace.trend
        self._ttl = (max_window_hours + 1) * BUCKET_SECONDS

    async def record(self, kind: str, terms: Iterable[str]) -> None:
        """Add one to each term in the current hour (buffered; Redis failures drop the batch)."""
        key = self._bucket(kind, int(time.time() // BUCKET_SECONDS))
        for term, n in Counter(t for t in terms if t).items():
            self._counters.zincr(key, term, n, self._ttl)

    async def top(self, kind: str, *, window_hours: int, limit: int) -> list[tuple[str, float]]:
        """Terms with the highest counts summed over the last `window_hours` hours."""
        await self._counters.flush()
        now_hour = int(time.time() // BUCKET_SECONDS)
        keys = [self._bucket(kind, now_hour - h) for h in range(window_hours)]
        with redis_errors("trending terms cannot be read"):
            async with self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.zrange(key, 0, -1, withscores=True)
                buckets = await pipe.execute()
        totals: dict[str, float] = {}
        for bucket in buckets:
            for term, score in bucket:
                name = term.decode("utf-8") if isinstance(term, bytes) else term
                totals[name] = totals.get(name, 0.0) + float(score)
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
