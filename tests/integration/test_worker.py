"""A real Celery worker on the real Redis: `kill -9` mid-task → redelivered to a new worker, one record;
the worker serves its children's metrics on WORKER_METRICS_PORT.

Also the helpers (worker and beat subprocesses) the other Celery integration tests use.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from app.adapters.store import AnalysisStore
from app.adapters.task_ledger import RedisTaskLedger
from app.adapters.task_queue import ANALYZE_TASK
from app.container import create_container, resolve
from app.services.tasks import TaskService
from app.settings import CelerySettings, NaverSettings, NewsSettings, RedisSettings, Settings
from tests.fakes.naver_server import FakeNaver
from tests.integration.apiserver import ROOT, delete_prefix, free_port
from tests.integration.conftest import NAVER_ID, NAVER_SECRET, naver_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@dataclass
class Proc:
    """A worker or beat subprocess (its own process group, so one kill takes its children too)."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """Everything it printed so far."""
        return self.log_path.read_text(errors="replace")


def service_env(redis_url: str, prefix: str, extra: dict[str, str]) -> dict[str, str]:
    """A clean environment for a service process against `redis_url` under `prefix`."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("NAVER_", "REDIS_", "NEWS_", "MODEL", "ML_", "WORKER_", "PROMETHEUS_"))
    }
    env.update(
        {
            "REDIS_URL": redis_url,
            "REDIS_KEY_PREFIX": prefix,
            "MODELS_DIR": str(ROOT / "models"),
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(ROOT),
            "WORKER_METRICS_PORT": "0",  # no fixed port on 0.0.0.0 in tests; the metrics test picks a free one
        }
    )
    env.update(extra)
    return env


@contextmanager
def run_celery(command: str, env: dict[str, str], log_dir: Path) -> Iterator[Proc]:
    """`news-service worker|beat` as a subprocess; SIGKILLed (with its children) afterwards."""
    log_path = log_dir / f"{command}-{uuid.uuid4().hex[:6]}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", command],
            cwd=log_dir,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    proc = Proc(process, log_path)
    try:
        yield proc
    finally:
        kill_group(proc)


def kill_group(proc: Proc, sig: int = signal.SIGKILL) -> None:
    """Kill the process and every child it forked (`kill -9` of the worker)."""
    if proc.process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.process.pid, sig)
    try:
        proc.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.process.pid, signal.SIGKILL)
        proc.process.wait(timeout=10)


def wait_for_log(proc: Proc, text: str, timeout: float = 60) -> None:
    """Until `text` appears in the process's output (the worker child logs 'worker process … ready')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in proc.log():
            return
        if proc.process.poll() is not None:
            raise AssertionError(f"process exited with {proc.process.returncode}:\n{proc.log()[-3000:]}")
        time.sleep(0.2)
    raise AssertionError(f"'{text}' not seen within {timeout} s:\n{proc.log()[-3000:]}")


def remove_beat_schedule(prefix: str) -> None:
    """Beat's schedule file for a test prefix."""
    for path in Path(tempfile.gettempdir()).glob(f"news-service-beat-{prefix}*"):
        path.unlink(missing_ok=True)


WORKER_READY = "worker process"


def in_process_settings(redis_url: str, prefix: str, naver: FakeNaver, **celery: int) -> Settings:
    """The same wiring as the subprocesses, for driving the services from the test."""
    return Settings(
        naver=NaverSettings(_env_file=None, api_url=naver.url, client_id=NAVER_ID, client_secret=NAVER_SECRET),
        news=NewsSettings(_env_file=None, source="naver"),
        redis=RedisSettings(_env_file=None, url=redis_url, key_prefix=prefix),
        celery=CelerySettings(_env_file=None, **celery),  # type: ignore[arg-type]
    )


@dataclass
class Services:
    tasks: TaskService
    ledger: RedisTaskLedger
    store: AnalysisStore


