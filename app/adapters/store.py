"""The store of record: each company's latest analysis and a capped, idempotent history of snapshots."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, cast

from pydantic import ValidationError
from redis.asyncio import Redis

from app.adapters.keyspace import REDIS_ERRORS, Keyspace, redis_errors
from app.domain.summary import HistorySnapshot, latest_meta

logger = logging.getLogger(__name__)

# Record ids are remembered this long so a redelivered task never adds a second record.
_RECORD_ID_TTL = 7 * 24 * 3600
_CANNOT = "history and latest results cannot be read or written"


class AnalysisStore:
    """Latest result per company (no TTL) and a sorted-set history trimmed to `history_cap` entries."""

    def __init__(self, redis: Redis, keyspace: Keyspace, history_cap: int = 500):
        self._redis = redis
        self._keys = keyspace
        self._cap = history_cap
        self._companies_key = keyspace.companies()

    async def save(self, company: str, result_json: str, record: dict[str, Any]) -> bool:
        """Store latest + append `record` (must carry a unique `id`); False if that id was stored before."""
        seen_key = self._keys.record_seen(company, record["id"])
        score = datetime.fromisoformat(record["time"]).timestamp()
        with redis_errors(_CANNOT):
            if not await self._redis.set(seen_key, 1, nx=True, ex=_RECORD_ID_TTL):
                return False
            history = self._keys.history(company)
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(self._keys.latest(company), result_json)
                pipe.zadd(history, {json.dumps(record, ensure_ascii=False, sort_keys=True): score})
                pipe.zremrangebyrank(history, 0, -(self._cap + 1))
                pipe.hset(self._companies_key, company, json.dumps(latest_meta(record), ensure_ascii=False))
                await pipe.execute()
        return True

    async def show(self, company: str, result_json: str, record: dict[str, Any]) -> bool:
        """Make an analysis served again (a cache hit) the company's latest; False if it already was.

        History is not touched. Repeated hits of one analysis cost one small read each, not a write.
        """
        with redis_errors(_CANNOT):
            shown = await self._redis.hget(self._companies_key, company)
            if shown is not None and json.loads(shown).get("last_run") == record["time"]:
                return False
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(self._keys.latest(company), result_json)
                pipe.hset(self._companies_key, company, json.dumps(latest_meta(record), ensure_ascii=False))
                await pipe.execute()
        return True

    async def latest(self, company: str) -> str | None:
        """The latest analysis as JSON text, if any."""
        with redis_errors(_CANNOT):
            raw = await self._redis.get(self._keys.latest(company))
        return raw.decode("utf-8") if isinstance(raw, bytes) else raw

    async def history(
        self, company: str, *, limit: int = 20, since: datetime | None = None
    ) -> list[HistorySnapshot]:
        """Newest-first snapshots, at most `limit`, not older than `since`."""
        low = since.timestamp() if since else "-inf"
        with redis_errors(_CANNOT):
            raw = await self._redis.zrevrangebyscore(
                self._keys.history(company), "+inf", low, start=0, num=limit
            )
        return [record for item in raw if (record := _readable(company, cast(bytes, item))) is not None]

    async def companies(self) -> dict[str, dict[str, Any]]:
        """Every company with a stored analysis: what its latest shows (`latest_meta`)."""
        with redis_errors(_CANNOT):
            raw = await self._redis.hgetall(self._companies_key)
        return {
            (k.decode("utf-8") if isinstance(k, bytes) else k): json.loads(v) for k, v in sorted(raw.items())
        }


def _readable(company: str, raw: bytes) -> HistorySnapshot | None:
    """A history record as a snapshot; a damaged one is logged and skipped (never a 500)."""
    try:
        return HistorySnapshot.model_validate_json(raw)
    except ValidationError as exc:  # invalid JSON and invalid UTF-8 are validation errors too
        logger.warning("skipping a damaged history record of %s: %s", company, str(exc)[:200])
        return None


class ArticleResultCache:
    """Per-article analyses keyed by model set and content, so recurring articles are classified once."""

    def __init__(self, redis: Redis, keyspace: Keyspace, ttl_seconds: int = 7 * 24 * 3600):
        self._redis = redis
        self._ttl = ttl_seconds
        self._key = keyspace.article

    async def get_many(self, model_key: str, contents: list[str]) -> list[str | None]:
        """Cached JSON per content (None where absent); Redis errors read as all-missing."""
        if not contents:
            return []
        try:
            raw = await self._redis.mget([self._key(model_key, c) for c in contents])
        except REDIS_ERRORS:
            return [None] * len(contents)
        return [r.decode("utf-8") if isinstance(r, bytes) else r for r in raw]

    async def put_many(self, model_key: str, values: dict[str, str]) -> None:
        """Store JSON per content; failures are ignored (the next request classifies again)."""
        if not values:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for content, value in values.items():
                    pipe.set(self._key(model_key, content), value, ex=self._ttl)
                await pipe.execute()
        except REDIS_ERRORS:
            return
