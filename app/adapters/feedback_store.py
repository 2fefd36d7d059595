"""Analyst corrections (labels) per article, in Redis: the store of record for feedback training rows."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from app.adapters.keyspace import Keyspace, redis_errors

_CANNOT = "analyst labels cannot be read or written"


class FeedbackStore:
    """A hash `article id → label record` (no TTL: labels are training data)."""

    def __init__(self, redis: Redis, keyspace: Keyspace):
        self._redis = redis
        self._key = keyspace.feedback()

    async def put(self, article_id: str, record: dict[str, Any]) -> bool:
        """Store the article's label; True when it replaced an earlier one."""
        with redis_errors(_CANNOT):
            added = await self._redis.hset(self._key, article_id, json.dumps(record, ensure_ascii=False))
        return not added

    async def delete(self, article_id: str) -> bool:
        """Forget the article's label; False if it had none."""
        with redis_errors(_CANNOT):
            return bool(await self._redis.hdel(self._key, article_id))

    async def all(self) -> list[dict[str, Any]]:
        """Every label record, oldest first."""
        with redis_errors(_CANNOT):
            raw = await self._redis.hgetall(self._key)
        records = [json.loads(v) for v in raw.values()]
        return sorted(records, key=lambda r: (r.get("labeled_at", ""), r.get("article_id", "")))
