"""The model set activated at run time, recorded in Redis so the workers (and a restarted API) follow it."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.errors import UpstreamUnavailable


def _unavailable(exc: Exception) -> UpstreamUnavailable:
    return UpstreamUnavailable(
        f"Redis is unavailable ({type(exc).__name__}); the active model set cannot be read or recorded",
        retry_after=5,
    )


class ModelChoice:
    """`ModelChoiceStore`: one string key `<prefix>:v1:ml:active_model` (store of record: no TTL)."""

    def __init__(self, redis: Redis, prefix: str):
        self._redis = redis
        self.key = f"{prefix}:v1:ml:active_model"

    async def get(self) -> str | None:
        """The recorded set name, if any."""
        try:
            raw = await self._redis.get(self.key)
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        if raw is None:
            return None
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)

    async def put(self, name: str) -> None:
        """Record `name` as the deployment's active set."""
        try:
            await self._redis.set(self.key, name)
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
