"""Alert rules, per-company article baselines, delivery claims and the delivery log, in Redis."""

from __future__ import annotations

import json
from typing import Any, cast

from redis.asyncio import Redis

from app.adapters.keyspace import Keyspace, redis_errors
from app.domain.text import normalize_query

_BASELINE_TTL = 30 * 24 * 3600
_LOG_TTL = 30 * 24 * 3600
_CANNOT = "alert rules and deliveries cannot be read or written"


def _text(raw: object) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)


class AlertStore:
    """Rules: a hash `normalised company → {company, rules, updated_at}` (store of record, no TTL).

    Claims: `alert:<sha256(alert id)>` taken with SET NX, so one firing is delivered once however often
    its refresh task runs. Deliveries: a capped list, newest first.
    """

    def __init__(self, redis: Redis, keyspace: Keyspace, deliveries_kept: int = 200):
        self._redis = redis
        self._keys = keyspace
        self._rules = keyspace.alert_rules()
        self._log = keyspace.alert_deliveries()
        self._kept = deliveries_kept

    # -- rules -------------------------------------------------------------------------------------

    async def get_rules(self, company: str) -> dict[str, Any] | None:
        """The company's rule set, if any."""
        with redis_errors(_CANNOT):
            raw = await self._redis.hget(self._rules, normalize_query(company))
        return json.loads(raw) if raw else None

    async def put_rules(self, company: str, entry: dict[str, Any]) -> None:
        """Replace the company's rule set."""
        with redis_errors(_CANNOT):
            value = json.dumps(entry, ensure_ascii=False)
            await self._redis.hset(self._rules, normalize_query(company), value)

    async def delete_rules(self, company: str) -> bool:
        """Remove the company's rule set; False if it had none."""
        with redis_errors(_CANNOT):
            return bool(await self._redis.hdel(self._rules, normalize_query(company)))

    async def all_rules(self) -> list[dict[str, Any]]:
        """Every company's rule set."""
        with redis_errors(_CANNOT):
            raw = await self._redis.hgetall(self._rules)
        return [json.loads(v) for _, v in sorted(raw.items())]

    # -- baselines: the articles of the previous refresh -------------------------------------------

    async def get_baseline(self, company: str) -> dict[str, Any] | None:
        """`{record_id, previous, current}` of the company's last evaluated refresh."""
        with redis_errors(_CANNOT):
            raw = await self._redis.get(self._keys.alert_baseline(company))
        return json.loads(raw) if raw else None

    async def put_baseline(self, company: str, baseline: dict[str, Any]) -> None:
        """Remember the articles of the refresh just evaluated."""
        key = self._keys.alert_baseline(company)
        with redis_errors(_CANNOT):
            await self._redis.set(key, json.dumps(baseline, ensure_ascii=False), ex=_BASELINE_TTL)

    # -- exactly-once claims -----------------------------------------------------------------------

    async def claim(self, alert_id: str, ttl_seconds: int) -> bool:
        """Take the firing for delivery (SET NX); False when it was sent, failed, or is being sent."""
        with redis_errors(_CANNOT):
            return bool(await self._redis.set(self._keys.alert_claim(alert_id), "sending", nx=True,
                                              ex=ttl_seconds))

    async def settle(self, alert_id: str, state: str, ttl_seconds: int) -> None:
        """Mark a claimed firing `sent` or `failed` for good (kept `ttl_seconds`)."""
        with redis_errors(_CANNOT):
            await self._redis.set(self._keys.alert_claim(alert_id), state, ex=ttl_seconds)

    # -- delivery log ------------------------------------------------------------------------------

    async def record_delivery(self, delivery: dict[str, Any]) -> None:
        """Prepend a delivery to the capped log."""
        with redis_errors(_CANNOT):
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.lpush(self._log, json.dumps(delivery, ensure_ascii=False))
                pipe.ltrim(self._log, 0, self._kept - 1)
                pipe.expire(self._log, _LOG_TTL)
                await pipe.execute()

    async def deliveries(self, limit: int) -> list[dict[str, Any]]:
        """The most recent deliveries, newest first."""
        with redis_errors(_CANNOT):
            raw = await self._redis.lrange(self._log, 0, limit - 1)
        return [json.loads(_text(cast(bytes, item))) for item in raw]
