"""Celery tasks: thin wrappers that run the services on the worker process's event loop.

Plain functions; `register_tasks` adds them to the worker's app (`app.workers.worker`), so an app built
elsewhere (the API's, which only publishes by name) carries no tasks.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from app.adapters.task_queue import ANALYZE_TASK, REFRESH_TASK
from app.container import Container, resolve
from app.services.tasks import DEFAULT_MAX_RESULTS
from app.workers.bootstrap import runtime

if TYPE_CHECKING:
    from celery import Celery, Task


def analyze_company(self: Task, company: str, max_results: int = DEFAULT_MAX_RESULTS) -> dict[str, Any]:
    """Analyse one company and store the result under this task's id; returns a small summary."""
    task_id = self.request.id or str(uuid.uuid4())

    async def work(container: Container) -> dict[str, Any]:
        # A set activated through the API since this worker's last task is loaded before classifying.
        await (await resolve(container.model_selection)).follow()
        jobs = await resolve(container.jobs)
        # Celery stores results as JSON: the summary crosses the task boundary as a plain dict.
        return (await jobs.run(task_id, company, max_results)).model_dump(mode="json")

    return runtime().run(work)


def refresh_watchlist() -> list[dict[str, Any]]:
    """Queue one analysis per watched company (companies with a task in flight keep theirs)."""

    async def work(container: Container) -> list[dict[str, Any]]:
        tasks = await resolve(container.task_service)
        return [entry.model_dump(mode="json") for entry in await tasks.refresh_watchlist()]

    return runtime().run(work)


def register_tasks(app: Celery) -> None:
    """Add both tasks to this app only (`shared=False`: other apps in the process stay without them)."""
    app.task(name=ANALYZE_TASK, bind=True, shared=False)(analyze_company)
    app.task(name=REFRESH_TASK, shared=False)(refresh_watchlist)
