"""Redis stopped and Redis frozen (SIGSTOP) under a running API, then back: the service keeps answering.

The API runs as a real process against a Redis server of the test's own, which the test terminates,
restarts on the same port, or freezes; the client timeouts are bounds, not benchmarks.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.faults.conftest import ADMIN_HEADERS, RedisServer, api_env
from tests.integration.apiserver import run_api

pytestmark = [pytest.mark.integration, pytest.mark.slow]

COMPANY = "/api/v1/search/companies/삼성전자"


def search(client: httpx.Client, path: str = COMPANY, **body: Any) -> dict[str, Any]:
    response = client.post(path, json=body or None)
    assert response.status_code == 200, response.text
    return response.json()["search_metadata"]


def wait_until_recovered(client: httpx.Client, within: float = 15) -> dict[str, Any]:
    """Search until an answer is no longer degraded (the client reconnects by itself); bounded."""
    deadline = time.monotonic() + within
    while True:
        meta = search(client)
        if not meta["degraded"]:
            return meta
        assert time.monotonic() < deadline, "still degraded after Redis came back"
        time.sleep(0.2)


def test_redis_stopped_searches_degrade_store_answers_503_and_the_service_recovers(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    env = api_env(REDIS_URL=redis_server.url())
    with run_api(env, tmp_path) as api, httpx.Client(base_url=api.url, timeout=10) as client:
        assert search(client)["cache_hit"] is False
        warm = search(client)
        assert warm["cache_hit"] is True and warm["degraded"] is False

        redis_server.stop()
        live = search(client)
        assert live["degraded"] is True and live["cache_hit"] is False and live["source"] == "archive"
        other = search(client, "/api/v1/search/news", query="탄소중립")
        assert other["degraded"] is True
        analysis = client.post(f"{COMPANY}/analyze", json={"max_results": 10})
        assert analysis.status_code == 200, analysis.text
        assert analysis.json()["analysis_metadata"]["degraded"] is True

        trigger = client.post("/api/v1/dashboard/companies/삼성전자/trigger", headers=ADMIN_HEADERS)
        history = client.get("/api/v1/dashboard/companies/삼성전자/history")
        for refused in (trigger, history):
            assert refused.status_code == 503, refused.text
            assert int(refused.headers["Retry-After"]) > 0
            assert refused.json()["error"] == "UpstreamUnavailable" and "Redis" in refused.json()["detail"]
        health = client.get("/api/v1/system/health")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded" and health.json()["redis"]["status"] == "unavailable"

        redis_server.start()  # same port, empty (no persistence): the API reconnects without a restart
        assert wait_until_recovered(client)["cache_hit"] is False
        again = search(client)
        assert again["cache_hit"] is True and again["degraded"] is False
        assert client.get("/api/v1/system/health").json()["redis"]["status"] == "ok"
        assert client.get("/api/v1/dashboard/companies/삼성전자/history").status_code in (200, 404)
        assert client.post("/api/v1/dashboard/companies/삼성전자/trigger", headers=ADMIN_HEADERS).status_code == 202
    assert "cache read failed, treating as a miss" in api.log()


def test_redis_frozen_searches_answer_within_two_seconds_then_recover(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    # Default rate limits stay on: the limiter's Redis call must time out (and fail open) as well.
    env = api_env(REDIS_URL=redis_server.url())
    with run_api(env, tmp_path) as api, httpx.Client(base_url=api.url, timeout=10) as client:
        search(client)
        assert search(client)["cache_hit"] is True

        redis_server.freeze()
        try:
            with httpx.Client(base_url=api.url, timeout=2) as bounded:  # a bound: ReadTimeout fails the test
                frozen = search(bounded)
                fresh = search(bounded, "/api/v1/search/news", query="재생에너지")
                health = bounded.get("/api/v1/system/health")
        finally:
            redis_server.thaw()
        assert frozen["degraded"] is True and frozen["cache_hit"] is False
        assert fresh["degraded"] is True
        assert health.status_code == 200 and health.json()["redis"]["status"] == "unavailable"

        wait_until_recovered(client)
        assert search(client)["cache_hit"] is True
    assert "cache read failed, treating as a miss: TimeoutError" in api.log()
