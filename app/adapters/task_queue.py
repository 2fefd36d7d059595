"""Where background analyses run: Celery workers, or an in-process runner in embedded mode."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from typing import TYPE_CHECKING, Any

from app.errors import UpstreamUnavailable
from app.metrics import TASK_RUNS
from app.request_context import current_request_id
from app.services.ports import JobRunner
from app.services.status_views import EmbeddedWorker, WorkerNode, Workers, WorkersState, WorkersUnavailable

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger(__name__)

ANALYZE_TASK = "news.analyze_company"
REFRESH_TASK = "news.refresh_watchlist"
TASK_QUEUE = "analysis"
_PRIORITY_SEP, _PRIORITY_STEPS = "\x06\x16", (0, 3, 6, 9)  # kombu's Redis priority sub-queues


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

        request_id = current_request_id()

        def send() -> None:
            self._app.send_task(
                ANALYZE_TASK,
                args=[company, max_results],
                task_id=task_id,
                queue=TASK_QUEUE,
                retry=False,
                headers={"request_id": request_id},
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

    async def workers(self) -> WorkersState:
        """`inspect().ping()` with a 1 s reply window; never raises."""

        def ping() -> dict[str, Any] | None:
            return self._app.control.inspect(timeout=1.0).ping()

        try:
            replies = await asyncio.wait_for(asyncio.to_thread(ping), self._timeout + 1)
        except Exception as exc:
            return WorkersUnavailable(status="unavailable", count=0, nodes=[], error=type(exc).__name__)
        answered = sorted((replies or {}).items())
        nodes: list[EmbeddedWorker | WorkerNode] = [
            WorkerNode(name=name, ok=reply.get("ok") == "pong") for name, reply in answered
        ]
        return Workers(status="ok" if nodes else "none", count=len(nodes), nodes=nodes)

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
                TASK_RUNS.labels(ANALYZE_TASK, "success").inc()
            except Exception as exc:  # recorded on the task by the job runner; the worker goes on
                TASK_RUNS.labels(ANALYZE_TASK, "failure").inc()
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

    async def workers(self) -> WorkersState:
        """The in-process runner."""
        running = self._worker is not None and not self._worker.done()
        node = EmbeddedWorker(
            name=self.name, ok=True, running=running, current_task=self._current, processed=self._processed
        )
        return Workers(status="ok", count=1, nodes=[node])

    async def depth(self) -> int | None:
        """Jobs waiting behind the current one."""
        return self._queue.qsize() if self._queue is not None else 0
