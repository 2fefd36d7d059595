"""The Celery configuration: `create_celery(settings)` builds an app and connects nothing.

Worker and beat processes start from the worker entry module (`celery -A app.workers.worker`), which adds
the signal handlers and the tasks; the API's container builds a plain app to publish and inspect tasks.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from celery import Celery

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


def beat_schedule_file(settings: Settings) -> str:
    """Where beat keeps its schedule state: one file per key prefix, in the temporary directory."""
    return str(Path(tempfile.gettempdir()) / f"news-service-beat-{settings.redis.key_prefix}")


def create_celery(settings: Settings, *, set_as_current: bool = True) -> Celery:
    """A Celery app for these settings (broker CELERY_BROKER_URL or REDIS_URL, results in REDIS_URL)."""
    # Configuration only: no signal handlers and no tasks (app.workers.worker adds both), nothing contacted.
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
        beat_schedule_filename=beat_schedule_file(settings),
    )
    return app

