"""The API as a real process, real Redis, and a fake Naver over real HTTP (the guide's examples included)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
import redis

from tests.fakes.naver_server import FakeNaver
from tests.integration.apiserver import ApiServer, run_api
from tests.integration.conftest import NAVER_SECRET, naver_env

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def api(fake_naver: FakeNaver, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    with run_api(naver_env(fake_naver), tmp_path_factory.mktemp("api"), redis_url=redis_url) as server:
        yield server


def post(api: ApiServer, path: str, body: dict | None = None) -> httpx.Response:
    return httpx.post(f"{api.url}{path}", json=body, timeout=30)


def test_guide_company_search_goes_to_naver_then_to_the_cache(api, naver):
    first = post(api, "/api/v1/search/companies/삼성전자", {"max_results": 10})
    upstream_calls = naver.call_count  # one page, or more when its articles fold into fewer stories
    second = post(api, "/api/v1/search/companies/삼성전자", {"max_results": 10})

    assert first.status_code == 200, first.text
    body = first.json()
    assert body["search_metadata"]["source"] == "naver"
    assert body["search_metadata"]["cache_hit"] is False
    assert second.json()["search_metadata"]["cache_hit"] is True
    assert naver.call_count == upstream_calls >= 1
    assert {c["query"] for c in naver.calls} == {"삼성전자"}
    items = body["items"]
    assert items and all("<b>" not in i["title"] and "&quot;" not in i["title"] for i in items)
    assert all(i["published_date"].endswith("+09:00") for i in items)
    assert {"id", "url", "naver_url", "news_source", "duplicate_count", "summary"} <= set(items[0])
    assert body["deduplication"]["similarity_threshold"] == 0.75


def test_guide_news_search_and_health(api, naver):
    response = post(api, "/api/v1/search/news", {"query": "ESG", "max_results": 10})
    assert response.status_code == 200
    assert response.json()["search_metadata"]["query"] == "ESG"
    health = httpx.get(f"{api.url}/api/v1/system/health").json()
    assert health["service"] == "news-service"
    assert health["redis"]["status"] == "ok" and health["news_source"] == "naver"
    local = health["ml"]["ml_service_status"] == "local_model"
    assert health["status"] == ("healthy" if local else "degraded")
    assert NAVER_SECRET not in str(health)


def test_max_results_above_100_pages_through_start(api, naver):
    response = post(api, "/api/v1/search/news", {"query": "삼성전자 반도체", "max_results": 250})
    assert response.status_code == 200
    starts = [(c["start"], c["display"]) for c in naver.calls]
    assert starts[:3] == [("1", "100"), ("101", "100"), ("201", "50")] or len(starts) < 3


def test_throttled_upstream_is_retried(api, naver):
    naver.fail_next(status=429, code="012", times=2)
    response = post(api, "/api/v1/search/news", {"query": "LG전자 노조", "max_results": 5})
    assert response.status_code == 200, response.text
    assert naver.call_count == 3


def test_rejected_credentials_are_a_502_that_never_echoes_them(api, naver):
    naver.client_secret = "something-else"
    response = post(api, "/api/v1/search/news", {"query": "현대차 리콜", "max_results": 5})
    assert response.status_code == 502
    assert "credentials" in response.json()["detail"]
    assert NAVER_SECRET not in response.text
    assert NAVER_SECRET not in api.log()


def test_stale_copy_is_served_when_naver_fails(api, naver):
    assert post(api, "/api/v1/search/news", {"query": "포스코 탄소", "max_results": 5}).status_code == 200
    naver.fail_next(status=500, code="SE99", times=10)
    response = post(api, "/api/v1/search/news", {"query": "포스코 탄소", "max_results": 5, "force_refresh": True})
    assert response.status_code == 200
    assert response.json()["search_metadata"]["stale"] is True


def test_failure_without_a_copy_is_a_clear_upstream_error(api, naver):
    naver.fail_next(status=500, code="SE99", times=10)
    response = post(api, "/api/v1/search/news", {"query": "셀트리온 임상", "max_results": 5})
    assert response.status_code == 502
    assert response.json()["error"] == "UpstreamError"


def test_fifty_concurrent_cold_requests_make_one_upstream_call(api, naver):
    naver.set_latency(0.3)
    # 20 asks for every match of the query in one page, so no further page is read.

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=30) as client:
            return await asyncio.gather(
                *(client.post(f"{api.url}/api/v1/search/news", json={"query": "SK하이닉스 HBM", "max_results": 20}) for _ in range(50))
            )

    responses = asyncio.run(burst())
    assert {r.status_code for r in responses} == {200}
    assert naver.call_count == 1
    assert sum(not r.json()["search_metadata"]["cache_hit"] for r in responses) == 1


def test_every_key_is_prefixed_hashed_and_expiring(api, naver, redis_url):
    post(api, "/api/v1/search/news", {"query": "네이버 개인정보", "max_results": 5})
    client = redis.Redis.from_url(redis_url)
    try:
        keys = [k.decode() for k in client.scan_iter(match=f"{api.prefix}:*")]
        assert keys
        search_keys = [k for k in keys if ":search:" in k]
        assert search_keys and all("네이버" not in k for k in keys)
        # -1 is a key without expiry; a lock lease about to lapse may read 0 (or be gone: -2).
        assert [k for k in search_keys if client.ttl(k) == -1] == []
    finally:
        client.close()


def test_bad_input_gets_a_readable_422(api):
    response = post(api, "/api/v1/search/news", {"query": "   ", "max_results": 10})
    assert response.status_code == 422
    assert response.json() == {"error": "ValidationError", "detail": "query: query must not be empty"}
    response = post(api, "/api/v1/search/companies/삼성%00전자", {})
    assert response.status_code == 422


def test_trending_reflects_what_was_searched(api, naver):
    for _ in range(3):
        post(api, "/api/v1/search/news", {"query": "트렌드 검증어", "max_results": 5})
    trending = httpx.get(f"{api.url}/api/v1/search/trending").json()
    assert trending["queries"][0]["term"] == "트렌드 검증어" or any(
        q["term"] == "트렌드 검증어" and q["count"] >= 3 for q in trending["queries"]
    )


# Last on purpose: after a daily-quota answer the client stops calling Naver until the KST reset.
def test_daily_quota_is_a_503_with_retry_after(api, naver):
    naver.fail_next(status=429, code="010", times=5)
    response = post(api, "/api/v1/search/news", {"query": "카카오 과징금", "max_results": 5})
    assert response.status_code == 503
    assert response.json()["error"] == "QuotaExhausted"
    assert int(response.headers["Retry-After"]) > 0
    assert naver.call_count == 1
    follow_up = post(api, "/api/v1/search/news", {"query": "쿼터 이후", "max_results": 5})
    assert follow_up.status_code == 503 and naver.call_count == 1


def test_server_log_has_no_traceback(api):
    assert "Traceback" not in api.log()
