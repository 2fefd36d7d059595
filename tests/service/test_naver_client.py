"""NaverClient against a mocked upstream (respx): headers, pagination, every error path."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

from app.adapters.naver import (
    CREDENTIALS_REJECTED,
    NaverClient,
    article_from_item,
    parse_retry_after,
    seconds_until_kst_midnight,
)
from app.domain.models import article_id
from app.errors import AppError, InvalidInput, QuotaExhausted, UpstreamError, UpstreamUnavailable
from app.settings import NaverSettings

URL = "https://naver.test/v1/search/news.json"
CLIENT_ID = "cid-Zq81hXwE0TestId"
CLIENT_SECRET = "sec-Pk29LmTestSecret"


def make_settings(**overrides: Any) -> NaverSettings:
    values: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "api_url": URL,
        "timeout_seconds": 2.0,
        "deadline_seconds": 10.0,
        "max_attempts": 3,
    }
    values.update(overrides)
    return NaverSettings(_env_file=None, **values)  # type: ignore[call-arg]


def item(i: int) -> dict[str, str]:
    return {
        "title": f"<b>삼성</b>전자, 반도체 투자 {i}",
        "originallink": f"https://www.hankyung.com/article/{i}",
        "link": f"https://n.news.naver.com/mnews/article/015/{i}",
        "description": "&quot;HBM&quot; 증설 &amp; 고용 확대",
        "pubDate": "Mon, 26 Sep 2016 07:50:00 +0900",
    }


def naver_pages(total: int) -> Any:
    """A side effect that answers like Naver for a result set of `total` items."""

    def handler(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params["start"])
        display = int(request.url.params["display"])
        items = [item(i) for i in range(start, min(start + display, total + 1))]
        return httpx.Response(
            200,
            json={
                "lastBuildDate": "Mon, 26 Sep 2016 11:01:35 +0900",
                "total": total,
                "start": start,
                "display": len(items),
                "items": items,
            },
        )

    return handler


def error(status: int, code: str, message: str = "error", **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"errorMessage": message, "errorCode": code}, headers=headers)


@pytest.fixture
def upstream() -> Iterator[respx.Route]:
    with respx.mock(assert_all_called=False) as router:
        yield router.get(URL)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(http: httpx.AsyncClient, sleeps: list[float]) -> NaverClient:
    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    return NaverClient(make_settings(), http, backoff_base=0.001, backoff_max=0.01, sleep=record)


def sent(route: respx.Route, name: str) -> list[str]:
    return [call.request.url.params[name] for call in route.calls]


# --- items ---------------------------------------------------------------------------------------


def test_article_from_item_cleans_and_derives_fields() -> None:
    article = article_from_item(item(7))
    assert article is not None
    assert article.title == "삼성전자, 반도체 투자 7"
    assert article.description == '"HBM" 증설 & 고용 확대'
    assert article.url == "https://www.hankyung.com/article/7"
    assert article.naver_url == "https://n.news.naver.com/mnews/article/015/7"
    assert article.published_date is not None
    assert article.published_date.isoformat() == "2016-09-26T07:50:00+09:00"
    assert article.news_source == "한국경제"
    assert article.id == article_id("https://www.hankyung.com/article/7")


def test_article_without_originallink_uses_link() -> None:
    article = article_from_item({**item(1), "originallink": ""})
    assert article is not None
    assert article.url == article.naver_url == "https://n.news.naver.com/mnews/article/015/1"
    assert article.news_source == "네이버뉴스"


@pytest.mark.parametrize(
    "broken",
    [
        {"title": ""},
        {"title": "<b></b>  "},
        {"title": None},
        {"originallink": "", "link": ""},
        {"originallink": "javascript:alert(1)", "link": "ftp://x.kr/1"},
        {"originallink": "https://", "link": "http://[::1"},
    ],
)
def test_item_without_title_or_url_is_skipped(broken: dict[str, Any]) -> None:
    assert article_from_item({**item(1), **broken}) is None


def test_item_with_bad_date_keeps_the_article() -> None:
    article = article_from_item({**item(1), "pubDate": "not a date"})
    assert article is not None
    assert article.published_date is None


# --- request shape ------------------------------------------------------------------------------


async def test_developers_headers(upstream: respx.Route, client: NaverClient) -> None:
    upstream.side_effect = naver_pages(3)
    await client.search("삼성전자", max_results=10, sort="date")
    headers = upstream.calls.last.request.headers
    assert headers["X-Naver-Client-Id"] == CLIENT_ID
    assert headers["X-Naver-Client-Secret"] == CLIENT_SECRET
    assert "X-NCP-APIGW-API-KEY-ID" not in headers
    assert "X-NCP-APIGW-API-KEY" not in headers
    params = upstream.calls.last.request.url.params
    assert (params["query"], params["display"], params["start"], params["sort"]) == (
        "삼성전자",
        "10",
        "1",
        "date",
    )


async def test_apihub_headers(upstream: respx.Route, http: httpx.AsyncClient) -> None:
    upstream.side_effect = naver_pages(3)
    client = NaverClient(make_settings(api_provider="apihub"), http)
    await client.search("삼성전자", max_results=10, sort="sim")
    headers = upstream.calls.last.request.headers
    assert headers["X-NCP-APIGW-API-KEY-ID"] == CLIENT_ID
    assert headers["X-NCP-APIGW-API-KEY"] == CLIENT_SECRET
    assert "X-Naver-Client-Id" not in headers
    assert "X-Naver-Client-Secret" not in headers


@pytest.mark.parametrize("max_results", [0, -1, 1001])
async def test_max_results_out_of_range(upstream: respx.Route, client: NaverClient, max_results: int) -> None:
    with pytest.raises(InvalidInput):
        await client.search("삼성전자", max_results=max_results, sort="sim")
    assert upstream.call_count == 0


# --- pagination ---------------------------------------------------------------------------------


async def test_pagination_beyond_100(upstream: respx.Route, client: NaverClient) -> None:
    upstream.side_effect = naver_pages(5000)
    page = await client.search("삼성전자", max_results=250, sort="date")
    assert sent(upstream, "start") == ["1", "101", "201"]
    assert sent(upstream, "display") == ["100", "100", "50"]
    assert page.total == 5000
    assert len(page.items) == 250
    assert len({a.id for a in page.items}) == 250
    assert client.calls["200"] == 3


async def test_pagination_stops_at_short_page(upstream: respx.Route, client: NaverClient) -> None:
    upstream.side_effect = naver_pages(130)
    page = await client.search("삼성전자", max_results=500, sort="date")
    assert sent(upstream, "start") == ["1", "101"]
    assert (page.total, len(page.items)) == (130, 130)


async def test_pagination_stops_when_start_passes_total(upstream: respx.Route, client: NaverClient) -> None:
    upstream.side_effect = naver_pages(200)
    page = await client.search("삼성전자", max_results=1000, sort="date")
    assert sent(upstream, "start") == ["1", "101"]
    assert len(page.items) == 200


async def test_max_results_1000_never_asks_start_above_1000(
    upstream: respx.Route, client: NaverClient
) -> None:
    upstream.side_effect = naver_pages(100_000)
    page = await client.search("삼성전자", max_results=1000, sort="sim")
    starts = [int(s) for s in sent(upstream, "start")]
    assert starts == list(range(1, 1000, 100))
    assert max(starts) <= 1000
    assert all(int(d) <= 100 for d in sent(upstream, "display"))
    assert len(page.items) == 1000


async def test_unusable_items_are_dropped(upstream: respx.Route, client: NaverClient) -> None:
    upstream.return_value = httpx.Response(
        200, json={"total": 3, "items": [item(1), {"title": "no url"}, "not an object"]}
    )
    page = await client.search("삼성전자", max_results=10, sort="sim")
    assert [a.url for a in page.items] == ["https://www.hankyung.com/article/1"]
    assert page.total == 3


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_failure_is_502_without_retry(
    upstream: respx.Route, client: NaverClient, status: int
) -> None:
    upstream.return_value = error(status, "024", "Authentication failed. (인증에 실패했습니다.)")
    with pytest.raises(UpstreamError) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.status_code == 502
    assert CREDENTIALS_REJECTED in caught.value.message
    assert upstream.call_count == 1


@pytest.mark.parametrize(("status", "code"), [(400, "SE01"), (400, "SE02"), (404, "SE03"), (400, "SE06")])
async def test_refused_query_names_the_code(
    upstream: respx.Route, client: NaverClient, status: int, code: str
) -> None:
    upstream.return_value = error(status, code, "Incorrect query request (잘못된 쿼리요청입니다.)")
    with pytest.raises(UpstreamError) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.status_code == 502
    assert code in caught.value.message
    assert "잘못된 쿼리요청" in caught.value.message
    assert upstream.call_count == 1


async def test_throttle_is_retried_then_succeeds(
    upstream: respx.Route, client: NaverClient, sleeps: list[float]
) -> None:
    upstream.side_effect = [error(429, "012"), error(429, "012"), naver_pages(5)]
    page = await client.search("삼성전자", max_results=10, sort="sim")
    assert len(page.items) == 5
    assert upstream.call_count == 3
    assert len(sleeps) == 2
    assert client.calls["429"] == 2
    assert client.calls["200"] == 1


async def test_throttle_honours_retry_after(
    upstream: respx.Route, client: NaverClient, sleeps: list[float]
) -> None:
    upstream.side_effect = [error(429, "012", **{"Retry-After": "2"}), naver_pages(1)]
    await client.search("삼성전자", max_results=10, sort="sim")
    assert sleeps == [2.0]


async def test_throttle_exhausted_is_503(upstream: respx.Route, client: NaverClient) -> None:
    upstream.return_value = error(429, "012", "Rate limit exceeded. (속도 제한을 초과했습니다.)")
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.status_code == 503
    assert caught.value.retry_after is not None and caught.value.retry_after >= 1
    assert not isinstance(caught.value, QuotaExhausted)
    assert upstream.call_count == 3


async def test_retry_after_beyond_the_deadline_gives_up_at_once(
    upstream: respx.Route, client: NaverClient, sleeps: list[float]
) -> None:
    upstream.return_value = error(429, "012", **{"Retry-After": "120"})
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.retry_after == 120
    assert upstream.call_count == 1
    assert sleeps == []


async def test_daily_quota_is_not_retried(upstream: respx.Route, client: NaverClient) -> None:
    upstream.return_value = error(429, "010", "Quota exceeded. (호출 한도를 초과했습니다.)")
    with pytest.raises(QuotaExhausted) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.status_code == 503
    assert "daily quota exhausted" in caught.value.message
    assert caught.value.retry_after is not None and 1 <= caught.value.retry_after <= 86400
    assert caught.value.headers() == {"Retry-After": str(caught.value.retry_after)}
    assert upstream.call_count == 1
    # Until the reset, further searches do not spend calls on a quota that is known to be spent.
    with pytest.raises(QuotaExhausted):
        await client.search("LG전자", max_results=10, sort="sim")
    assert upstream.call_count == 1


def test_quota_reset_is_next_midnight_kst() -> None:
    assert seconds_until_kst_midnight(datetime(2024, 1, 1, 14, 0, tzinfo=UTC)) == 3600  # 23:00 KST
    assert seconds_until_kst_midnight(datetime(2024, 1, 1, 14, 59, 30, tzinfo=UTC)) == 30
    assert seconds_until_kst_midnight(datetime(2024, 1, 1, 15, 0, tzinfo=UTC)) == 86400  # 00:00 KST


def test_parse_retry_after() -> None:
    now = datetime(2024, 1, 1, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after("Mon, 01 Jan 2024 00:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sun, 31 Dec 2023 00:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("nan", now) is None
    assert parse_retry_after(None, now) is None


async def test_server_error_is_retried_then_502(upstream: respx.Route, client: NaverClient) -> None:
    upstream.return_value = error(500, "SE99", "System Error (시스템 에러)")
    with pytest.raises(UpstreamError) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.status_code == 502
    assert "SE99" in caught.value.message
    assert upstream.call_count == 3
    assert client.calls["500"] == 3


async def test_server_error_then_success(upstream: respx.Route, client: NaverClient) -> None:
    upstream.side_effect = [error(503, "SE99"), naver_pages(2)]
    page = await client.search("삼성전자", max_results=10, sort="sim")
    assert len(page.items) == 2


@pytest.mark.parametrize("exc", [httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow")])
async def test_timeouts_are_retried_then_503(
    upstream: respx.Route, client: NaverClient, exc: Exception
) -> None:
    upstream.side_effect = exc
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.status_code == 503
    assert caught.value.retry_after is not None
    assert upstream.call_count == 3
    assert client.calls["timeout"] == 3


async def test_connection_failure_is_503(upstream: respx.Route, client: NaverClient) -> None:
    upstream.side_effect = httpx.ConnectError("refused")
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.retry_after is not None
    assert upstream.call_count == 3


async def test_overall_deadline_with_a_slow_upstream(upstream: respx.Route, http: httpx.AsyncClient) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200, json={"total": 0, "items": []})

    upstream.side_effect = slow
    client = NaverClient(make_settings(deadline_seconds=0.2, timeout_seconds=30), http)
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert "deadline" in caught.value.message
    assert caught.value.retry_after is not None
    assert client.calls["deadline"] == 1


async def test_per_request_timeout_bounds_each_attempt(
    upstream: respx.Route, http: httpx.AsyncClient
) -> None:
    calls = 0

    async def first_hangs(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(30)
        return naver_pages(4)(request)

    upstream.side_effect = first_hangs
    client = NaverClient(make_settings(timeout_seconds=0.1), http, backoff_base=0.001)
    page = await client.search("삼성전자", max_results=10, sort="sim")
    assert len(page.items) == 4
    assert client.calls["timeout"] == 1


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>Bad gateway</html>"),
        httpx.Response(200, json={"total": 3}),
        httpx.Response(200, json={"total": 3, "items": "nope"}),
        httpx.Response(200, json=[1, 2, 3]),
    ],
)
async def test_malformed_body_is_502(
    upstream: respx.Route, client: NaverClient, response: httpx.Response
) -> None:
    upstream.return_value = response
    with pytest.raises(UpstreamError) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.status_code == 502
    assert upstream.call_count == 1


async def test_oversized_body_by_content_length(upstream: respx.Route, http: httpx.AsyncClient) -> None:
    upstream.return_value = httpx.Response(200, json={"total": 100, "items": [item(i) for i in range(100)]})
    client = NaverClient(make_settings(max_body_bytes=2000), http)
    with pytest.raises(UpstreamError) as caught:
        await client.search("삼성전자", max_results=100, sort="sim")
    assert "larger than 2000 bytes" in caught.value.message


async def test_declared_oversized_body_is_refused_before_reading(
    upstream: respx.Route, http: httpx.AsyncClient
) -> None:
    upstream.return_value = httpx.Response(
        200, headers={"Content-Length": "50000000"}, content=b'{"total": 0, "items": []}'
    )
    client = NaverClient(make_settings(max_body_bytes=2000), http)
    with pytest.raises(UpstreamError) as caught:
        await client.search("삼성전자", max_results=10, sort="sim")
    assert "larger than 2000 bytes" in caught.value.message
    assert client.calls["body_too_large"] == 1


async def test_oversized_body_without_content_length(upstream: respx.Route, http: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"total": 1, "items": ['
        for _ in range(100):
            yield b'{"title": "' + b"x" * 100 + b'"},'
        yield b"{}]}"

    upstream.return_value = httpx.Response(200, content=chunks())
    client = NaverClient(make_settings(max_body_bytes=2000), http)
    with pytest.raises(UpstreamError) as caught:
        await client.search("삼성전자", max_results=100, sort="sim")
    assert "larger than 2000 bytes" in caught.value.message


async def test_credentials_never_appear_in_errors_or_logs(
    upstream: respx.Route, client: NaverClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echoed = f"bad key {CLIENT_ID} / {CLIENT_SECRET}"
    scenarios: list[Any] = [
        error(401, "024", echoed),
        error(403, "024", echoed),
        error(400, "SE01", echoed),
        error(500, "SE99", echoed),
        error(429, "012", echoed),
        error(429, "010", echoed),
        httpx.Response(200, text=echoed),
        httpx.ConnectError(echoed),
    ]
    messages = []
    for scenario in scenarios:
        upstream.side_effect = None
        if isinstance(scenario, Exception):
            upstream.side_effect = scenario
        else:
            upstream.return_value = scenario
        fresh = NaverClient(make_settings(), client._http, backoff_base=0.001, backoff_max=0.001)
        with pytest.raises(AppError) as caught:
            await fresh.search("삼성전자", max_results=10, sort="sim")
        messages.append(str(caught.value))
        messages.append(caught.value.message)
    assert len(messages) == 2 * len(scenarios)
    for text in [*messages, caplog.text]:
        assert CLIENT_ID not in text
        assert CLIENT_SECRET not in text


async def test_failed_attempts_are_logged_with_status_and_code(
    upstream: respx.Route, client: NaverClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="app.adapters.naver")
    upstream.side_effect = [error(429, "012"), naver_pages(1)]
    await client.search("삼성전자", max_results=10, sort="sim")
    records = [r for r in caplog.records if r.name == "app.adapters.naver"]
    assert len(records) == 1
    assert "status=429" in records[0].getMessage()
    assert "code=012" in records[0].getMessage()
