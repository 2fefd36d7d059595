"""Worker metrics: prometheus_client's multiprocess mode and the /metrics endpoint of the main process.

A prefork worker's children count tasks and inference; each writes its values to files in
PROMETHEUS_MULTIPROC_DIR and the main process serves the sum of them all. Nothing here imports
prometheus_client at module level: `prepare_multiprocess_dir` must run before it is first imported.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Compose reaches the worker on its service name; there is no API host setting to follow (serve's --host).
METRICS_HOST = "0.0.0.0"  # noqa: S104 - scraped from other containers

_state: dict[str, Any] = {}  # this process's server and the directory it created, if any


def prepare_multiprocess_dir(port: int) -> Path | None:
    """Point PROMETHEUS_MULTIPROC_DIR at a private directory without other processes' files; None when off."""
    configured = os.environ.get(MULTIPROC_ENV)
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
        remove_stale_files(path)
        return path
    if port == 0:
        return None
    path = Path(tempfile.mkdtemp(prefix="news-worker-metrics-"))
    os.environ[MULTIPROC_ENV] = str(path)
    _state["created_dir"] = path
    return path


def remove_stale_files(path: Path) -> None:
    """Delete value files of earlier runs (a restarted worker would otherwise add their counts again)."""
    # Files are named <kind>_<pid>.db; this process's own (made at import) are still in use.
    own = f"_{os.getpid()}.db"
    for stale in path.glob("*.db"):
        if not stale.name.endswith(own):
            stale.unlink(missing_ok=True)


def multiprocess_active() -> bool:
    """Whether prometheus_client chose file-backed values (decided once, when it was first imported)."""
    from prometheus_client import values

    return bool(getattr(values.ValueClass, "_multiprocess", False))


def start_worker_metrics(port: int, host: str = METRICS_HOST) -> bool:
    """Main process, before the pool forks: serve all its processes' metrics on host:port; False if not."""
    if port == 0:
        return False
    if not multiprocess_active():
        # e.g. `celery -A app.workers.worker worker` without the variable: app.metrics was imported
        # before any hook of ours ran, so the children's values would stay in their own memory.
        log.warning(
            "worker metrics not served: set %s before the worker starts (news-service worker does)",
            MULTIPROC_ENV,
        )
        return False
    from prometheus_client import CollectorRegistry, multiprocess

    try:
        path = prepare_multiprocess_dir(port)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(path) if path else None)
    except (OSError, ValueError) as exc:  # metrics never stop the worker
        log.warning("worker metrics not served: %s: %s", type(exc).__name__, exc)
        return False
    return serve_registry(registry, port, host)


def serve_registry(registry: Any, port: int, host: str = METRICS_HOST) -> bool:
    """Serve `registry` at http://host:port/metrics on a daemon thread; a busy port logs, never raises."""
    from prometheus_client import start_http_server

    try:
        server, _ = start_http_server(port, addr=host, registry=registry)
    except OSError as exc:
        log.warning(
            "worker metrics not served: cannot listen on %s:%d (%s); the worker goes on without them",
            host, port, exc.strerror or type(exc).__name__,
        )
        return False
    _state["server"] = server
    log.info("worker metrics on http://%s:%d/metrics (%s)", host, port, os.environ.get(MULTIPROC_ENV))
    return True


def mark_process_dead(pid: int) -> None:
    """A child exits: drop its live-gauge files (its counters stay in the totals)."""
    if os.environ.get(MULTIPROC_ENV) and multiprocess_active():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def stop_worker_metrics() -> None:
    """Main process exits: stop serving and remove the directory it created (an operator's stays)."""
    server = _state.pop("server", None)
    if server is not None:
        server.shutdown()
        server.server_close()
    created = _state.pop("created_dir", None)
    if created is not None:
        shutil.rmtree(created, ignore_errors=True)
