"""Alert rules, per-company article baselines, delivery claims and the delivery log, in Redis."""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.domain.text import normalize_query
from app.errors import UpstreamUnavailable

_BASELINE_TTL = 30 * 24 * 3600
_LOG_TTL = 30 * 24 * 3600


def _unavailable(exc: Exception) -> UpstreamUnavailable:
    return UpstreamUnavailable(
        f"Redis is unavailable ({type(exc).__name__}); alert rules and deliveries cannot be read or written",
        retry_after=5,
    )


def _text(raw: object) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)


class AlertStore:
    """Rules: a hash `normalised company → {company, rules, updated_at}` (store of record, no TTL).

    Claims: `alert:<sha256(alert id)>` taken with SET NX, so one firing is delivered once however often
    its refresh task runs. Deliveries: a capped list, newest first.
    """

    def __init__(self, redis: Redis, prefix: str, deliveries_kept: int = 200):
        self._redis = redis
        self._prefix = f"{prefix}:v1"
        self._rules = f"{self._prefix}:alert_rules"
        self._log = f"{self._prefix}:alert_deliveries"
        self._kept = deliveries_kept

    def _hashed(self, kind: str, value: str) -> str:
        return f"{self._prefix}:{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()}"

    # -- rules -------------------------------------------------------------------------------------

    async def get_rules(self, company: str) -> dict[str, Any] | None:
        """The company's rule set, if any."""
        try:
            raw = await self._redis.hget(self._rules, normalize_query(company))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        return json.loads(raw) if raw else None

    async def put_rules(self, company: str, entry: dict[str, Any]) -> None:
        """Replace the company's rule set."""
        try:
            value = json.dumps(entry, ensure_ascii=False)
            await self._redis.hset(self._rules, normalize_query(company), value)
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def delete_rules(self, company: str) -> bool:
        """Remove the company's rule set; False if it had none."""
        try:
            return bool(await self._redis.hdel(self._rules, normalize_query(company)))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def all_rules(self) -> list[dict[str, Any]]:
        """Every company's rule set."""
        try:
            raw = await self._redis.hgetall(self._rules)
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        return [json.loads(v) for _, v in sorted(raw.items())]

    # -- baselines: the articles of the previous refresh -------------------------------------------

    async def get_baseline(self, company: str) -> dict[str, Any] | None:
        """`{record_id, previous, current}` of the company's last evaluated refresh."""
        try:
            raw = await self._redis.get(self._hashed("alert_baseline", normalize_query(company)))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        return json.loads(raw) if raw else None

    async def put_baseline(self, company: str, baseline: dict[str, Any]) -> None:
        """Remember the articles of the refresh just evaluated."""
        key = self._hashed("alert_baseline", normalize_query(company))
        try:
            await self._redis.set(key, json.dumps(baseline, ensure_ascii=False), ex=_BASELINE_TTL)
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    # -- exactly-once claims -----------------------------------------------------------------------

    async def claim(self, alert_id: str, ttl_seconds: int) -> bool:
        """Take the firing for delivery (SET NX); False when it was sent, failed, or is being sent."""
        try:
            return bool(await self._redis.set(self._hashed("alert", alert_id), "sending", nx=True,
                                              ex=ttl_seconds))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def settle(self, alert_id: str, state: str, ttl_seconds: int) -> None:
        """Mark a claimed firing `sent` or `failed` for good (kept `ttl_seconds`)."""
        try:
            await self._redis.set(self._hashed("alert", alert_id), state, ex=ttl_seconds)
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    # -- delivery log ------------------------------------------------------------------------------

    async def record_delivery(self, delivery: dict[str, Any]) -> None:
        """Prepend a delivery to the capped log."""
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.lpush(self._log, json.dumps(delivery, ensure_ascii=False))
                pipe.ltrim(self._log, 0, self._kept - 1)
                pipe.expire(self._log, _LOG_TTL)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def deliveries(self, limit: int) -> list[dict[str, Any]]:
        """The most recent deliveries, newest first."""
        try:
            raw = await self._redis.lrange(self._log, 0, limit - 1)
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        return [json.loads(_text(cast(bytes, item))) for item in raw]
