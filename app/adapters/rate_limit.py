"""Per-client request budgets in Redis (the embedded store in embedded mode): fixed one-minute windows."""

from __future__ import annotations

import logging
import time

from redis.asyncio import Redis

from app.adapters.keyspace import REDIS_ERRORS, Keyspace

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60


class RateLimiter:
    """Counts requests per (budget, client, minute); fails open when Redis is unavailable."""

    def __init__(self, redis: Redis, keyspace: Keyspace):
        self._redis = redis
        self._key = keyspace.rate_limit

    async def hit(self, budget: str, client: str, limit: int) -> int | None:
        """Count one request; None when allowed, else seconds until the window resets."""
        if limit <= 0:
            return None
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = self._key(budget, client, window)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.incr(key)
                pipe.expire(key, WINDOW_SECONDS + 1)
                count, _ = await pipe.execute()
        except REDIS_ERRORS as exc:
            # Refusing every request because the limiter's store is down would turn a Redis
            # outage into a full outage; searches already degrade to live answers then.
            log.warning("rate limit not enforced (Redis unavailable): %s", type(exc).__name__)
            return None
        if int(count) <= limit:
            return None
        return max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
