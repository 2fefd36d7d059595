"""The task ledger: one pending task per company (trigger dedup) and a record per task id, in Redis."""

from __future__ import annotations

import contextlib
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from app.domain.text import normalize_query
from app.errors import UpstreamUnavailable
from app.services.ports import TaskRecord

TASK_RECORD_TTL = 24 * 3600  # as long as Celery keeps results (result_expires)

# Claim the company's pending slot and create the task record in one step, or return the holder.
_CLAIM = """
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
redis.call('HSET', KEYS[2], 'task_id', ARGV[1], 'company', ARGV[4], 'max_results', ARGV[5],
           'state', 'PENDING', 'submitted_at', ARGV[6], 'deliveries', 0)
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
return ARGV[1]
"""
# Release the claim only if it still belongs to this task (a later trigger may hold it by now).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# When the task starts, its claim is renewed: it then covers the run (≤ hard limit), not only the wait.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 0
"""



def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _unavailable(exc: Exception) -> UpstreamUnavailable:
    return UpstreamUnavailable(
        f"Redis is unavailable ({type(exc).__name__}); background tasks cannot be queued or read",
        retry_after=5,
    )


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class RedisTaskLedger:
    """`TaskLedger` in Redis: `pending:<company>` holds the queued/running task id (TTL ≈ hard limit)."""

    def __init__(self, redis: Redis, prefix: str, claim_ttl: int):
        self._redis = redis
        self._prefix = f"{prefix}:v1"
        self._claim_ttl = max(1, claim_ttl)
        self._claim = redis.register_script(_CLAIM)
        self._release = redis.register_script(_RELEASE)
        self._renew = redis.register_script(_RENEW)

    def _pending_key(self, company: str) -> str:
        digest = hashlib.sha256(normalize_query(company).encode("utf-8")).hexdigest()
        return f"{self._prefix}:pending:{digest}"

    def _task_key(self, task_id: str) -> str:
        return f"{self._prefix}:task:{hashlib.sha256(task_id.encode('utf-8')).hexdigest()}"

    async def claim(self, company: str, task_id: str, max_results: int) -> str:
        """The company's pending task id: `task_id` (recorded as PENDING) if none was pending."""
        keys = [self._pending_key(company), self._task_key(task_id)]
        args: list[EncodableT] = [task_id, self._claim_ttl, TASK_RECORD_TTL, company, max_results, _now()]
        try:
            return _text(await self._claim(keys=keys, args=args))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def abandon(self, company: str, task_id: str) -> None:
        """Forget a claimed task that could not be queued."""
        with contextlib.suppress(RedisError, OSError):
            await self._release(keys=[self._pending_key(company)], args=[task_id])
            await self._redis.delete(self._task_key(task_id))

    async def start(self, task_id: str, company: str) -> int:
        """Mark the task STARTED; returns how many times it has been delivered, this time included."""
        key = self._task_key(task_id)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hincrby(key, "deliveries", 1)
                started: dict[FieldT, EncodableT] = {
                    "task_id": task_id, "company": company, "state": "STARTED", "started_at": _now()
                }
                pipe.hset(key, mapping=started)
                pipe.hsetnx(key, "submitted_at", _now())
                pipe.expire(key, TASK_RECORD_TTL)
                deliveries, *_ = await pipe.execute()
            await self._renew(keys=[self._pending_key(company)], args=[task_id, self._claim_ttl])
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        return int(deliveries)

    async def finish(
        self,
        task_id: str,
        company: str,
        state: str,
        *,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """Record the outcome and release the company's pending claim."""
        fields: dict[FieldT, EncodableT] = {
            "task_id": task_id, "company": company, "state": state, "finished_at": _now()
        }
        if result is not None:
            fields["result"] = json.dumps(result, ensure_ascii=False)
        if error is not None:
            fields["error"] = error
        key = self._task_key(task_id)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(key, mapping=fields)
                pipe.expire(key, TASK_RECORD_TTL)
                await pipe.execute()
            await self._release(keys=[self._pending_key(company)], args=[task_id])
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def get(self, task_id: str) -> TaskRecord | None:
        """The task's record, if it is known."""
        try:
            raw = await self._redis.hgetall(self._task_key(task_id))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        if not raw:
            return None
        data = {_text(k): _text(v) for k, v in raw.items()}
        return TaskRecord(
            task_id=data.get("task_id", task_id),
            company=data.get("company", ""),
            state=data.get("state", "PENDING"),
            submitted_at=data.get("submitted_at"),
            started_at=data.get("started_at"),
            finished_at=data.get("finished_at"),
            deliveries=int(data.get("deliveries", 0)),
            max_results=int(data["max_results"]) if data.get("max_results") else None,
            result=json.loads(data["result"]) if data.get("result") else None,
            error=data.get("error"),
        )

    async def pending(self, company: str) -> str | None:
        """The company's queued or running task id, if any."""
        try:
            raw = await self._redis.get(self._pending_key(company))
        except (RedisError, OSError) as exc:
            raise _unavailable(exc) from exc
        return _text(raw) if raw is not None else None
