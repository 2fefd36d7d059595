"""ArchiveSource: matching, normalisation, ordering, totals, malformed lines, missing file."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from app.adapters.archive import ArchiveIndex, ArchiveSource
from app.errors import InvalidInput, UpstreamUnavailable


def naver_item(key: str, title: str, description: str, day: int) -> dict[str, Any]:
    return {
        "title": title,
        "originallink": f"https://www.yna.co.kr/view/{key}",
        "link": f"https://n.news.naver.com/mnews/article/001/{key}",
        "description": description,
        "pubDate": f"Mon, {day:02d} Jul 2024 09:00:00 +0900",
    }


ITEMS = [
    naver_item(
        "s1", "<b>삼성전자</b>, 2분기 영업이익 10조", "삼성전자가 반도체 회복에 힘입어 삼성전자 실적 개선", 5
    ),
    naver_item("l1", "LG전자 가전 수출 호조", "가전 부문 매출이 늘었다", 6),
    naver_item("s2", "반도체 업황 회복", "삼성전자와 SK하이닉스가 투자를 늘린다", 7),
    naver_item("l2", "ＬＧ전자 전장 사업 확대", "자동차 부품 &amp; 전장", 8),
    naver_item("s3", "삼성전자 노조 파업", "", 1),
]


@pytest.fixture
def archive_file(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    lines = [json.dumps(item, ensure_ascii=False) for item in ITEMS]
    lines[2:2] = ["", "{not json", "[1, 2]", json.dumps({"title": "URL 없음", "originallink": ""})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def keys(page: Any) -> list[str]:
    return [a.url.rsplit("/", 1)[1] for a in page.items]


async def test_date_order_is_newest_first(archive_file: Path) -> None:
    page = await ArchiveSource(archive_file).search("삼성전자", max_results=10, sort="date")
    assert keys(page) == ["s2", "s1", "s3"]
    assert page.total == 3


async def test_sim_order_weighs_title_and_occurrences(archive_file: Path) -> None:
    # s1: headline + two lead mentions; s3: headline only; s2: one lead mention.
    page = await ArchiveSource(archive_file).search("삼성전자", max_results=10, sort="sim")
    assert keys(page) == ["s1", "s3", "s2"]


async def test_sim_ties_are_newest_first(archive_file: Path) -> None:
    page = await ArchiveSource(archive_file).search("LG전자", max_results=10, sort="sim")
    assert keys(page) == ["l2", "l1"]


@pytest.mark.parametrize("query", ["LG전자", "lg전자", "ＬＧ전자", "  Lg전자  "])
async def test_matching_is_nfkc_and_case_insensitive(archive_file: Path, query: str) -> None:
    page = await ArchiveSource(archive_file).search(query, max_results=10, sort="date")
    assert keys(page) == ["l2", "l1"]


async def test_multi_word_query_needs_every_word(archive_file: Path) -> None:
    page = await ArchiveSource(archive_file).search("삼성전자 반도체", max_results=10, sort="date")
    assert keys(page) == ["s2", "s1"]


async def test_no_match(archive_file: Path) -> None:
    page = await ArchiveSource(archive_file).search("현대차", max_results=10, sort="sim")
    assert (page.total, page.items) == (0, [])


async def test_total_counts_all_matches_beyond_max_results(archive_file: Path) -> None:
    page = await ArchiveSource(archive_file).search("전자", max_results=2, sort="date")
    assert page.total == 5
    assert keys(page) == ["l2", "s2"]


async def test_items_are_cleaned_articles(archive_file: Path) -> None:
    page = await ArchiveSource(archive_file).search("전장", max_results=10, sort="date")
    (article,) = page.items
    assert article.title == "ＬＧ전자 전장 사업 확대"
    assert article.description == "자동차 부품 & 전장"
    assert article.news_source == "연합뉴스"
    assert article.published_date is not None
    assert article.published_date.isoformat() == "2024-07-08T09:00:00+09:00"


async def test_malformed_lines_are_skipped_with_a_warning(
    archive_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="app.adapters.archive")
    source = ArchiveSource(archive_file)
    index = await source.index()
    assert len(index) == len(ITEMS)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3
    assert "line 4" in warnings[0] and "JSON" in warnings[0]
    assert "line 5" in warnings[1]
    assert "line 6" in warnings[2]


async def test_missing_file_is_unavailable(tmp_path: Path) -> None:
    source = ArchiveSource(tmp_path / "nope.jsonl")
    with pytest.raises(UpstreamUnavailable) as caught:
        await source.search("삼성전자", max_results=10, sort="sim")
    assert caught.value.status_code == 503
    assert "NEWS_ARCHIVE_PATH" in caught.value.message
    assert "nope.jsonl" in caught.value.message


async def test_archive_is_loaded_once(archive_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads = 0
    real_load = ArchiveIndex.load

    def counting_load(path: Path) -> ArchiveIndex:
        nonlocal loads
        loads += 1
        return real_load(path)

    monkeypatch.setattr(ArchiveIndex, "load", staticmethod(counting_load))
    source = ArchiveSource(archive_file)
    pages = await asyncio.gather(*(source.search("전자", max_results=10, sort="date") for _ in range(8)))
    await source.search("삼성전자", max_results=10, sort="sim")
    assert loads == 1
    assert all(p.total == 5 for p in pages)


async def test_directory_of_jsonl_files(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps(ITEMS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(ITEMS[4], ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "ignored.txt").write_text(json.dumps(ITEMS[2], ensure_ascii=False) + "\n", encoding="utf-8")
    page = await ArchiveSource(tmp_path).search("삼성전자", max_results=10, sort="date")
    assert keys(page) == ["s1", "s3"]


@pytest.mark.parametrize(
    ("query", "max_results"), [("", 10), ("   ", 10), ("삼성전자", 0), ("삼성전자", 1001)]
)
async def test_invalid_input(archive_file: Path, query: str, max_results: int) -> None:
    with pytest.raises(InvalidInput):
        await ArchiveSource(archive_file).search(query, max_results=max_results, sort="sim")
