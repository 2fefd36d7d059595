"""Redis connections: a real server, or an in-process Redis-compatible store in embedded mode."""

from __future__ import annotations

import logging

from redis.asyncio import Redis

from app.settings import RedisSettings

log = logging.getLogger(__name__)


def create_redis(settings: RedisSettings) -> Redis:
    """One async client per process; explicit timeouts so a frozen server never hangs a request."""
    if settings.embedded:
        from fakeredis import FakeServer
        from fakeredis.aioredis import FakeRedis

        log.info("REDIS_URL is empty: embedded mode (in-process store, in-process background jobs)")
        return FakeRedis(server=FakeServer(), decode_responses=False)
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
