"""Naver failing for real (a fake Naver over HTTP): 5xx, 429 throttling, hangs, the daily quota.

Each failure is injected into the fake server; the API (a real process) must retry where it helps,
serve a stale copy when it has one, and otherwise answer a clear 502/503 with Retry-After within
its deadline (NAVER_DEADLINE_SECONDS=3, NAVER_TIMEOUT_SECONDS=1 here; client timeouts are bounds).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.naver_server import FakeNaver
from tests.faults.conftest import RedisServer, api_env
from tests.integration.apiserver import ApiServer, run_api
from tests.integration.conftest import naver_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DEADLINE, TIMEOUT = 3, 1
BOUND = DEADLINE + 2  # the deadline plus slack for the request itself
NEWS = "/api/v1/search/news"


def env_for(fake: FakeNaver, redis: RedisServer, **extra: str) -> dict[str, str]:
    timing = {"NAVER_DEADLINE_SECONDS": str(DEADLINE), "NAVER_TIMEOUT_SECONDS": str(TIMEOUT)}
    return api_env(**{**naver_env(fake), **timing, "REDIS_URL": redis.url(), **extra})


@pytest.fixture(scope="module")
def module_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def api(fake_naver: FakeNaver, module_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[ApiServer]:
    with run_api(env_for(fake_naver, module_redis), tmp_path_factory.mktemp("api")) as server:
        yield server


@pytest.fixture
def client(api: ApiServer, naver: FakeNaver) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=BOUND) as bounded:
        yield bounded


def fresh_query() -> str:
    return f"삼성전자 {uuid.uuid4().hex[:6]}"  # never cached; the fake still answers it


def cached(client: httpx.Client, query: str) -> None:
    """Make sure `query` has a cached copy."""
    response = client.post(NEWS, json={"query": query})
    assert response.status_code == 200, response.text


def refresh(client: httpx.Client, query: str) -> httpx.Response:
    return client.post(NEWS, json={"query": query, "force_refresh": True})


def assert_refused(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error
    assert int(response.headers["Retry-After"]) >= 1


def test_server_errors_are_retried_then_answered_502(client: httpx.Client, naver: FakeNaver) -> None:
    naver.fail_next(500, "SE99", times=3)
    response = client.post(NEWS, json={"query": fresh_query()})
    assert_refused(response, 502, "UpstreamError")
    assert "Naver server error 500" in response.json()["detail"]
    assert naver.call_count == 3  # NAVER_MAX_ATTEMPTS


def test_a_server_error_that_passes_is_absorbed_by_a_retry(client: httpx.Client, naver: FakeNaver) -> None:
    naver.fail_next(503, "SE99", times=1)
    response = client.post(NEWS, json={"query": fresh_query()})
    assert response.status_code == 200, response.text
    assert naver.call_count == 2


def test_server_errors_with_a_cached_copy_serve_it_as_stale(client: httpx.Client, naver: FakeNaver) -> None:
    cached(client, "LG전자")
    naver.fail_next(500, "SE99", times=3)
    response = refresh(client, "LG전자")
    assert response.status_code == 200, response.text
    meta = response.json()["search_metadata"]
    assert meta["stale"] is True and meta["cache_hit"] is True and response.json()["items"]


def test_throttling_is_retried_after_the_hinted_delay(client: httpx.Client, naver: FakeNaver) -> None:
    naver.fail_next(429, "012", times=2, retry_after=0.5)
    started = time.monotonic()
    response = client.post(NEWS, json={"query": fresh_query()})
    assert response.status_code == 200, response.text
    assert naver.call_count == 3
    assert time.monotonic() - started >= 1.0  # waited out both Retry-After hints instead of hammering


def test_throttling_without_a_hint_backs_off_and_recovers(client: httpx.Client, naver: FakeNaver) -> None:
    naver.fail_next(429, "012", times=2)
    response = client.post(NEWS, json={"query": fresh_query()})
    assert response.status_code == 200, response.text
    assert naver.call_count == 3


def test_throttling_that_persists_answers_503(client: httpx.Client, naver: FakeNaver) -> None:
    naver.fail_next(429, "012", times=5)
    response = client.post(NEWS, json={"query": fresh_query()})
    assert_refused(response, 503, "UpstreamUnavailable")
    assert "throttling" in response.json()["detail"]
    assert naver.call_count == 3


def test_a_hanging_naver_gives_503_within_the_deadline(client: httpx.Client, naver: FakeNaver) -> None:
    naver.hang_next(30, times=10)
    started = time.monotonic()
    response = client.post(NEWS, json={"query": fresh_query()})  # client timeout BOUND: a bound, not a benchmark
    assert_refused(response, 503, "UpstreamUnavailable")
    assert "did not answer" in response.json()["detail"]
    assert time.monotonic() - started < BOUND
    assert 1 <= naver.call_count <= 3


def test_a_hanging_naver_with_a_cached_copy_serves_it_within_the_deadline(
    client: httpx.Client, naver: FakeNaver
) -> None:
    cached(client, "SK하이닉스")
    naver.hang_next(30, times=10)
    response = refresh(client, "SK하이닉스")
    assert response.status_code == 200, response.text
    assert response.json()["search_metadata"]["stale"] is True


def test_the_daily_quota_from_naver_stops_calls_until_the_reset(
    fake_naver: FakeNaver, naver: FakeNaver, module_redis: RedisServer, tmp_path: Path
) -> None:
    # Its own API: after a 429 010 the process makes no Naver call until midnight KST.
    with run_api(env_for(fake_naver, module_redis), tmp_path) as server, \
            httpx.Client(base_url=server.url, timeout=BOUND) as client:
        cached(client, "현대자동차")
        before = naver.call_count  # one page, or more when it folds into fewer stories than asked
        naver.fail_next(429, "010")
        assert_refused(client.post(NEWS, json={"query": fresh_query()}), 503, "QuotaExhausted")
        calls = naver.call_count
        assert_refused(client.post(NEWS, json={"query": fresh_query()}), 503, "QuotaExhausted")
        stale = refresh(client, "현대자동차")
        assert calls == naver.call_count == before + 1  # the refused searches never reached Naver
    assert stale.status_code == 200 and stale.json()["search_metadata"]["stale"] is True


def test_the_configured_daily_budget_is_enforced_before_calling_naver(
    fake_naver: FakeNaver, naver: FakeNaver, module_redis: RedisServer, tmp_path: Path
) -> None:
    env = env_for(fake_naver, module_redis, NAVER_DAILY_BUDGET="2")
    with run_api(env, tmp_path) as server, httpx.Client(base_url=server.url, timeout=BOUND) as client:
        for _ in range(2):
            assert client.post(NEWS, json={"query": fresh_query()}).status_code == 200
        refused = client.post(NEWS, json={"query": fresh_query()})
        status = client.get("/api/v1/dashboard/status").json()["naver_quota"]
    assert_refused(refused, 503, "QuotaExhausted")
    assert "NAVER_DAILY_BUDGET=2" in refused.json()["detail"]
    assert naver.call_count == 2
    assert status["used"] == 2 and status["limit"] == 2
