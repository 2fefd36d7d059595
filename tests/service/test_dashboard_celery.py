"""Celery configuration, fail-fast publishing, worker process sizing and the Naver call meter."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from dependency_injector import providers
from fakeredis import FakeServer
from fakeredis.aioredis import FakeRedis

from app.adapters.keyspace import Keyspace
from app.adapters.naver_usage import MeteredNaver, NaverUsage, kst_day
from app.adapters.task_ledger import RedisTaskLedger
from app.adapters.task_queue import REFRESH_TASK, TASK_QUEUE, CeleryTaskQueue
from app.container import Container, create_container, resolve
from app.domain.models import SourcePage
from app.errors import UpstreamUnavailable
from app.settings import CelerySettings, RedisSettings, Settings
from app.workers import bootstrap
from app.workers import tasks as worker_tasks
from app.workers.bootstrap import WorkerRuntime, worker_settings
from app.workers.celery_app import create_celery, visibility_timeout
from tests.conftest import embedded_settings


def redis_settings(broker: str = "", **celery: object) -> Settings:
    return embedded_settings().model_copy(
        update={
            "redis": RedisSettings(_env_file=None, url="redis://127.0.0.1:6379/11", key_prefix="cfg-test"),
            "celery": CelerySettings(_env_file=None, broker_url=broker, **celery),
        }
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_celery_configuration_follows_the_reliability_rules() -> None:
    settings = redis_settings(task_soft_time_limit=300, task_time_limit=360, refresh_interval_minutes=15)
    conf = create_celery(settings, set_as_current=False).conf
    assert conf.task_serializer == conf.result_serializer == "json"
    assert conf.accept_content == ["json"] and conf.result_accept_content == ["json"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.task_track_started
    assert conf.task_acks_on_failure and conf.task_acks_on_timeout
    assert conf.worker_prefetch_multiplier == 1 and conf.worker_concurrency == 1
    assert (conf.task_soft_time_limit, conf.task_time_limit) == (300, 360)
    transport = conf.broker_transport_options
    assert transport["visibility_timeout"] > 2 * 360
    assert transport["global_keyprefix"] == conf.result_backend_transport_options["global_keyprefix"] == "cfg-test:celery:"
    assert conf.broker_url == conf.result_backend == "redis://127.0.0.1:6379/11"
    assert conf.result_expires and conf.worker_max_tasks_per_child
    entry = conf.beat_schedule["refresh-watchlist"]
    assert entry["task"] == REFRESH_TASK and entry["schedule"] == 15 * 60 and entry["options"]["queue"] == TASK_QUEUE


def test_the_hard_limit_stays_above_the_soft_one_and_visibility_above_twice_it() -> None:
    conf = create_celery(redis_settings(task_soft_time_limit=50, task_time_limit=10), set_as_current=False).conf
    assert conf.task_time_limit == 51
    for hard in (1, 5, 360, 3600):
        assert visibility_timeout(hard) > 2 * hard


def test_without_a_broker_celery_explains_embedded_mode() -> None:
    with pytest.raises(RuntimeError, match="embedded mode"):
        create_celery(embedded_settings())


async def test_a_dead_broker_fails_the_publish_fast_and_releases_the_claim() -> None:
    app = create_celery(redis_settings(f"redis://127.0.0.1:{closed_port()}/0"), set_as_current=False)
    queue = CeleryTaskQueue(app)
    with pytest.raises(UpstreamUnavailable, match="Celery broker"):  # bounded: a hanging publish fails here
        await asyncio.wait_for(queue.publish("t-1", "삼성전자", 10), timeout=10)
    assert (await queue.workers()).status == "unavailable"
    assert await queue.depth() is None

    # Redis (the store) up, the broker down: the claim taken for the trigger is given back.
    container = create_container(redis_settings(f"redis://127.0.0.1:{closed_port()}/0"))
    container.redis.override(providers.Object(FakeRedis(server=FakeServer())))
    service = await resolve(container.task_service)
    ledger: RedisTaskLedger = await resolve(container.task_ledger)
    with pytest.raises(UpstreamUnavailable, match="Celery broker"):
        await service.trigger("삼성전자")
    assert await ledger.pending("삼성전자") is None  # a later trigger may try again


def test_worker_processes_share_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ml.device.physical_cores", lambda: 8)
    monkeypatch.delenv("ML_TORCH_THREADS", raising=False)
    monkeypatch.setenv(bootstrap.CONCURRENCY_ENV, "1")
    assert worker_settings().ml.torch_threads == 8
    monkeypatch.setenv(bootstrap.CONCURRENCY_ENV, "3")
    assert worker_settings().ml.torch_threads == 2
    monkeypatch.setenv("ML_TORCH_THREADS", "6")  # asked for more than its share: capped
    assert worker_settings().ml.torch_threads == 2
    monkeypatch.setenv("ML_TORCH_THREADS", "1")
    assert worker_settings().ml.torch_threads == 1


def test_an_interrupted_task_is_cancelled_on_the_worker_loop() -> None:
    runtime = WorkerRuntime(embedded_settings())
    cancelled: list[bool] = []

    async def work(_: Container) -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    def soft_limit(*_: object) -> None:
        raise SoftTimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, soft_limit)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(SoftTimeLimitExceeded):
            runtime.run(work)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert cancelled == [True]

    async def answer(_: Container) -> int:
        return 42

    assert runtime.run(answer) == 42  # the loop is still usable for the next task
    runtime.loop.close()


def test_a_worker_process_opens_and_closes_its_container_like_the_api() -> None:
    runtime = WorkerRuntime(embedded_settings())
    runtime.start()  # `running(container, models=True)`, entered on the process loop
    assert runtime.container.classifier().info().ml_service_status == "keyword_fallback"

    async def count(container: Container) -> tuple[Any, bytes | None]:
        redis = await resolve(container.redis)
        (await resolve(container.counters)).hincr("worker-test", "runs", 3)  # buffered, not written yet
        return redis, await redis.hget("worker-test", "runs")

    redis, before = runtime.run(count)
    runtime.close()  # leaves the block: counters flushed, clients closed, then the loop
    assert before is None
    assert runtime.loop.is_closed()
    assert asyncio.run(redis.hget("worker-test", "runs")) == b"3"  # the in-process server outlives its client


def test_the_celery_tasks_return_plain_json_dicts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Celery's result backend stores JSON: the services' typed results are turned into dicts at the task.
    runtime = WorkerRuntime(embedded_settings())
    runtime.start()
    monkeypatch.setattr(worker_tasks, "runtime", lambda: runtime)
    try:
        summary = worker_tasks.analyze_company(SimpleNamespace(request=SimpleNamespace(id="t-json")), "삼성전자", 5)
        queued = worker_tasks.refresh_watchlist()

        async def drained(container: Container) -> None:
            queue = await resolve(container.embedded_queue)  # a worker has none: these ran in-process
            await queue.join()
            await queue.stop()

        runtime.run(drained)
    finally:
        runtime.close()
    assert type(summary) is dict and json.loads(json.dumps(summary)) == summary
    assert list(summary) == ["task_id", "company", "analysis_time", "item_count", "total_found", "duplicates_removed",
                             "esg_distribution", "sentiment_distribution", "negative_ratio", "model_name",
                             "ml_service_status", "device", "newly_classified", "elapsed_ms"]
    assert summary["task_id"] == "t-json" and summary["company"] == "삼성전자"
    assert [entry["company"] for entry in queued] == ["삼성전자", "LG전자"]
    assert all(type(entry) is dict and list(entry) == ["company", "task_id", "created"] for entry in queued)
    assert json.loads(json.dumps(queued)) == queued


class CountingClient:
    name = "naver"

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    async def search(self, query: str, *, max_results: int, sort: str, offset: int = 0) -> SourcePage:
        self.calls["200"] += 2  # two pages
        self.calls["timeout"] += 1  # never answered: not counted
        if query == "fail":
            self.calls["429"] += 1
            raise UpstreamUnavailable("throttled")
        return SourcePage(total=0, items=[])


async def test_naver_calls_are_counted_per_kst_day() -> None:
    redis = FakeRedis(server=FakeServer())
    usage = NaverUsage(redis, Keyspace("quota"), daily_limit=100)
    source = MeteredNaver(CountingClient(), usage)  # type: ignore[arg-type]
    await source.search("삼성전자", max_results=150, sort="sim")
    with pytest.raises(UpstreamUnavailable):
        await source.search("fail", max_results=10, sort="sim")
    today = await usage.today()
    assert today.model_dump() == {"date": kst_day(), "used": 5, "limit": 100, "remaining": 95}
    assert 0 < await redis.ttl(f"quota:v1:naver_calls:{kst_day()}") <= 3 * 24 * 3600
