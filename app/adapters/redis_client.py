"""Redis connections: a real server, or an in-process Redis-compatible store in embedded mode."""

from __future__ import annotations

import logging

from redis.asyncio import Redis

from app.adapters.keyspace import REDIS_ERRORS
from app.services.status_views import RedisEmbedded, RedisOk, RedisState, RedisUnavailable
from app.settings import RedisSettings

log = logging.getLogger(__name__)


def create_redis(settings: RedisSettings) -> Redis:
    """One async client per process; explicit timeouts so a frozen server never hangs a request."""
    if settings.embedded:
        from fakeredis import FakeServer

        from app.adapters.embedded_store import TrackedFakeRedis

        log.info("REDIS_URL is empty: embedded mode (in-process store, in-process background jobs)")
        return TrackedFakeRedis(server=FakeServer(), decode_responses=False)
    return Redis.from_url(
        settings.url,
        socket_timeout=settings.timeout_seconds,
        socket_connect_timeout=settings.timeout_seconds,
        health_check_interval=30,
        retry_on_timeout=False,
        decode_responses=False,
    )


def redis_target(settings: RedisSettings) -> str:
    """Where Redis lives, with any password removed, for health and logs."""
    if settings.embedded:
        return "embedded"
    from urllib.parse import urlsplit

    parts = urlsplit(settings.url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class RedisProbe:
    """Reachability, latency and memory of the Redis in use, for health and status."""

    def __init__(self, redis: Redis, settings: RedisSettings):
        self._redis = redis
        self._settings = settings

    async def check(self) -> RedisState:
        """`status` is ok, embedded or unavailable; never raises."""
        import time

        target = redis_target(self._settings)
        started = time.perf_counter()
        try:
            await self._redis.ping()
            latency = round((time.perf_counter() - started) * 1000, 2)
            if self._settings.embedded:
                return RedisEmbedded(status="embedded", target=target, latency_ms=latency)
            info = await self._redis.info("memory")
        except REDIS_ERRORS as exc:
            return RedisUnavailable(status="unavailable", target=target, error=type(exc).__name__)
        used = info.get("used_memory_human")
        memory = None if used is None else str(used)
        return RedisOk(status="ok", target=target, latency_ms=latency, used_memory=memory)
