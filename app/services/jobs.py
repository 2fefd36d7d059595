"""One background analysis task, run the same way by a Celery worker and by the embedded runner."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from app.errors import AppError
from app.services.analysis import AnalysisOutcome, AnalysisService
from app.services.ports import TaskLedger
from app.services.views import TaskSummary

if TYPE_CHECKING:
    from app.services.alerts import AlertService

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_DELIVERIES = 3


class TaskFailed(AppError):
    """A background task ended in FAILURE; the message is what `GET /tasks/{id}` shows."""

    status_code = 500


class RedeliveryLimitExceeded(TaskFailed):
    """The task was delivered too often: an earlier run probably took its worker down with it."""


class TaskLost(TaskFailed):
    """The task's lease lapsed (its worker died or stalled) and it was recorded as lost: it runs no more."""


def task_summary(task_id: str, outcome: AnalysisOutcome) -> TaskSummary:
    """The small result of a task (the full analysis is in the store)."""
    result = outcome.result
    return TaskSummary(
        task_id=task_id,
        company=result.company,
        analysis_time=result.analysis_time.isoformat(),
        item_count=len(result.items),
        total_found=result.total_found,
        duplicates_removed=result.duplicates_removed,
        esg_distribution=result.summary.esg_distribution,
        sentiment_distribution=result.summary.sentiment_distribution,
        negative_ratio=result.summary.negative_ratio,
        model_name=result.model.model_name,
        ml_service_status=result.model.ml_service_status,
        device=result.model.device,
        newly_classified=outcome.newly_classified,
        elapsed_ms=round(outcome.elapsed_ms, 1),
    )


def _stop_if_cancelled() -> None:
    # A client call can swallow a cancellation (asyncio.wait_for before Python 3.12 does, when its inner call
    # completes at the same moment): a heartbeat that went on beating would keep its owner waiting forever.
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def describe(exc: BaseException) -> str:
    """A one-line error for clients: type and message, never a traceback."""
    if isinstance(exc, AppError):
        return f"{exc.error_type}: {exc.message}"
    text = str(exc).splitlines()[0][:300] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class AnalysisJobs:
    """`JobRunner`: deliveries capped, a time limit, a fresh analysis stored under the task id."""

    def __init__(
        self,
        analysis: AnalysisService,
        ledger: TaskLedger,
        *,
        time_limit: float,
        lease_seconds: float = 10,
        max_deliveries: int = MAX_DELIVERIES,
        alerts: AlertService | None = None,
    ):
        self._analysis = analysis
        self._ledger = ledger
        self._time_limit = time_limit
        self._lease = lease_seconds
        self._max_deliveries = max_deliveries
        self._alerts = alerts

    async def run(self, task_id: str, company: str, max_results: int) -> TaskSummary:
        """The result summary; a failure is recorded on the task (and the company's claim released) first."""
        deliveries = await self._ledger.start(task_id, company)
        if not deliveries:
            # Its worker died, the task was found lost and a trigger may have queued a new one since: this
            # late delivery (the broker's visibility timeout) must not add a second analysis.
            log.warning("task %s for '%s' was found lost earlier; not running it again", task_id, company)
            raise TaskLost(f"task {task_id} lost its worker earlier and was recorded as failed; not rerun")
        if deliveries > self._max_deliveries:
            refused = RedeliveryLimitExceeded(
                f"task delivered {deliveries} times (limit {self._max_deliveries}): earlier runs never "
                "finished, probably because they took their worker down; not running it again"
            )
            await self._fail(task_id, company, refused)
            raise refused
        if deliveries > 1:
            log.warning("task %s for '%s' redelivered (delivery %d)", task_id, company, deliveries)
        try:
            async with asyncio.timeout(self._time_limit):
                # A refresh must analyse anew; the store keeps one record per task id, so a
                # redelivered task never adds a second history entry.
                analysis = self._analysis.analyze(
                    company, max_results=max_results, force_refresh=True, record_id=task_id
                )
                outcome = await self._leased(task_id, company, deliveries, analysis)
        except TaskLost:
            raise  # recorded as lost already, and that record stays
        except TimeoutError as exc:
            error = TaskFailed(f"analysis of '{company}' exceeded the time limit of {self._time_limit:g} s")
            await self._fail(task_id, company, error)
            raise error from exc
        except asyncio.CancelledError:
            await self._fail(task_id, company, TaskFailed("cancelled (time limit or shutdown)"))
            raise
        except Exception as exc:
            await self._fail(task_id, company, exc)
            raise
        summary = task_summary(task_id, outcome)
        await self._ledger.finish(task_id, company, "SUCCESS", result=summary.model_dump(mode="json"))
        if self._alerts is not None:  # never raises; one delivery per firing even on redelivery
            await self._alerts.after_refresh(task_id, outcome.result)
        return summary

    async def _leased(self, task_id: str, company: str, delivery: int, work: Coroutine[Any, Any, T]) -> T:
        """Run `work` while a heartbeat renews the task's lease; stop it once the task was found lost."""
        job = asyncio.ensure_future(work)
        heartbeat = asyncio.ensure_future(self._heartbeat(task_id, company, delivery))
        try:
            await asyncio.wait((job, heartbeat), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (heartbeat, job):
                task.cancel()
            await asyncio.gather(heartbeat, job, return_exceptions=True)
        if not job.cancelled():
            return job.result()
        if not heartbeat.cancelled() and (error := heartbeat.exception()) is not None:
            raise error  # a fault in the heartbeat itself, not a lost task
        raise TaskLost(
            "the task's lease lapsed while it ran (its worker stalled or lost Redis) and it was found lost; "
            "stopped this run"
        )

    async def _heartbeat(self, task_id: str, company: str, delivery: int) -> None:
        """Renew the lease every third of it; returns once the task was found lost."""
        while True:
            await asyncio.sleep(self._lease / 3)
            try:
                alive = await self._ledger.renew(task_id, company, delivery)
            except AppError as exc:
                _stop_if_cancelled()
                log.warning("could not renew the lease of task %s: %s", task_id, exc.message)
                continue  # Redis away for a moment: the next beat tries again
            _stop_if_cancelled()
            if not alive:
                log.warning("task %s for '%s' was found lost while it ran; stopping", task_id, company)
                return

    async def _fail(self, task_id: str, company: str, exc: BaseException) -> None:
        try:
            await self._ledger.finish(task_id, company, "FAILURE", error=describe(exc))
        except AppError as err:  # Redis gone: the claim's TTL releases the company later
            log.warning("could not record the failure of task %s: %s", task_id, err.message)
