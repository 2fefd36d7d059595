"""The task ledger: one pending task per company (trigger dedup) and a record per task id, in Redis."""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.typing import EncodableT, KeyT

from app.adapters.keyspace import REDIS_ERRORS, Keyspace, redis_errors
from app.errors import UpstreamUnavailable
from app.services.ports import TaskRecord

log = logging.getLogger(__name__)
TASK_RECORD_TTL = 24 * 3600  # as long as Celery keeps results (result_expires)
TERMINAL = ("SUCCESS", "FAILURE", "REVOKED")
_CLAIM_ATTEMPTS = 5

# A running task keeps `lease:<sha256(id)>` alive (set at start, renewed by the job); a STARTED task without
# one has lost its worker. Such a task is recorded as FAILURE with `lost` set, and never runs again.

# Claim the company's pending slot and create the task record in one step, or return the live holder.
# KEYS: pending slot, new record, holder's record, holder's lease (the holder as read just before).
_CLAIM = """
local holder = redis.call('GET', KEYS[1])
if (holder or '') ~= ARGV[2] then return {'', ''} end
local lost = ''
if holder then
    local state = redis.call('HGET', KEYS[3], 'state')
    if state == 'STARTED' and redis.call('EXISTS', KEYS[4]) == 0 then
        redis.call('HSET', KEYS[3], 'state', 'FAILURE', 'finished_at', ARGV[7], 'error', ARGV[8], 'lost', '1')
        lost = holder
    elseif state ~= 'SUCCESS' and state ~= 'FAILURE' and state ~= 'REVOKED' then
        return {holder, ''}
    end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[3]))
redis.call('HSET', KEYS[2], 'task_id', ARGV[1], 'company', ARGV[5], 'max_results', ARGV[6],
           'state', 'PENDING', 'submitted_at', ARGV[7], 'deliveries', 0)
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[4]))
return {ARGV[1], lost}
"""
# The record, after recording a lost task as such. KEYS: record, lease.
_SETTLE = """
if redis.call('HGET', KEYS[1], 'state') == 'STARTED' and redis.call('EXISTS', KEYS[2]) == 0 then
    redis.call('HSET', KEYS[1], 'state', 'FAILURE', 'finished_at', ARGV[1], 'error', ARGV[2], 'lost', '1')
end
return redis.call('HGETALL', KEYS[1])
"""
# A delivery starts: count it, take the lease, renew the claim so it covers the run (≤ hard limit), not only
# the wait. A task recorded as lost (a new one may have replaced it) is not run: 0. KEYS: record, lease, slot.
_START = """
if redis.call('HGET', KEYS[1], 'lost') then return 0 end
local deliveries = redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
redis.call('HSET', KEYS[1], 'task_id', ARGV[1], 'company', ARGV[2], 'state', 'STARTED', 'started_at', ARGV[3])
redis.call('HSETNX', KEYS[1], 'submitted_at', ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('SET', KEYS[2], deliveries, 'PX', tonumber(ARGV[4]))
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[5])) end
return deliveries
"""
# The heartbeat: renew this delivery's lease; 0 once the task was recorded as lost or finished, or a later
# delivery took it. A record that is gone or older than this run (Redis restarted empty, or from an old
# snapshot) is written again, so the run is not mistaken for a lost one. KEYS: record, lease, slot.
_RENEW = """
local state = redis.call('HGET', KEYS[1], 'state')
if redis.call('HGET', KEYS[1], 'lost') or state == 'SUCCESS' or state == 'FAILURE' or state == 'REVOKED'
        or tonumber(redis.call('HGET', KEYS[1], 'deliveries') or '0') > tonumber(ARGV[3]) then
    return 0
end
if state ~= 'STARTED' then
    redis.call('HSET', KEYS[1], 'task_id', ARGV[1], 'company', ARGV[2], 'state', 'STARTED',
               'started_at', ARGV[7], 'deliveries', ARGV[3])
    redis.call('HSETNX', KEYS[1], 'submitted_at', ARGV[7])
    redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
    redis.call('SET', KEYS[3], ARGV[1], 'NX', 'EX', tonumber(ARGV[5]))
end
redis.call('SET', KEYS[2], ARGV[3], 'PX', tonumber(ARGV[4]))
return 1
"""
# Record the outcome (unless the task was already recorded as lost: that answer stays), drop the lease and
# release the claim if it still belongs to this task (a later trigger may hold it by now).
# KEYS: record, lease, slot.
_FINISH = """
local recorded = 0
if not redis.call('HGET', KEYS[1], 'lost') then
    redis.call('HSET', KEYS[1], 'task_id', ARGV[1], 'company', ARGV[2], 'state', ARGV[3],
               'finished_at', ARGV[4])
    if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'result', ARGV[6]) end
    if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[7]) end
    redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
    recorded = 1
end
redis.call('DEL', KEYS[2])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
return recorded
"""
# Release the claim only if it still belongs to this task.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


