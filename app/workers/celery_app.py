"""The Celery application, built from `Settings` by `create_celery`; no work at import time.

`celery -A app.workers.celery_app worker` finds a lazily created instance (module attribute `app`);
`news-service worker` / `news-service beat` build their own from the same settings.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from celery import Celery, signals

from app.adapters.task_ledger import TASK_RECORD_TTL
from app.adapters.task_queue import REFRESH_TASK, TASK_QUEUE
from app.settings import Settings

log = logging.getLogger(__name__)

BROKER_TIMEOUT = 2.0  # seconds to connect to the broker before a publish gives up
MAX_TASKS_PER_CHILD = 200  # recycle a worker child now and then (memory), not per task (models reload)


def time_limits(settings: Settings) -> tuple[int, int]:
    """(soft, hard) task time limits in seconds; the hard limit is always above the soft one."""
    soft = settings.celery.task_soft_time_limit
    return soft, max(settings.celery.task_time_limit, soft + 1)


def visibility_timeout(hard_limit: int) -> int:
    """How long an unacknowledged task stays invisible before redelivery: well above 2 × the hard limit."""
    return int(hard_limit * 2.5) + 1


def create_celery(settings: Settings | None = None, *, set_as_current: bool = True) -> Celery:
    """A Celery app for these settings (broker CELERY_BROKER_URL or REDIS_URL, results in REDIS_URL)."""
    settings = settings or Settings()
    broker = settings.broker_url
    if not broker:
        raise RuntimeError(
            "Celery needs a broker: set REDIS_URL (or CELERY_BROKER_URL); without one the API runs "
            "background jobs in-process (embedded mode) and no worker is needed"
        )
    soft, hard = time_limits(settings)
    visibility = visibility_timeout(hard)
    interval = settings.celery.refresh_interval_minutes * 60
    # Everything Celery writes lives under `<REDIS_KEY_PREFIX>:celery:`, apart from the service's own keys,
    # so deployments (and test runs) sharing a Redis db never consume each other's tasks.
    keyprefix = f"{settings.redis.key_prefix}:celery:"
    fail_fast = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

    app = Celery(
        "news_service",
        broker=broker,
        backend=settings.redis.url or broker,
        include=["app.workers.tasks"],
        set_as_current=set_as_current,
    )
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        event_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_acks_late=True,
        task_acks_on_failure=True,  # a task that failed or timed out is not run again...
        task_acks_on_timeout=True,
        task_reject_on_worker_lost=True,  # ...but one whose worker died is (capped: app.services.jobs)
        task_track_started=True,
        task_soft_time_limit=soft,
        task_time_limit=hard,
        task_default_queue=TASK_QUEUE,
        task_publish_retry=False,
        result_expires=TASK_RECORD_TTL,
        worker_prefetch_multiplier=1,
        worker_concurrency=1,
        worker_max_tasks_per_child=MAX_TASKS_PER_CHILD,
        # Loading Kiwi and the models in a fresh child takes seconds; Celery's default kills it after 4.
        worker_proc_alive_timeout=120,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        broker_connection_timeout=BROKER_TIMEOUT,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "global_keyprefix": keyprefix,
            "visibility_timeout": visibility,
            # Sweep for abandoned (unacked) tasks often enough to notice them soon after they expire.
            "unacked_restore_interval": max(1, min(60, visibility // 10)),
            "unacked_restore_throttle": 1,
            "socket_timeout": 5.0,
            "socket_connect_timeout": BROKER_TIMEOUT,
            **fail_fast,
        },
        result_backend_transport_options={"global_keyprefix": keyprefix, "retry_policy": fail_fast},
        redis_socket_timeout=5.0,
        redis_socket_connect_timeout=BROKER_TIMEOUT,
        redis_retry_on_timeout=False,
        timezone="Asia/Seoul",
        enable_utc=True,
        beat_schedule={
            "refresh-watchlist": {
                "task": REFRESH_TASK,
                "schedule": float(interval),
                "options": {"queue": TASK_QUEUE, "expires": interval},
            }
        },
        beat_schedule_filename=str(
            Path(tempfile.gettempdir()) / f"news-service-beat-{settings.redis.key_prefix}"
        ),
    )
    _connect_signals()
    return app


def _connect_signals() -> None:
    # Imported here: bootstrap pulls in the container (and through it the service graph).
    from app.workers import bootstrap

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
    # `celery -A app.workers.celery_app` looks up `app` (then `celery`): build it on first access.
    if name in ("app", "celery"):
        instance = create_celery()
        globals().update(app=instance, celery=instance)
        return instance
    raise AttributeError(name)
