"""The dashboard over HTTP with the real Redis, a real Celery worker and beat (processes, as deployed)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from app.adapters.keyspace import Keyspace
from app.adapters.redis_client import create_redis
from app.adapters.store import AnalysisStore
from app.domain.summary import HistorySnapshot
from app.settings import RedisSettings
from tests.fakes.naver_server import FakeNaver
from tests.integration.apiserver import ApiServer, delete_prefix, run_api
from tests.integration.conftest import naver_env
from tests.integration.test_worker import (
    WORKER_READY,
    remove_beat_schedule,
    run_celery,
    service_env,
    wait_for_log,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

D = "/api/v1/dashboard"
KEY = "it-admin-key"
ADMIN = {"X-API-Key": KEY}


@dataclass
class Stack:
    api: ApiServer
    env: dict[str, str]
    naver: FakeNaver
    redis: redis.Redis
    prefix: str
    tmp: Path

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(f"{self.api.url}{path}", timeout=10, **kwargs)

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(method, f"{self.api.url}{path}", headers=ADMIN, timeout=10, **kwargs)

    def wait_task(self, task_id: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self.get(f"{D}/tasks/{task_id}").json()
            if body["state"] in ("SUCCESS", "FAILURE"):
                return body
            time.sleep(0.1)
        raise AssertionError(f"task {task_id} unfinished after {timeout} s")


@pytest.fixture(scope="module")
def stack(redis_url: str, fake_naver: FakeNaver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """API + one worker (prefork, concurrency 1) on one fresh prefix, with the fake Naver as upstream."""
    prefix = f"it-{uuid.uuid4().hex[:8]}"
    tmp = tmp_path_factory.mktemp("dashboard")
    fake_naver.reset()
    env = {
        **naver_env(fake_naver),
        "REDIS_KEY_PREFIX": prefix,
        "ADMIN_API_KEY": KEY,
        "MONITORED_COMPANIES": "삼성전자,LG전자",
    }
    client = redis.Redis.from_url(redis_url)
    try:
        with run_celery("worker", service_env(redis_url, prefix, env), tmp) as worker, run_api(
            env, tmp, redis_url=redis_url
        ) as api:
            wait_for_log(worker, WORKER_READY)
            yield Stack(api, service_env(redis_url, prefix, env), fake_naver, client, prefix, tmp)
    finally:
        delete_prefix(redis_url, prefix)
        remove_beat_schedule(prefix)
        client.close()


def history_ids(stack: Stack, company: str) -> list[str]:
    response = stack.get(f"{D}/companies/{company}/history", params={"limit": 500})
    return [r["id"] for r in response.json()["history"]] if response.status_code == 200 else []


def test_trigger_runs_on_the_worker_and_updates_latest_history_and_status(stack: Stack) -> None:
    response = stack.call("POST", f"{D}/companies/삼성전자/trigger")
    assert response.status_code == 202, response.text
    task_id = response.json()["task_id"]
    task = stack.wait_task(task_id)
    assert task["state"] == "SUCCESS", task
    assert task["result"]["item_count"] > 0 and task["deliveries"] == 1

    latest = stack.get(f"{D}/companies/삼성전자/latest")
    assert latest.status_code == 200
    assert latest.json()["analysis_metadata"]["analysis_time"].startswith(task["result"]["analysis_time"][:19])
    assert history_ids(stack, "삼성전자")[0] == task_id

    status = stack.get(f"{D}/status").json()
    assert status["mode"] == "redis" and status["status"] == "ok"
    assert status["redis"]["status"] == "ok" and status["redis"]["used_memory"]
    assert status["workers"]["count"] == 1 and status["workers"]["nodes"][0]["ok"] is True
    assert status["queue"]["depth"] == 0
    samsung = status["monitored_companies"]["companies"][0]
    assert samsung["company"] == "삼성전자" and samsung["last_result"]["id"] == task_id
    assert status["naver_quota"]["source"] == "naver" and status["naver_quota"]["used"] >= 1  # counted by the worker


def test_a_second_trigger_while_one_runs_returns_the_same_task(stack: Stack) -> None:
    stack.naver.set_latency(1.5)
    try:
        first = stack.call("POST", f"{D}/companies/LG전자/trigger").json()
        second = stack.call("POST", f"{D}/companies/LG전자/trigger").json()
        assert second["task_id"] == first["task_id"] and second["deduplicated"] is True
        assert stack.wait_task(first["task_id"])["state"] == "SUCCESS"
    finally:
        stack.naver.set_latency(0)
    third = stack.call("POST", f"{D}/companies/LG전자/trigger").json()
    assert third["task_id"] != first["task_id"] and third["deduplicated"] is False
    assert stack.wait_task(third["task_id"])["state"] == "SUCCESS"
    assert history_ids(stack, "LG전자")[:2] == [third["task_id"], first["task_id"]]


def test_cache_clear_removes_only_this_services_cache_keys(stack: Stack) -> None:
    if not history_ids(stack, "삼성전자"):
        stack.wait_task(stack.call("POST", f"{D}/companies/삼성전자/trigger").json()["task_id"])
    foreign = {f"other-app-{uuid.uuid4().hex[:6]}:session": b"1", f"{stack.prefix}x:v1:search:abc": b"2"}
    stack.redis.mset(foreign)
    try:
        before = {k.decode() for k in stack.redis.scan_iter(match=f"{stack.prefix}:*")}
        cache_kinds = {"search", "analysis", "article"}
        assert {k.split(":")[2] for k in before if k.startswith(f"{stack.prefix}:v1:")} >= cache_kinds
        info = stack.get(f"{D}/cache/info").json()
        assert info["keys"]["analysis"] >= 1 and info["memory"]["used_memory"]

        company = stack.call("DELETE", f"{D}/cache/companies/삼성전자")
        assert company.status_code == 200 and company.json()["deleted"] >= 2
        cleared = stack.call("DELETE", f"{D}/cache")
        assert cleared.status_code == 200 and cleared.json()["deleted"]["article"] >= 1

        after = {k.decode() for k in stack.redis.scan_iter(match=f"{stack.prefix}:*")}
        gone = before - after
        assert gone and all(k.split(":")[2] in cache_kinds for k in gone)
        assert {k for k in before if k.split(":")[2] not in cache_kinds} <= after  # store, celery, tasks stay
        assert [stack.redis.get(k) for k in foreign] == list(foreign.values())
        assert stack.get(f"{D}/companies/삼성전자/latest").status_code == 200
        assert history_ids(stack, "삼성전자")
    finally:
        stack.redis.delete(*foreign)


def test_beat_follows_the_watch_list(stack: Stack) -> None:
    assert stack.call("PUT", f"{D}/companies/SK하이닉스").json()["added"] is True
    assert stack.call("DELETE", f"{D}/companies/LG전자").status_code == 200
    lg_before = history_ids(stack, "LG전자")
    samsung_before = history_ids(stack, "삼성전자")
    with run_celery("beat", stack.env, stack.tmp) as beat:  # beat queues one refresh when it starts
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            history_ids(stack, "SK하이닉스") and len(history_ids(stack, "삼성전자")) > len(samsung_before)
        ):
            time.sleep(0.3)
        assert history_ids(stack, "SK하이닉스"), beat.log()[-3000:]
    assert len(history_ids(stack, "삼성전자")) == len(samsung_before) + 1
    assert history_ids(stack, "LG전자") == lg_before  # no longer watched: not refreshed
    companies = stack.get(f"{D}/companies").json()
    assert companies["watchlist"] == ["삼성전자", "SK하이닉스"]
    assert next(c for c in companies["companies"] if c["company"] == "LG전자")["watched"] is False


def _record(record_id: str, time: str) -> dict[str, Any]:
    """A history record as `snapshot()` writes it (the store skips records that do not read as one)."""
    return {"id": record_id, "time": time, "total_analyzed": 0, "esg_distribution": {},
            "sentiment_distribution": {}, "negative_ratio": 0.0, "top_keywords": [], "most_negative": [],
            "model_name": "demo", "ml_service_status": "local_model"}


def test_the_history_cap_is_enforced(redis_url: str, key_prefix: str) -> None:
    async def scenario() -> list[HistorySnapshot]:
        client = create_redis(RedisSettings(_env_file=None, url=redis_url, key_prefix=key_prefix))
        store = AnalysisStore(client, Keyspace(key_prefix), history_cap=5)
        try:
            for n in range(8):
                assert await store.save("삼성전자", "{}", _record(f"r{n}", f"2026-11-2{n}T09:00:00+00:00"))
            assert not await store.save("삼성전자", "{}", _record("r7", "2026-11-29T09:00:00+00:00"))
            return await store.history("삼성전자", limit=500)
        finally:
            await client.aclose()

    history = asyncio.run(scenario())
    assert [r.id for r in history] == ["r7", "r6", "r5", "r4", "r3"]