_CANNOT = "background tasks cannot be queued or read"


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class RedisTaskLedger:
    """`TaskLedger` in Redis: `pending:<company>` holds the queued/running task id (TTL ≈ hard limit)."""

    def __init__(self, redis: Redis, keyspace: Keyspace, claim_ttl: int, lease_seconds: float = 10):
        self._redis = redis
        self._pending_key = keyspace.pending
        self._task_key = keyspace.task
        self._lease_key = keyspace.lease
        self._claim_ttl = max(1, claim_ttl)
        self._lease_ms = max(1, round(lease_seconds * 1000))
        self._claim = redis.register_script(_CLAIM)
        self._settle = redis.register_script(_SETTLE)
        self._start = redis.register_script(_START)
        self._renew = redis.register_script(_RENEW)
        self._finish = redis.register_script(_FINISH)
        self._release = redis.register_script(_RELEASE)

    def _lost(self, replaced_by: str | None = None) -> str:
        then = f"task {replaced_by} replaced it" if replaced_by else "trigger the company again"
        return (
            "WorkerLost: its worker stopped renewing the task's lease "
            f"(none for over {self._lease_ms / 1000:g} s: killed, or cut off from Redis); "
            f"it will not finish, {then}"
        )

    async def claim(self, company: str, task_id: str, max_results: int) -> str:
        """The company's pending task id: `task_id` (recorded as PENDING) unless a live one was pending."""
        pending = self._pending_key(company)
        with redis_errors(_CANNOT):
            for _ in range(_CLAIM_ATTEMPTS):
                raw = await self._redis.get(pending)
                holder = _text(raw) if raw is not None else ""
                keys = [pending, self._task_key(task_id), self._task_key(holder or task_id),
                        self._lease_key(holder or task_id)]
                args: list[EncodableT] = [task_id, holder, self._claim_ttl, TASK_RECORD_TTL, company,
                                          max_results, _now(), self._lost(replaced_by=task_id)]
                claimed, lost = (_text(v) for v in await self._claim(keys=keys, args=args))
                if lost:
                    log.warning("task %s for '%s' lost its worker; queued %s instead", lost, company, claimed)
                if claimed:
                    return claimed
        # The slot changed between every read and the script: other triggers are racing for it right now.
        raise UpstreamUnavailable(f"the pending task of '{company}' keeps changing; try again", retry_after=1)

    async def abandon(self, company: str, task_id: str) -> None:
        """Forget a claimed task that could not be queued."""
        with contextlib.suppress(*REDIS_ERRORS):
            await self._release(keys=[self._pending_key(company)], args=[task_id])
            await self._redis.delete(self._task_key(task_id))

    def _run_keys(self, task_id: str, company: str) -> list[KeyT]:
        return [self._task_key(task_id), self._lease_key(task_id), self._pending_key(company)]

    async def start(self, task_id: str, company: str) -> int:
        """Mark the task STARTED with a fresh lease; its deliveries so far, or 0 if it was found lost."""
        args: list[EncodableT] = [task_id, company, _now(), self._lease_ms, self._claim_ttl, TASK_RECORD_TTL]
        with redis_errors(_CANNOT):
            return int(await self._start(keys=self._run_keys(task_id, company), args=args))

    async def renew(self, task_id: str, company: str, delivery: int) -> bool:
        """Renew this delivery's lease; False once the task was recorded as lost or finished elsewhere."""
        args: list[EncodableT] = [
            task_id, company, delivery, self._lease_ms, self._claim_ttl, TASK_RECORD_TTL, _now()
        ]
        with redis_errors(_CANNOT):
            return bool(await self._renew(keys=self._run_keys(task_id, company), args=args))

    async def finish(
        self,
        task_id: str,
        company: str,
        state: str,
        *,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """Record the outcome and release the company's pending claim (a task recorded as lost stays so)."""
        args: list[EncodableT] = [
            task_id, company, state, _now(), TASK_RECORD_TTL,
            json.dumps(result, ensure_ascii=False) if result is not None else "", error or "",
        ]
        with redis_errors(_CANNOT):
            recorded = await self._finish(keys=self._run_keys(task_id, company), args=args)
        if not recorded:
            log.warning("task %s finished (%s) after it was found lost; that record stays", task_id, state)

    async def get(self, task_id: str) -> TaskRecord | None:
        """The task's record, if it is known; a STARTED task whose lease lapsed is recorded as lost first."""
        with redis_errors(_CANNOT):
            raw = await self._settle(
                keys=[self._task_key(task_id), self._lease_key(task_id)], args=[_now(), self._lost()]
            )
        if not raw:
            return None
        data = {_text(k): _text(v) for k, v in zip(raw[::2], raw[1::2], strict=True)}
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
            lost=bool(data.get("lost")),
        )

    async def pending(self, company: str) -> str | None:
        """The company's queued or running task id, if any (not one that lost its worker)."""
        with redis_errors(_CANNOT):
            raw = await self._redis.get(self._pending_key(company))
        if raw is None:
            return None
        record = await self.get(_text(raw))
        return None if record is not None and record.state in TERMINAL else _text(raw)
