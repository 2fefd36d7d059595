"""`/api/v1/dashboard` in-process: embedded mode end to end, admin checks, 404/422, Redis down → 503."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.main import create_app
from app.settings import CelerySettings, RedisSettings, Settings
from tests.conftest import embedded_settings

D = "/api/v1/dashboard"
KEY = "dashboard-test-key"
ADMIN = {"X-API-Key": KEY}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def with_admin(settings: Settings) -> Settings:
    settings.api.admin_api_key = SecretStr(KEY)
    return settings


@pytest.fixture(scope="module")
def shared_client() -> Iterator[TestClient]:
    with TestClient(create_app(with_admin(embedded_settings()))) as test_client:
        yield test_client


@pytest.fixture
def client(shared_client: TestClient) -> TestClient:
    """The module's app (each app reads its own container: no re-wiring between apps)."""
    return shared_client


def wait_for_task(client: TestClient, task_id: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"{D}/tasks/{task_id}").json()
        if body["state"] in ("SUCCESS", "FAILURE"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} did not finish within {timeout} s")


def test_trigger_runs_in_process_and_updates_latest_and_history(client: TestClient) -> None:
    response = client.post(f"{D}/companies/삼성전자/trigger", headers=ADMIN, json={"max_results": 20})
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "PENDING" and body["deduplicated"] is False and body["company"] == "삼성전자"
    assert body["status_url"] == f"{D}/tasks/{body['task_id']}" == response.headers["location"]

    task = wait_for_task(client, body["task_id"])
    assert task["state"] == "SUCCESS", task
    assert task["error"] is None and task["deliveries"] == 1 and task["started_at"] and task["finished_at"]
    summary = task["result"]
    assert summary["company"] == "삼성전자" and summary["item_count"] > 0 and summary["task_id"] == body["task_id"]
    assert set(summary["sentiment_distribution"]) == {"긍정", "중립", "부정"}

    latest = client.get(f"{D}/companies/삼성전자/latest")
    assert latest.status_code == 200
    meta = latest.json()["analysis_metadata"]
    assert meta["company"] == "삼성전자" and meta["analyzed_count"] == summary["item_count"]
    assert latest.json()["summary"]["negative_ratio"] == summary["negative_ratio"]

    history = client.get(f"{D}/companies/삼성전자/history", params={"limit": 5}).json()
    assert history["count"] >= 1 and history["history"][0]["id"] == body["task_id"]
    assert {"time", "esg_distribution", "sentiment_distribution", "top_keywords", "most_negative", "model_name"} <= set(
        history["history"][0]
    )
    future = client.get(f"{D}/companies/삼성전자/history", params={"since": "2100-01-01T00:00:00Z"}).json()
    assert future["count"] == 0 and future["since"] == "2100-01-01T00:00:00+00:00"

    status = client.get(f"{D}/status").json()
    assert status["mode"] == "embedded" and status["status"] == "ok"
    assert status["workers"]["nodes"][0]["processed"] >= 1
    samsung = next(c for c in status["monitored_companies"]["companies"] if c["company"] == "삼성전자")
    assert samsung["last_result"]["id"] == body["task_id"]
    companies = client.get(f"{D}/companies").json()
    listed = next(c for c in companies["companies"] if c["company"] == "삼성전자")
    assert (listed["watched"], listed["last_run"], listed["articles"]) == (True, samsung["last_run"], summary["item_count"])


def test_a_tasks_result_is_described_field_by_field(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"$ref": "#/components/schemas/TaskSummary"} in schemas["TaskResponse"]["properties"]["result"]["anyOf"]
    assert {"item_count", "negative_ratio", "esg_distribution"} <= set(schemas["TaskSummary"]["required"])


def test_admin_endpoints_need_the_key(client: TestClient) -> None:
    for method, path in (
        ("POST", f"{D}/companies/삼성전자/trigger"),
        ("PUT", f"{D}/companies/카카오"),
        ("DELETE", f"{D}/companies/삼성전자"),
        ("DELETE", f"{D}/cache"),
        ("DELETE", f"{D}/cache/companies/삼성전자"),
    ):
        response = client.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.json()["error"] == "Unauthorized"
        assert client.request(method, path, headers={"X-API-Key": "wrong"}).status_code == 403


