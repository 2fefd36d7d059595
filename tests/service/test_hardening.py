"""Rate limits, the Naver daily budget, request ids, CORS and log redaction, in-process."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import ClassVar

import fakeredis.aioredis
import pytest
from fastapi.testclient import TestClient

from app.adapters.keyspace import Keyspace
from app.adapters.naver_usage import MeteredNaver, NaverUsage, kst_day
from app.adapters.rate_limit import RateLimiter
from app.errors import QuotaExhausted
from app.logging_setup import JsonFormatter, log_handler
from app.main import create_app
from app.request_context import RequestIdFilter, bind_request_id
from tests.conftest import embedded_settings

ADMIN = "hardening-admin-key"


def test_search_budget_runs_out_with_a_429_and_retry_after():
    with TestClient(create_app(embedded_settings(api={"rate_limit_search": 3}))) as client:
        codes = [client.post("/api/v1/search/news", json={"query": "삼성전자"}).status_code for _ in range(5)]
        limited = client.post("/api/v1/search/news", json={"query": "삼성전자"})
        health = client.get("/api/v1/system/health")
    assert codes == [200, 200, 200, 429, 429]
    assert limited.json()["error"] == "RateLimited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 61
    assert health.status_code == 200  # health checks are never limited


def test_budgets_are_separate():
    settings = embedded_settings(api={"rate_limit_search": 1, "rate_limit_analyze": 5, "admin_api_key": ADMIN})
    with TestClient(create_app(settings)) as client:
        assert client.post("/api/v1/search/news", json={"query": "LG전자"}).status_code == 200
        assert client.post("/api/v1/search/news", json={"query": "LG전자"}).status_code == 429
        assert client.post("/api/v1/search/companies/LG전자/analyze", json={"max_results": 3}).status_code == 200


def test_the_self_test_is_rate_limited_for_everyone():
    with TestClient(create_app(embedded_settings(api={"rate_limit_analyze": 2, "admin_api_key": ADMIN}))) as client:
        codes = [client.get("/api/v1/system/test/integration").status_code for _ in range(3)]
        keyed = client.get("/api/v1/system/test/integration", headers={"X-API-Key": ADMIN}).status_code
    assert codes == [200, 200, 429] and keyed == 429


def test_admin_budget_limits_key_guessing():
    with TestClient(create_app(embedded_settings(api={"rate_limit_admin": 2, "admin_api_key": ADMIN}))) as client:
        codes = [
            client.post("/api/v1/system/models/activate", json={"model_name": "x"}, headers={"X-API-Key": f"g{i}"}).status_code
            for i in range(4)
        ]
        missing = client.post("/api/v1/system/models/activate", json={"model_name": "x"}).status_code
    assert codes == [403, 403, 429, 429]
    assert missing == 429


def test_wrong_keys_never_throttle_the_key_holder():
    # A stranger behind the same address (a proxy) guesses keys; the holder's requests still go through.
    with TestClient(create_app(embedded_settings(api={"rate_limit_admin": 3, "admin_api_key": ADMIN}))) as client:
        guesses = [client.get("/api/v1/dashboard/feedback", headers={"X-API-Key": f"guess{i}"}).status_code
                   for i in range(10)]
        holder = [client.get("/api/v1/dashboard/feedback", headers={"X-API-Key": ADMIN}).status_code
                  for _ in range(3)]
        fourth = client.get("/api/v1/dashboard/feedback", headers={"X-API-Key": ADMIN})
    assert guesses[:3] == [403] * 3 and set(guesses[3:]) == {429}
    assert holder == [200, 200, 200]
    assert fourth.status_code == 429 and "too many admin requests" in fourth.json()["detail"]


async def test_limiter_counts_per_client_and_fails_open():
    redis = fakeredis.aioredis.FakeRedis()
    limiter = RateLimiter(redis, Keyspace("t"))
    assert [await limiter.hit("search", "1.1.1.1", 2) for _ in range(3)][:2] == [None, None]
    assert await limiter.hit("search", "1.1.1.1", 2) is not None
    assert await limiter.hit("search", "2.2.2.2", 2) is None
    assert await limiter.hit("search", "1.1.1.1", 0) is None  # 0 = unlimited
    broken = fakeredis.FakeServer()
    broken.connected = False
    assert await RateLimiter(fakeredis.aioredis.FakeRedis(server=broken), Keyspace("t")).hit("search", "x", 1) is None
    keys = [k.decode() for k in await redis.keys("*")]
    assert keys and all("1.1.1.1" not in k for k in keys)


async def test_daily_naver_budget_stops_calls_before_they_are_made():
    redis = fakeredis.aioredis.FakeRedis()
    usage = NaverUsage(redis, Keyspace("t"), daily_limit=5)
    await redis.set(f"t:v1:naver_calls:{kst_day()}", 5)

    class Upstream:
        calls: ClassVar[dict[str, int]] = {}
        searched = 0

        async def search(self, query, *, max_results, sort, offset=0):
            Upstream.searched += 1

    metered = MeteredNaver(Upstream(), usage)  # type: ignore[arg-type]
    with pytest.raises(QuotaExhausted) as raised:
        await metered.search("삼성전자", max_results=10, sort="sim")
    assert Upstream.searched == 0
    assert "NAVER_DAILY_BUDGET=5" in raised.value.message and raised.value.retry_after > 0


def test_request_id_is_echoed_or_made():
    with TestClient(create_app(embedded_settings())) as client:
        given = client.get("/api/v1/system/health", headers={"X-Request-ID": "abc-123"})
        made = client.get("/api/v1/system/health")
        hostile = client.get("/api/v1/system/health", headers={"X-Request-ID": "a b;c" * 30})
    assert given.headers["X-Request-ID"] == "abc-123"
    assert len(made.headers["X-Request-ID"]) == 32
    assert hostile.headers["X-Request-ID"] != "a b;c" * 30 and len(hostile.headers["X-Request-ID"]) == 32


def test_json_logs_carry_the_request_id():
    record = logging.LogRecord("app.test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    bind_request_id("req-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        bind_request_id(None)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello world" and line["request_id"] == "req-42" and line["level"] == "INFO"


@pytest.mark.parametrize("fmt", ["console", "json"])
def test_every_request_gets_one_access_log_line_with_its_request_id(fmt):
    stream, logger = io.StringIO(), logging.getLogger("app.access")
    handler, level = log_handler(fmt, stream), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with TestClient(create_app(embedded_settings())) as client:
            client.get("/api/v1/system/health", headers={"X-Request-ID": "acc-1"})
            client.post("/api/v1/search/news", json={"max_results": 0}, headers={"X-Request-ID": "acc-2"})
            client.get("/api/v1/forged%0A2026-01-01 INFO fake line", headers={"X-Request-ID": "acc-3"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3, lines  # the encoded newline in the last path did not start a line of its own
    if fmt == "json":
        records = [json.loads(line) for line in lines]
        assert [(r["method"], r["path"], r["status"], r["request_id"]) for r in records] == [
            ("GET", "/api/v1/system/health", 200, "acc-1"),
            ("POST", "/api/v1/search/news", 422, "acc-2"),
            ("GET", "/api/v1/forged\n2026-01-01 INFO fake line", 404, "acc-3"),
        ]
        assert all(isinstance(r["duration_ms"], float) and r["duration_ms"] >= 0 for r in records)
        assert records[0]["logger"] == "app.access" and records[0]["message"].startswith("GET /api/v1/system/health 200 ")
    else:
        assert re.fullmatch(r".* INFO +app\.access: GET /api/v1/system/health 200 \d+\.\d ms \[acc-1\]", lines[0])
        assert re.fullmatch(r".*: POST /api/v1/search/news 422 \d+\.\d ms \[acc-2\]", lines[1])
        assert re.fullmatch(r".*: GET /api/v1/forged\\n2026-01-01 INFO fake line 404 \d+\.\d ms \[acc-3\]", lines[2])


@pytest.mark.parametrize(("origins", "credentials"), [("https://dash.example.com", "true"), ("*", None)])
def test_cors_never_combines_a_wildcard_with_credentials(origins, credentials):
    with TestClient(create_app(embedded_settings(api={"cors_origins": origins}))) as client:
        response = client.options(
            "/api/v1/search/news",
            headers={"Origin": "https://dash.example.com", "Access-Control-Request-Method": "POST"},
        )
    assert response.status_code == 200
    assert response.headers.get("access-control-allow-credentials") == credentials


def test_no_cors_headers_unless_configured():
    with TestClient(create_app(embedded_settings())) as client:
        response = client.get("/api/v1/system/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_docs_can_be_turned_off():
    with TestClient(create_app(embedded_settings(api={"expose_docs": False}))) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/docs/assets/swagger-ui-bundle.js"):
            assert client.get(path).status_code == 404, path
        assert client.get("/").json()["docs"] is None


def test_docs_pages_load_their_scripts_from_this_server():
    with TestClient(create_app(embedded_settings())) as client:
        for page, script in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
            html = client.get(page)
            assert html.status_code == 200 and f'src="/docs/assets/{script}"' in html.text
            assert "http://" not in html.text and "https://" not in html.text, page
            assert html.headers["content-security-policy"].startswith("default-src 'self'")
            assert client.get(f"/docs/assets/{script}").status_code == 200


def test_secrets_never_reach_health_or_docs():
    from app.settings import NaverSettings, Settings

    settings = embedded_settings(api={"admin_api_key": ADMIN})
    settings = Settings(
        **{**settings.__dict__, "naver": NaverSettings(_env_file=None, client_id="id-visible", client_secret="s3cr3t-value")}
    )
    with TestClient(create_app(settings)) as client:
        bodies = client.get("/api/v1/system/health").text + client.get("/openapi.json").text
    assert "s3cr3t-value" not in bodies and ADMIN not in bodies
