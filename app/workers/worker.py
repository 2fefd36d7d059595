"""The worker entry module: the `celery -A app.workers.worker` target of `news-service worker|beat`.

The compose healthchecks name it too (`inspect ping`). Imported by nothing in `app/`: Celery imports it by
name (tests/unit/test_import_graph.py checks). Importing it does nothing: the first access to `app` reads
the settings, builds the Celery app (`create_celery`), connects the worker signals and registers the
tasks. Each worker process then builds its container and opens it after fork (`app.workers.bootstrap`).
"""

from __future__ import annotations

from typing import Any

from celery import Celery, signals

from app.settings import Settings
from app.workers import bootstrap
from app.workers.celery_app import create_celery
from app.workers.tasks import register_tasks


def create_worker_app(settings: Settings | None = None) -> Celery:
    """The app a worker or beat process runs: configuration, signal handlers and tasks."""
    app = create_celery(settings or Settings())
    connect_signals()
    register_tasks(app)
    return app


def connect_signals() -> None:
    """Connect the process bootstrap to Celery's signals (once per process, whatever the number of calls)."""
    for signal, handler in (
        (signals.setup_logging, bootstrap.on_setup_logging),
        (signals.worker_init, bootstrap.on_worker_init),
        (signals.worker_process_init, bootstrap.on_worker_process_init),
        (signals.task_prerun, bootstrap.on_task_prerun),
        (signals.task_success, bootstrap.on_task_success),
        (signals.task_failure, bootstrap.on_task_failure),
        (signals.task_retry, bootstrap.on_task_retry),
        (signals.worker_process_shutdown, bootstrap.on_worker_process_shutdown),
        (signals.worker_shutdown, bootstrap.on_worker_shutdown),
        (signals.beat_init, bootstrap.on_beat_init),
    ):
        signal.connect(handler, weak=False, dispatch_uid=f"news-service.{handler.__name__}")


def __getattr__(name: str) -> Any:
    # `celery -A app.workers.worker` looks up `app` (then `celery`): build it on first access.
    if name in ("app", "celery"):
        instance = create_worker_app()
        globals().update(app=instance, celery=instance)
        return instance
    raise AttributeError(name)
