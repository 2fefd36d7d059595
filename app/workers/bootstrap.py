"""Worker process bootstrap: the runtime each worker process opens, and the Celery signal handlers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from app.container import Container, create_container, running
from app.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

# Set by the worker's main process before it forks, read by each child to size its torch threads.
CONCURRENCY_ENV = "NEWS_WORKER_CONCURRENCY"


def worker_settings() -> Settings:
    """Settings for one worker process: torch threads capped so concurrency × threads ≤ cores."""
    from app.ml.device import physical_cores

    settings = Settings()
    concurrency = max(1, int(os.environ.get(CONCURRENCY_ENV, "1") or 1))
    budget = max(1, physical_cores() // concurrency)
    threads = min(settings.ml.torch_threads or budget, budget)
    ml = settings.ml.model_copy(update={"torch_threads": threads})
    return settings.model_copy(update={"ml": ml})


class WorkerRuntime:
    """One per worker process: the container, one event loop for every task, the loaded models."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.container = create_container(settings)
        self.loop = asyncio.new_event_loop()
        # The container's `running` block, entered by start and left by close on the process loop.
        self._open = contextlib.AsyncExitStack()

    def start(self) -> None:
        """Open clients, warm up Kiwi, load the models (after fork: CUDA is never touched in the parent)."""
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._open.enter_async_context(running(self.container, models=True)))
        info = self.container.classifier().info()
        log.info(
            "worker process %d ready: %s '%s' on %s, %d torch threads",
            os.getpid(), info.ml_service_status, info.model_name, info.device, self.settings.ml.torch_threads,
        )

    def run(self, work: Callable[[Container], Awaitable[T]]) -> T:
        """Run one task's coroutine on the process loop; an interruption (soft time limit) cancels it."""
        task = self.loop.create_task(_call(work, self.container))
        try:
            return self.loop.run_until_complete(task)
        except BaseException:
            if not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    self.loop.run_until_complete(task)
            raise

    def close(self) -> None:
        """Leave the container's `running` block (counters flushed, inference stopped, clients closed)."""
        try:
            self.loop.run_until_complete(self._open.aclose())
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
        except Exception as exc:  # shutting down: report and go on
            log.warning("worker shutdown: %s", type(exc).__name__)
        finally:
            self.loop.close()


async def _call(work: Callable[[Container], Awaitable[T]], container: Container) -> T:
    return await work(container)


_process: dict[str, WorkerRuntime] = {}  # this process's runtime (a fork child builds its own)
_keeper: dict[str, Any] = {}  # the main process's LeaseKeeper (app/workers/lease_keeper.py)


def runtime() -> WorkerRuntime:
    """This process's runtime, started on first use (solo pool, or a task run outside a worker)."""
    current = _process.get("runtime")
    if current is None:
        current = WorkerRuntime(worker_settings())
        current.start()
        _process["runtime"] = current
    return current


def shutdown() -> None:
    """Close this process's runtime, if it was started."""
    current = _process.pop("runtime", None)
    if current is not None:
        current.close()


# -- Celery signal handlers (connected by app.workers.worker) ------------------------------------------


def on_setup_logging(loglevel: Any = None, **_: Any) -> None:
    """Our log format (LOG_FORMAT) instead of Celery's."""
    from app.logging_setup import configure_logging

    api = Settings().api
    level = loglevel if isinstance(loglevel, str) else logging.getLevelName(loglevel or api.log_level)
    configure_logging(str(level), api.log_format)


def on_worker_init(sender: Any = None, **_: Any) -> None:
    """Main process: children's concurrency, /metrics, task leases; a solo/threads pool bootstraps here."""
    from app.workers.metrics_server import start_worker_metrics

    concurrency = getattr(sender, "concurrency", None) or 1
    os.environ[CONCURRENCY_ENV] = str(concurrency)
    settings = Settings()
    start_worker_metrics(settings.celery.worker_metrics_port)
    _start_lease_keeper(settings)
    pool = str(getattr(sender, "pool_cls", "")).lower()
    if "solo" in pool or "thread" in pool:
        runtime()


def _start_lease_keeper(settings: Settings) -> None:
    from app.workers.lease_keeper import keeper_for

    if settings.redis.url and "keeper" not in _keeper:
        keeper = keeper_for(settings)
        keeper.start()
        _keeper["keeper"] = keeper


def on_task_prerun(task: Any = None, **_: Any) -> None:
    """Log the task under the id of the request that queued it (beat's refreshes get their own)."""
    from app.request_context import bind_request_id

    request = getattr(task, "request", None)
    bind_request_id(getattr(request, "request_id", None) or getattr(request, "id", None))


def _count_task(sender: Any, outcome: str) -> None:
    from app.metrics import TASK_RUNS

    TASK_RUNS.labels(str(getattr(sender, "name", None) or "unknown"), outcome).inc()


def on_task_success(sender: Any = None, **_: Any) -> None:
    """Count a task that returned (process-local: the worker child that ran it)."""
    _count_task(sender, "success")


def on_task_failure(sender: Any = None, **_: Any) -> None:
    """Count a task that raised (time limits and redelivery refusals included)."""
    _count_task(sender, "failure")


def on_task_retry(sender: Any = None, **_: Any) -> None:
    """Count a task that asked to be retried."""
    _count_task(sender, "retry")


def on_worker_process_init(**_: Any) -> None:
    """A fresh prefork child: build the container and load the models once."""
    runtime()


def on_worker_process_shutdown(**_: Any) -> None:
    """A prefork child exits."""
    from app.workers.metrics_server import mark_process_dead

    shutdown()
    mark_process_dead(os.getpid())


def on_worker_shutdown(**_: Any) -> None:
    """The main process exits (closes the runtime of a solo pool, stops the metrics endpoint)."""
    from app.workers.metrics_server import stop_worker_metrics

    shutdown()
    stop_worker_metrics()
    keeper = _keeper.pop("keeper", None)
    if keeper is not None:
        keeper.stop()


def on_beat_init(sender: Any = None, **_: Any) -> None:
    """Refresh the watch list once when beat starts, then every REFRESH_INTERVAL_MINUTES."""
    from app.adapters.task_queue import REFRESH_TASK, TASK_QUEUE

    app = getattr(sender, "app", None)
    if app is None:
        return
    try:
        app.send_task(REFRESH_TASK, queue=TASK_QUEUE, retry=False)
    except Exception as exc:  # the broker may still be starting; the schedule tries again
        log.warning("beat: could not queue the start-up refresh: %s", type(exc).__name__)
