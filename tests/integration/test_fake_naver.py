"""A real NaverClient against the fake Naver server over real HTTP (in-process and in a subprocess)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.adapters.naver import CREDENTIALS_REJECTED, NaverClient
from app.errors import QuotaExhausted, UpstreamError
from app.settings import NaverSettings
from tests.fakes.naver_remote import FakeNaverRemote
from tests.fakes.naver_server import FakeNaver

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "fake-id-3f9a1c"
CLIENT_SECRET = "fake-secret-7d2e5b"


def make_settings(url: str, **overrides: Any) -> NaverSettings:
    values: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "api_url": url,
        "timeout_seconds": 5.0,
        "deadline_seconds": 30.0,
        "max_attempts": 3,
    }
    values.update(overrides)
    return NaverSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeNaver]:
    with FakeNaver(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, archive_path=None) as fake:
        yield fake


@pytest.fixture
def naver(server: FakeNaver) -> Iterator[FakeNaver]:
    server.reset()
    yield server
    server.reset()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def client_for(naver: FakeNaver | FakeNaverRemote, http: httpx.AsyncClient, **overrides: Any) -> NaverClient:
    return NaverClient(make_settings(naver.url, **overrides), http, backoff_base=0.01, backoff_max=0.05)


async def test_pagination_over_http(naver: FakeNaver, http: httpx.AsyncClient) -> None:
    naver.set_synthetic_total(250)
    page = await client_for(naver, http).search("삼성전자", max_results=250, sort="date")
    assert [c["start"] for c in naver.calls] == ["1", "101", "201"]
    assert [c["display"] for c in naver.calls] == ["100", "100", "50"]
    assert {c["sort"] for c in naver.calls} == {"date"}
    assert page.total == 250
    assert len({a.id for a in page.items}) == 250
    first = page.items[0]
    assert first.title.startswith("삼성전자, ")
    assert "<b>" not in first.title and "&quot;" not in first.description
    assert first.news_source == "한국경제"
    assert first.published_date is not None and first.published_date.utcoffset() is not None


async def test_pagination_stops_at_total(naver: FakeNaver, http: httpx.AsyncClient) -> None:
    naver.set_synthetic_total(130)
    page = await client_for(naver, http).search("LG전자", max_results=1000, sort="sim")
    assert [c["start"] for c in naver.calls] == ["1", "101"]
    assert len(page.items) == 130


async def test_throttle_burst_is_recovered_by_retries(naver: FakeNaver, http: httpx.AsyncClient) -> None:
    naver.fail_next(status=429, code="012", times=2)
    client = client_for(naver, http)
    page = await client.search("삼성전자", max_results=5, sort="sim")
    assert len(page.items) == 5
    assert naver.call_count == 3
    assert (client.calls["429"], client.calls["200"]) == (2, 1)


async def test_auth_failure(naver: FakeNaver, http: httpx.AsyncClient) -> None:
    client = client_for(naver, http, client_secret="wrong-secret-11aa")
    with pytest.raises(UpstreamError) as caught:
        await client.search("삼성전자", max_results=5, sort="sim")
    assert caught.value.status_code == 502
    assert CREDENTIALS_REJECTED in caught.value.message
    assert "wrong-secret-11aa" not in caught.value.message and CLIENT_ID not in caught.value.message
    assert naver.call_count == 1


async def test_apihub_headers_are_accepted(naver: FakeNaver, http: httpx.AsyncClient) -> None:
    page = await client_for(naver, http, api_provider="apihub").search("카카오", max_results=3, sort="sim")
    assert len(page.items) == 3


async def test_hanging_request_times_out_and_is_retried(naver: FakeNaver, http: httpx.AsyncClient) -> None:
    naver.hang_next(3.0)
    client = client_for(naver, http, timeout_seconds=0.3)
    page = await client.search("삼성전자", max_results=5, sort="sim")
    assert len(page.items) == 5
    assert client.calls["timeout"] == 1
    assert naver.call_count == 2


async def test_non_json_body_is_502(naver: FakeNaver, http: httpx.AsyncClient) -> None:
    naver.fail_next(status=200, body="<html>maintenance</html>")
    with pytest.raises(UpstreamError) as caught:
        await client_for(naver, http).search("삼성전자", max_results=5, sort="sim")
    assert "not JSON" in caught.value.message


def test_server_validates_parameters(naver: FakeNaver) -> None:
    headers = {"X-Naver-Client-Id": CLIENT_ID, "X-Naver-Client-Secret": CLIENT_SECRET}
    cases = [
        ({"display": "5"}, "SE01"),
        ({"query": "삼성전자", "display": "0"}, "SE02"),
        ({"query": "삼성전자", "display": "101"}, "SE02"),
        ({"query": "삼성전자", "start": "1001"}, "SE03"),
        ({"query": "삼성전자", "start": "x"}, "SE03"),
        ({"query": "삼성전자", "sort": "newest"}, "SE04"),
    ]
    for params, code in cases:
        response = httpx.get(naver.url, params=params, headers=headers)
        assert (response.status_code, response.json()["errorCode"]) == (400, code), params
    unauthorized = httpx.get(naver.url, params={"query": "삼성전자"})
    assert unauthorized.status_code == 401
    assert unauthorized.json()["errorCode"] == "024"


async def test_http_control_api(naver: FakeNaver, http: httpx.AsyncClient) -> None:
    remote = FakeNaverRemote(naver.base_url)
    remote.fail_next(status=500, code="SE99", times=1)
    page = await client_for(remote, http).search("삼성전자", max_results=2, sort="sim")
    assert len(page.items) == 2
    assert [c["query"] for c in remote.calls] == ["삼성전자", "삼성전자"]
    assert remote.stats()["pending_failures"] == []

    remote.fail_next(status=429, code="010")
    with pytest.raises(QuotaExhausted):
        await client_for(remote, http).search("삼성전자", max_results=2, sort="sim")
    assert len(remote.calls) == 3

    remote.reset()
    assert remote.stats()["calls"] == 0
    bad = await http.post(f"{naver.base_url}/_control", json={"action": "explode"})
    assert bad.status_code == 400


async def test_archive_backed_results(tmp_path: Path, http: httpx.AsyncClient) -> None:
    archive = tmp_path / "news.jsonl"
    rows = [
        {
            "title": f"LG전자 {topic}",
            "originallink": f"https://www.etnews.com/{i}",
            "link": f"https://n.news.naver.com/mnews/article/030/{i}",
            "description": "lg전자가 &quot;전장&quot; 사업을 키운다",
            "pubDate": f"Mon, {i + 1:02d} Jul 2024 09:00:00 +0900",
        }
        for i, topic in enumerate(["전장 수주", "가전 실적", "로봇 투자"])
    ]
    rows.append(
        {**rows[0], "title": "삼성전자 실적", "description": "", "originallink": "https://www.mk.co.kr/1"}
    )
    archive.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    with FakeNaver(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, archive_path=archive) as fake:
        response = await http.get(
            fake.url,
            params={"query": "LG전자", "display": "2", "sort": "date"},
            headers={"X-Naver-Client-Id": CLIENT_ID, "X-Naver-Client-Secret": CLIENT_SECRET},
        )
        raw = response.json()
        assert (raw["total"], raw["start"], raw["display"]) == (3, 1, 2)
        assert raw["items"][0]["title"] == "<b>LG전자</b> 로봇 투자"
        assert raw["items"][0]["description"] == "<b>lg전자</b>가 &quot;전장&quot; 사업을 키운다"
        page = await client_for(fake, http).search("lg전자", max_results=10, sort="date")
    assert [a.title for a in page.items] == ["LG전자 로봇 투자", "LG전자 가전 실적", "LG전자 전장 수주"]
    assert page.items[0].news_source == "전자신문"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def subprocess_server() -> Iterator[FakeNaverRemote]:
    port = _free_port()
    command = [sys.executable, "-m", "tests.fakes.naver_server", "--port", str(port), "--synthetic"]
    command += ["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, "--synthetic-total", "120"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    remote = FakeNaverRemote(f"http://127.0.0.1:{port}")
    try:
        for _ in range(200):
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"fake Naver server exited: {output}")
            try:
                remote.stats()
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield remote
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_server_in_another_process(subprocess_server: FakeNaverRemote, http: httpx.AsyncClient) -> None:
    subprocess_server.fail_next(status=429, code="012", times=1, retry_after=0)
    page = await client_for(subprocess_server, http).search("포스코", max_results=200, sort="date")
    assert page.total == 120
    assert len(page.items) == 120
    assert [c["start"] for c in subprocess_server.calls] == ["1", "1", "101"]
