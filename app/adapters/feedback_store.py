"""Analyst corrections (labels) per article, in Redis: the store of record for feedback training rows."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.errors import UpstreamUnavailable


def _unavailable(exc: Exception) -> UpstreamUnavailable:
    return UpstreamUnavailable(
        f"Redis is unavailable ({type(exc).__name__}); analyst labels cannot be read or written",
        retry_after=5,
    )


class FeedbackStore:
    """A hash `article id → label record` (no TTL: labels are training data)."""

    def __init__(self, redis: Redis, prefix: str):
        self._redis = redis
        self._key = f"{prefix}:v1:feedback"

    async def put(self, article_id: str, record: dict[str, Any]) -> bool:
        """Store the article's label; True when it replaced an earlier one."""
        try:
            added = await self._redis.hset(self._key, article_id, json.dumps(record, ensure_ascii=False))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        return not added

    async def delete(self, article_id: str) -> bool:
        """Forget the article's label; False if it had none."""
        try:
            return bool(await self._redis.hdel(self._key, article_id))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def all(self) -> list[dict[str, Any]]:
        """Every label record, oldest first."""
        try:
            raw = await self._redis.hgetall(self._key)
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        records = [json.loads(v) for v in raw.values()]
        return sorted(records, key=lambda r: (r.get("labeled_at", ""), r.get("article_id", "")))