@pytest.fixture
async def services(redis_url: str, key_prefix: str, naver: FakeNaver) -> AsyncIterator[Services]:
    settings = in_process_settings(redis_url, key_prefix, naver, task_soft_time_limit=8, task_time_limit=9)
    container = create_container(settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        yield Services(
            await resolve(container.task_service),
            await resolve(container.task_ledger),
            await resolve(container.store),
        )
    finally:
        await container.shutdown_resources()  # type: ignore[misc]
        delete_prefix(redis_url, key_prefix)


def stored_state(redis_url: str, prefix: str, task_id: str) -> str | None:
    """The task record's state as stored: unlike `ledger.get`, reading it never records a task as lost."""
    client = redis.Redis.from_url(redis_url)
    try:
        raw = client.hget(f"{prefix}:v1:task:{hashlib.sha256(task_id.encode()).hexdigest()}", "state")
    finally:
        client.close()
    return raw.decode() if isinstance(raw, bytes) else None


async def wait_for_stored_state(redis_url: str, prefix: str, task_id: str, states: set[str], within: float) -> str:
    """Like `wait_for_state`, without recording a task whose lease lapsed as lost on the way."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        state = stored_state(redis_url, prefix, task_id)
        if state is not None and state in states:
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"task {task_id} not in {states} within {within} s: {stored_state(redis_url, prefix, task_id)}")


async def wait_for_state(ledger: RedisTaskLedger, task_id: str, states: set[str], within: float) -> str:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        record = await ledger.get(task_id)
        if record is not None and record.state in states:
            return record.state
        await asyncio.sleep(0.1)
    raise AssertionError(f"task {task_id} not in {states} within {within} s: {await ledger.get(task_id)}")


async def test_a_task_killed_with_its_worker_completes_on_the_next_worker_exactly_once(
    redis_url: str, key_prefix: str, naver: FakeNaver, services: Services, tmp_path: Path
) -> None:
    # Short limits so the unacknowledged task becomes visible again soon (visibility = 2.5 × hard + 1 s).
    env = service_env(
        redis_url,
        key_prefix,
        {**naver_env(naver), "TASK_SOFT_TIME_LIMIT": "8", "TASK_TIME_LIMIT": "9"},
    )
    naver.set_latency(3.0)  # the first delivery is still waiting for Naver when its worker dies
    with run_celery("worker", env, tmp_path) as first:
        wait_for_log(first, WORKER_READY)
        triggered = await services.tasks.trigger("삼성전자", 10)
        await wait_for_state(services.ledger, triggered.task_id, {"STARTED"}, within=30)
        await asyncio.sleep(0.5)
        kill_group(first)  # kill -9: no ack, no result, no cleanup
    record = await services.ledger.get(triggered.task_id)
    assert record is not None and record.state == "STARTED" and record.deliveries == 1
    assert await services.store.latest("삼성전자") is None

    naver.set_latency(0)
    with run_celery("worker", env, tmp_path) as second:
        # Nobody asks about the task meanwhile (a status read or a trigger after its lease lapsed would record
        # it as lost and a new trigger would replace it: tests/integration/test_worker_recovery.py).
        state = await wait_for_stored_state(
            redis_url, key_prefix, triggered.task_id, {"SUCCESS", "FAILURE"}, within=60
        )
        assert state == "SUCCESS", second.log()[-3000:]
    record = await services.ledger.get(triggered.task_id)
    assert record is not None and record.deliveries == 2
    assert record.result is not None and record.result["item_count"] > 0
    history = await services.store.history("삼성전자", limit=50)
    assert [r.id for r in history] == [triggered.task_id]
    assert await services.ledger.pending("삼성전자") is None
    assert (await services.tasks.task(triggered.task_id)).state == "SUCCESS"  # Celery agrees


def counter_files(tmp_path: Path, but_not: int) -> list[str]:
    """Counter files in the one multiprocess directory a worker made under `tmp_path`, except one pid's."""
    (directory,) = tmp_path.glob("news-worker-metrics-*")
    return [p.name for p in directory.glob("counter_*.db") if p.name != f"counter_{but_not}.db"]


async def scrape_until(url: str, sample: str, labels: dict[str, str], at_least: float, within: float) -> float:
    """The sample's value at `url` once it reaches `at_least` (a task is counted just after its record)."""
    deadline, value = time.monotonic() + within, 0.0
    async with httpx.AsyncClient(timeout=5) as client:
        while time.monotonic() < deadline:
            response = await client.get(url)
            assert response.status_code == 200
            value = sum(
                s.value
                for family in text_string_to_metric_families(response.text)
                for s in family.samples
                if s.name == sample and labels.items() <= s.labels.items()
            )
            if value >= at_least:
                return value
            await asyncio.sleep(0.2)
    return value


async def test_the_worker_serves_the_task_counts_of_its_children_on_worker_metrics_port(
    redis_url: str, key_prefix: str, naver: FakeNaver, services: Services, tmp_path: Path
) -> None:
    port = free_port()
    # TMPDIR: the worker's own multiprocess directory (mkdtemp) lands where the test can look at it.
    env = service_env(
        redis_url, key_prefix, {**naver_env(naver), "WORKER_METRICS_PORT": str(port), "TMPDIR": str(tmp_path)}
    )
    with run_celery("worker", env, tmp_path) as worker:
        wait_for_log(worker, WORKER_READY)
        triggered = await services.tasks.trigger("삼성전자", 10)
        state = await wait_for_state(services.ledger, triggered.task_id, {"SUCCESS", "FAILURE"}, within=60)
        assert state == "SUCCESS", worker.log()[-3000:]
        url = f"http://127.0.0.1:{port}/metrics"
        labels = {"task": ANALYZE_TASK, "outcome": "success"}
        successes = await scrape_until(url, "news_tasks_total", labels, at_least=1, within=10)
        assert successes >= 1, worker.log()[-3000:]
        # The count came from the prefork child, through a file in the directory the main process made.
        assert counter_files(tmp_path, but_not=worker.process.pid)