def test_watch_list_changes_over_http(client: TestClient) -> None:
    added = client.put(f"{D}/companies/카카오", headers=ADMIN)
    assert added.status_code == 200 and added.json()["added"] is True and "카카오" in added.json()["watchlist"]
    assert "카카오" in client.get(f"{D}/companies").json()["watchlist"]
    removed = client.delete(f"{D}/companies/카카오", headers=ADMIN)
    assert removed.status_code == 200 and "카카오" not in removed.json()["watchlist"]
    again = client.delete(f"{D}/companies/카카오", headers=ADMIN)
    assert again.status_code == 404 and "not on the watch list" in again.json()["detail"]


def test_not_found_and_validation(client: TestClient) -> None:
    for path in (f"{D}/companies/없는회사/latest", f"{D}/companies/없는회사/history"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {
            "error": "NotFound",
            "detail": "no analysis stored for '없는회사' yet; queue one with "
            "POST /api/v1/dashboard/companies/없는회사/trigger",
        }
    unknown = client.get(f"{D}/tasks/0b3f4c1e-unknown")
    assert unknown.status_code == 404 and unknown.json()["error"] == "NotFound"
    assert client.get(f"{D}/tasks/bad$id").status_code == 422
    for limit in (0, 501):
        assert client.get(f"{D}/companies/삼성전자/history", params={"limit": limit}).status_code == 422
    assert client.get(f"{D}/companies/삼성전자/history", params={"since": "yesterday"}).status_code == 422
    bad = client.post(f"{D}/companies/삼성전자/trigger", headers=ADMIN, json={"max_results": 0})
    assert bad.status_code == 422


def test_cache_endpoints(client: TestClient) -> None:
    client.post("/api/v1/search/companies/LG전자/analyze", json={"max_results": 10})
    info = client.get(f"{D}/cache/info").json()
    assert info["keys"]["analysis"] >= 1 and info["cache_keys"] >= 2 and info["misses"] >= 1
    company = client.delete(f"{D}/cache/companies/LG전자", headers=ADMIN).json()
    assert company == {"company": "LG전자", "deleted": 2}  # its search and its analysis
    cleared = client.delete(f"{D}/cache", headers=ADMIN).json()
    assert set(cleared["deleted"]) == {"search", "analysis", "article"} and cleared["total"] >= 1
    assert client.get(f"{D}/cache/info").json()["cache_keys"] == 0
    assert client.get(f"{D}/companies/삼성전자/latest").status_code in (200, 404)


def test_redis_down_answers_503_with_retry_after_not_500() -> None:
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings = with_admin(
        embedded_settings().model_copy(
            update={
                "redis": RedisSettings(_env_file=None, url=url, key_prefix="down"),
                "celery": CelerySettings(_env_file=None),
            }
        )
    )
    with TestClient(create_app(settings)) as down:
        for method, path in (
            ("POST", f"{D}/companies/삼성전자/trigger"),
            ("GET", f"{D}/companies/삼성전자/latest"),
            ("GET", f"{D}/companies/삼성전자/history"),
            ("GET", f"{D}/companies"),
            ("GET", f"{D}/tasks/0b3f4c1e"),
        ):
            response = down.request(method, path, headers=ADMIN)
            assert response.status_code == 503, (path, response.text)
            assert response.json()["error"] == "UpstreamUnavailable"
            assert int(response.headers["retry-after"]) > 0
        status = down.get(f"{D}/status")
        assert status.status_code == 200
        body = status.json()
        assert body["mode"] == "redis" and body["status"] == "degraded"
        assert body["redis"]["status"] == "unavailable" and body["workers"]["count"] == 0
        # Each part says it is unavailable and why, in the keys (and order) it always had.
        assert list(body["redis"]) == ["status", "target", "error"]
        assert list(body["workers"]) == ["status", "count", "nodes", "error"] and body["workers"]["nodes"] == []
        assert body["queue"] == {"depth": None}
        monitored = body["monitored_companies"]
        assert list(monitored) == ["status", "error", "companies"] and monitored["status"] == "unavailable"
        assert body["cache"] == {"status": "unavailable", "error": "ConnectionError"}
        assert list(body["naver_quota"]) == ["source", "date", "status", "error", "limit"]
        health = down.get("/api/v1/system/health").json()
        assert health["status"] == "degraded" and health["redis"] == body["redis"]
