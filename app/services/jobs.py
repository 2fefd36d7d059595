"""One background analysis task, run the same way by a Celery worker and by the embedded runner."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from app.errors import AppError
from app.services.analysis import AnalysisOutcome, AnalysisService
from app.services.ports import TaskLedger

if TYPE_CHECKING:
    from app.services.alerts import AlertService

log = logging.getLogger(__name__)

MAX_DELIVERIES = 3


class TaskFailed(AppError):
    """A background task ended in FAILURE; the message is what `GET /tasks/{id}` shows."""

    status_code = 500


class RedeliveryLimitExceeded(TaskFailed):
    """The task was delivered too often: an earlier run probably took its worker down with it."""


def task_summary(task_id: str, outcome: AnalysisOutcome) -> dict[str, Any]:
    """The small JSON result of a task (the full analysis is in the store)."""
    result = outcome.result
    return {
        "task_id": task_id,
        "company": result.company,
        "analysis_time": result.analysis_time.isoformat(),
        "item_count": len(result.items),
        "total_found": result.total_found,
        "duplicates_removed": result.duplicates_removed,
        "esg_distribution": result.summary.esg_distribution,
        "sentiment_distribution": result.summary.sentiment_distribution,
        "negative_ratio": result.summary.negative_ratio,
        "model_name": result.model.model_name,
        "ml_service_status": result.model.ml_service_status,
        "device": result.model.device,
        "newly_classified": outcome.newly_classified,
        "elapsed_ms": round(outcome.elapsed_ms, 1),
    }


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
        max_deliveries: int = MAX_DELIVERIES,
        alerts: AlertService | None = None,
    ):
        self._analysis = analysis
        self._ledger = ledger
        self._time_limit = time_limit
        self._max_deliveries = max_deliveries
        self._alerts = alerts

    async def run(self, task_id: str, company: str, max_results: int) -> dict[str, Any]:
        """The result summary; a failure is recorded on the task (and the company's claim released) first."""
        deliveries = await self._ledger.start(task_id, company)
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
                outcome = await self._analysis.analyze(
                    company, max_results=max_results, force_refresh=True, record_id=task_id
                )
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
        await self._ledger.finish(task_id, company, "SUCCESS", result=summary)
        if self._alerts is not None:  # never raises; one delivery per firing even on redelivery
            await self._alerts.after_refresh(task_id, outcome.result)
        return summary

    async def _fail(self, task_id: str, company: str, exc: BaseException) -> None:
        try:
            await self._ledger.finish(task_id, company, "FAILURE", error=describe(exc))
        except AppError as err:  # Redis gone: the claim's TTL releases the company later
            log.warning("could not record the failure of task %s: %s", task_id, err.message)
