"""`max_results` counts stories: the API reads further Naver pages until it has them (real HTTP, real Redis)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.naver_server import FakeNaver
from tests.integration.apiserver import ApiServer, run_api
from tests.integration.conftest import NAVER_ID, NAVER_SECRET, naver_env

pytestmark = pytest.mark.integration

DEV_PAGES = Path(__file__).resolve().parents[2] / "data" / "stories" / "dev"


@pytest.fixture(scope="module")
def story_naver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeNaver]:
    """A fake Naver whose results are the labeled dev pages: many outlets' reports of each event."""
    archive = tmp_path_factory.mktemp("stories") / "pages.jsonl"
    lines = []
    for page in sorted(DEV_PAGES.glob("*.json")):
        for item in json.loads(page.read_text("utf-8"))["items"]:
            plain = {k: item[k].replace("<b>", "").replace("</b>", "") if k in ("title", "description") else item[k]
                     for k in ("title", "originallink", "link", "description", "pubDate")}
            lines.append(json.dumps(plain, ensure_ascii=False))
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with FakeNaver(client_id=NAVER_ID, client_secret=NAVER_SECRET, archive_path=archive) as server:
        yield server


@pytest.fixture(scope="module")
def api(story_naver: FakeNaver, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    with run_api(naver_env(story_naver), tmp_path_factory.mktemp("api"), redis_url=redis_url) as server:
        yield server


def test_asking_for_ten_stories_returns_ten_by_reading_further_pages(api, story_naver):
    story_naver.reset()
    response = httpx.post(f"{api.url}/api/v1/search/news", json={"query": "영업이익", "max_results": 10},
                          timeout=30)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["search_metadata"]["returned_count"] == 10
    dedup = body["deduplication"]
    assert dedup["articles_read"] > 10  # the first page of 10 folded into fewer stories
    assert dedup["stories_found"] >= 10
    assert dedup["original_count"] == dedup["articles_read"]
    starts = [int(c["start"]) for c in story_naver.calls]
    assert starts[0] == 1 and len(starts) >= 2 and starts[1] == 11
    folded = [item for item in body["items"] if item["duplicate_count"] > 0]
    assert folded, "some of the stories were reported by several outlets"
    for item in folded:
        assert len(item["sources"]) == item["duplicate_count"] + 1
        assert item["first_published"] <= item["last_published"]
        assert {"press", "url", "published_date"} <= set(item["sources"][0])


def test_a_source_with_fewer_stories_returns_what_it_has(api, story_naver):
    story_naver.reset()
    response = httpx.post(f"{api.url}/api/v1/search/companies/셀트리온", json={"max_results": 50}, timeout=30)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["deduplication"]["articles_read"] == body["search_metadata"]["total_found"]
    assert body["search_metadata"]["returned_count"] < 50


def test_naver_secret_stays_out_of_story_responses(api, story_naver):
    response = httpx.post(f"{api.url}/api/v1/search/news", json={"query": "리콜", "max_results": 5}, timeout=30)
    assert response.status_code == 200
    assert NAVER_SECRET not in response.text
