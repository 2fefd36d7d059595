"""The model set activated at run time, recorded in Redis so the workers (and a restarted API) follow it."""

from __future__ import annotations

from redis.asyncio import Redis

from app.adapters.keyspace import Keyspace, redis_errors

_CANNOT = "the active model set cannot be read or recorded"


class ModelChoice:
    """`ModelChoiceStore`: one string key `<prefix>:v1:ml:active_model` (store of record: no TTL)."""

    def __init__(self, redis: Redis, keyspace: Keyspace):
        self._redis = redis
        self.key = keyspace.active_model()

    async def get(self) -> str | None:
        """The recorded set name, if any."""
        with redis_errors(_CANNOT):
            raw = await self._redis.get(self.key)
        if raw is None:
            return None
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)

    async def put(self, name: str) -> None:
        """Record `name` as the deployment's active set."""
        with redis_errors(_CANNOT):
            await self._redis.set(self.key, name)
