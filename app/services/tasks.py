"""Background analyses: queue one for a company (once at a time), refresh the watch list, report a task."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace

from app.errors import AppError, NotFound
from app.services.jobs import TaskLost, describe
from app.services.ports import TaskLedger, TaskQueue, TaskRecord, WatchListRepository
from app.services.views import RefreshFailed, RefreshQueued

DEFAULT_MAX_RESULTS = 50
TERMINAL = frozenset({"SUCCESS", "FAILURE", "REVOKED"})


@dataclass(frozen=True)
class Triggered:
    """The answer to a trigger: the task that will produce the company's next analysis."""

    task_id: str
    company: str
    state: str
    created: bool


class TaskService:
    """Queues analyses through the task queue and reads their records."""

    def __init__(self, *, ledger: TaskLedger, queue: TaskQueue, watchlist: WatchListRepository):
        self._ledger = ledger
        self._queue = queue
        self._watchlist = watchlist

    @property
    def mode(self) -> str:
        """`redis` (Celery workers) or `embedded` (in-process jobs)."""
        return self._queue.mode

    async def trigger(self, company: str, max_results: int = DEFAULT_MAX_RESULTS) -> Triggered:
        """Queue an analysis, or return the company's task that is already queued or running."""
        new_id = str(uuid.uuid4())
        task_id = await self._ledger.claim(company, new_id, max_results)
        if task_id != new_id:
            record = await self._ledger.get(task_id)
            return Triggered(task_id, company, record.state if record else "PENDING", created=False)
        try:
            await self._queue.publish(task_id, company, max_results)
        except AppError:
            await self._ledger.abandon(company, task_id)
            raise
        return Triggered(task_id, company, "PENDING", created=True)

    async def refresh_watchlist(
        self, max_results: int = DEFAULT_MAX_RESULTS
    ) -> list[RefreshQueued | RefreshFailed]:
        """Trigger every watched company once (companies with a task in flight keep theirs)."""
        results: list[RefreshQueued | RefreshFailed] = []
        for company in await self._watchlist.companies():
            try:
                done = await self.trigger(company, max_results)
            except AppError as exc:
                results.append(RefreshFailed(company=company, error=describe(exc)))
                continue
            results.append(RefreshQueued(company=company, task_id=done.task_id, created=done.created))
        return results

    async def task(self, task_id: str) -> TaskRecord:
        """The task's record; Celery's terminal state wins over a record its worker could not finish."""
        record, backend = await asyncio.gather(self._ledger.get(task_id), self._queue.backend_state(task_id))
        if record is None:
            if backend is None or backend[0] == "PENDING":
                raise NotFound(f"no task '{task_id}' (unknown, or its record expired after 24 hours)")
            return TaskRecord(task_id=task_id, company="", state=backend[0], error=backend[1])
        if backend is not None and record.state not in TERMINAL and backend[0] in TERMINAL:
            # Either the task finished between the two reads, or its worker died without a word
            # (hard time limit): read the record again before trusting Celery's state alone.
            record = await self._ledger.get(task_id) or record
            if record.state not in TERMINAL:
                record = replace(record, state=backend[0], error=backend[1] or record.error)
        if record.lost and backend is not None and backend[0] == "FAILURE" and _known_cause(backend[1]):
            # Celery saw why the worker stopped (the hard time limit killed it): say that, not just "lost".
            record = replace(record, error=backend[1])
        return record


def _known_cause(error: str | None) -> bool:
    # A refused late delivery of a lost task fails in Celery too, but only repeats what the record says.
    return bool(error) and not str(error).startswith(f"{TaskLost.__name__}:")
