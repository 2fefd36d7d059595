"""Worker metrics endpoint: a busy port never stops the worker; the multiprocess directory is private and clean."""

from __future__ import annotations

import logging
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, Counter

from app.workers import metrics_server
from app.workers.metrics_server import MULTIPROC_ENV, prepare_multiprocess_dir, serve_registry


@pytest.fixture
def no_multiproc_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Start without PROMETHEUS_MULTIPROC_DIR; whatever the code sets is undone (never leaks to later tests)."""
    monkeypatch.setenv(MULTIPROC_ENV, "placeholder")
    monkeypatch.delenv(MULTIPROC_ENV)  # recorded as set before, so the undo removes what the code sets
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    yield
    metrics_server.stop_worker_metrics()


def test_a_busy_port_logs_one_warning_and_returns(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # the address the worker binds
        taken.listen()
        port = taken.getsockname()[1]
        with caplog.at_level(logging.WARNING, logger=metrics_server.__name__):
            assert serve_registry(CollectorRegistry(), port) is False
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and f":{port}" in warnings[0].getMessage()


def test_a_free_port_serves_the_registry() -> None:
    registry = CollectorRegistry()
    Counter("probe_total", "probe", registry=registry).inc(3)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    try:
        assert serve_registry(registry, port) is True
        assert "probe_total 3.0" in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        metrics_server.stop_worker_metrics()


def test_without_multiprocess_values_nothing_is_served_and_the_log_says_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # This test process imported prometheus_client without the variable, like `celery -A …` does.
    with caplog.at_level(logging.WARNING, logger=metrics_server.__name__):
        assert metrics_server.start_worker_metrics(9102) is False
    assert MULTIPROC_ENV in caplog.text


def test_unset_directory_is_made_private_and_removed_at_shutdown(no_multiproc_env: None, tmp_path: Path) -> None:
    assert prepare_multiprocess_dir(0) is None and MULTIPROC_ENV not in os.environ  # metrics off: untouched
    made = prepare_multiprocess_dir(9102)
    assert made is not None and made.parent == tmp_path and os.environ[MULTIPROC_ENV] == str(made)
    metrics_server.stop_worker_metrics()
    assert not made.exists()


def test_an_operators_directory_loses_other_processes_files_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    directory = tmp_path / "metrics"
    directory.mkdir()
    own = directory / f"counter_{os.getpid()}.db"
    for name in ("counter_1.db", "histogram_2.db", "gauge_mostrecent_3.db", own.name, "notes.txt"):
        (directory / name).write_bytes(b"x")
    monkeypatch.setenv(MULTIPROC_ENV, str(directory))
    assert prepare_multiprocess_dir(9102) == directory
    assert sorted(p.name for p in directory.iterdir()) == sorted([own.name, "notes.txt"])
    metrics_server.stop_worker_metrics()
    assert directory.exists()  # not ours to remove
