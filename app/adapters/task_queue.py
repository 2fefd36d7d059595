"""Background analysis tasks: the ledger (claims + records in Redis), Celery and in-process queues."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import socket
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from app.domain.text import normalize_query
from app.errors import UpstreamUnavailable
from app.services.ports import JobRunner, TaskRecord

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger(__name__)

ANALYZE_TASK = "news.analyze_company"
REFRESH_TASK = "news.refresh_watchlist"
TASK_QUEUE = "analysis"
TASK_RECORD_TTL = 24 * 3600  # as long as Celery keeps results (result_expires)
_PRIORITY_SEP, _PRIORITY_STEPS = "\x06\x16", (0, 3, 6, 9)  # kombu's Redis priority sub-queues

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


class CeleryTaskQueue:
    """`TaskQueue` over Celery; every broker call runs in a thread under a short deadline."""

    mode = "redis"

    def __init__(self, app: Celery, *, timeout: float = 2.0):
        self._app = app
        self._timeout = timeout
        self._queue_keys = [
            f"{app.conf.broker_transport_options.get('global_keyprefix', '')}{TASK_QUEUE}"
            + (f"{_PRIORITY_SEP}{step}" if step else "")
            for step in _PRIORITY_STEPS
        ]

    async def publish(self, task_id: str, company: str, max_results: int) -> None:
        """Send `analyze_company` without retries; a dead broker fails within the timeout (503)."""

        def send() -> None:
            self._app.send_task(
                ANALYZE_TASK, args=[company, max_results], task_id=task_id, queue=TASK_QUEUE, retry=False
            )

        try:
            await asyncio.wait_for(asyncio.to_thread(send), self._timeout)
        except Exception as exc:  # kombu raises OperationalError, redis-py its own, the wait a TimeoutError
            log.warning("could not publish task %s: %s", task_id, type(exc).__name__)
            raise UpstreamUnavailable(
                f"the task queue (Celery broker) is unavailable ({type(exc).__name__}); try again shortly",
                retry_after=5,
            ) from exc

    async def backend_state(self, task_id: str) -> tuple[str, str | None] | None:
        """Celery's state of the task and, for a failure, the exception's message (no traceback)."""

        def read() -> tuple[str, str | None]:
            result = self._app.AsyncResult(task_id)
            state = str(result.state)
            if state != "FAILURE":
                return state, None
            exc = result.result
            return state, f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else str(exc)

        try:
            return await asyncio.wait_for(asyncio.to_thread(read), self._timeout)
        except Exception:  # an unreachable backend just means "no second opinion"
            return None

    async def workers(self) -> dict[str, Any]:
        """`inspect().ping()` with a 1 s reply window; never raises."""

        def ping() -> dict[str, Any] | None:
            return self._app.control.inspect(timeout=1.0).ping()

        try:
            replies = await asyncio.wait_for(asyncio.to_thread(ping), self._timeout + 1)
        except Exception as exc:
            return {"status": "unavailable", "count": 0, "nodes": [], "error": type(exc).__name__}
        nodes = [
            {"name": name, "ok": reply.get("ok") == "pong"} for name, reply in sorted((replies or {}).items())
        ]
        return {"status": "ok" if nodes else "none", "count": len(nodes), "nodes": nodes}

    async def depth(self) -> int | None:
        """LLEN of the task queue (and its priority sub-queues) on the broker."""

        def count() -> int:
            with self._app.connection_for_read() as conn:
                client = conn.default_channel.client
                return sum(int(client.llen(key)) for key in self._queue_keys)

        try:
            return await asyncio.wait_for(asyncio.to_thread(count), self._timeout)
        except Exception:
            return None


class EmbeddedTaskQueue:
    """`TaskQueue` in the API process: one asyncio worker runs the queued jobs in order."""

    mode = "embedded"

    def __init__(self, jobs: JobRunner):
        self._jobs = jobs
        self._queue: asyncio.Queue[tuple[str, str, int]] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._current: str | None = None
        self._processed = 0
        self.name = f"embedded@{socket.gethostname()}:{os.getpid()}"

    async def publish(self, task_id: str, company: str, max_results: int) -> None:
        """Queue the job; the worker starts on first use."""
        if self._queue is None:
            self._queue = asyncio.Queue()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._run(self._queue), name=self.name)
        self._queue.put_nowait((task_id, company, max_results))

    async def _run(self, queue: asyncio.Queue[tuple[str, str, int]]) -> None:
        while True:
            task_id, company, max_results = await queue.get()
            self._current = task_id
            try:
                await self._jobs.run(task_id, company, max_results)
            except Exception as exc:  # recorded on the task by the job runner; the worker goes on
                log.warning("background task %s for '%s' failed: %s", task_id, company, type(exc).__name__)
            finally:
                self._current = None
                self._processed += 1
                queue.task_done()

    async def join(self) -> None:
        """Wait until every queued job has finished (tests and the CLI)."""
        if self._queue is not None:
            await self._queue.join()

    async def stop(self) -> None:
        """Cancel the worker (queued jobs are dropped: embedded state lives only in this process)."""
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None

    async def backend_state(self, task_id: str) -> tuple[str, str | None] | None:
        """No second opinion: the ledger is the only record."""
        return None

    async def workers(self) -> dict[str, Any]:
        """The in-process runner."""
        running = self._worker is not None and not self._worker.done()
        node = {
            "name": self.name,
            "ok": True,
            "running": running,
            "current_task": self._current,
            "processed": self._processed,
        }
        return {"status": "ok", "count": 1, "nodes": [node]}

    async def depth(self) -> int | None:
        """Jobs waiting behind the current one."""
        return self._queue.qsize() if self._queue is not None else 0
