"""The shipped data sets: the offline Naver-shaped archive and the labeled training corpus."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from app.domain.dedup import deduplicate
from app.domain.models import Article, article_id
from app.domain.text import clean_text, parse_pub_date

DATA = Path(__file__).resolve().parents[2] / "data"
ARCHIVE = DATA / "archive" / "sample_news.jsonl"
CORPUS = DATA / "training" / "esg_news_ko.jsonl"
DEV = DATA / "dev" / "esg_dev.jsonl"
KST = timezone(timedelta(hours=9))

NAVER_FIELDS = {"title", "originallink", "link", "description", "pubDate"}
ARCHIVE_SOURCES = DATA / "archive" / "sources"
SOURCE_FIELDS = {"company", "event", "date", "outlet", "title", "description", "category", "sentiment"}
CORPUS_FIELDS = {"title", "description", "category", "sentiment", "company", "split", "writer", "hard"}
DEV_FIELDS = CORPUS_FIELDS - {"split"}
HARD_KINDS = {"", "e_implicit", "direction", "reversal", "mixed", "denied", "green_business", "cross_words",
              "procedural", "market", "hedged", "negated", "rate", "unchanged", "followup"}
CATEGORIES = {"E", "S", "G", "기타"}
SENTIMENTS = {"긍정", "중립", "부정"}
ARCHIVE_COMPANIES = [  # a few from every sector, and the default watch list (삼성전자, LG전자)
    "삼성전자", "LG전자", "SK하이닉스", "현대차", "기아", "포스코홀딩스", "LG에너지솔루션", "네이버", "카카오", "KT",
    "셀트리온", "KB금융", "신한금융지주", "한화솔루션", "LG화학", "CJ제일제당", "쿠팡", "한국전력", "대한항공", "HMM",
]
NAVER_LINK = re.compile(r"^https://n\.news\.naver\.com/mnews/article/\d{3}/\d{10}$")
MARKUP = re.compile(r"<[^>]+>|&(?:quot|amp|lt|gt|apos|#\d+);")


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@functools.cache
def _tool(name: str) -> Any:
    """A script of data/tools, loaded as a module (data/tools is not a package)."""
    spec = importlib.util.spec_from_file_location(name, DATA / "tools" / f"{name}.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def _normalized(title: str) -> str:
    """Titles compared as `add_writers.py` compares them before it adds rows."""
    return str(_tool("add_writers").normalized(title))


@pytest.fixture(scope="module")
def archive() -> list[dict]:
    return _lines(ARCHIVE)


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return _lines(CORPUS)


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return _lines(DEV)


# ----------------------------------------------------------------------------- archive


def test_archive_items_are_naver_shaped(archive: list[dict]) -> None:
    assert len(archive) >= 1500
    for item in archive:
        assert set(item) == NAVER_FIELDS | {"company"}  # `company`: the archive's own field, "" for general items
        assert all(isinstance(item[field], str) and item[field] for field in NAVER_FIELDS)
        assert item["originallink"].startswith("https://")
        assert item["link"] == item["originallink"] or NAVER_LINK.match(item["link"]), item["link"]


def test_archive_pub_dates_parse_in_kst_within_the_window(archive: list[dict]) -> None:
    first, last = datetime(2026, 9, 1, tzinfo=KST), datetime(2026, 12, 5, tzinfo=KST)
    for item in archive:
        published = parse_pub_date(item["pubDate"])
        assert published is not None, item["pubDate"]
        assert published.utcoffset() == timedelta(hours=9)
        assert first <= published < last
    days = {parse_pub_date(i["pubDate"]).date() for i in archive}
    assert len(days) >= 60  # spread over the window, not bunched on a few days


def test_archive_text_looks_like_naver_and_cleans_to_plain_text(archive: list[dict]) -> None:
    # Every item bolds the company it was found by, in the headline unless only the snippet names it.
    assert all("<b>" in item["title"] + item["description"] for item in archive)
    assert sum("<b>" in item["title"] for item in archive) / len(archive) > 0.75
    raw = " ".join(item["title"] + item["description"] for item in archive)
    for entity in ("&quot;", "&amp;", "&apos;"):
        assert entity in raw, entity
    lengths = [len(clean_text(item["description"])) for item in archive]
    assert min(lengths) >= 60 and max(lengths) <= 220
    assert any(item["description"].endswith(("…", "...")) for item in archive)
    leftovers = re.compile(r"</?b>|&(?:quot|amp|lt|gt|apos);")  # a literal "<2026 보고서>" is fine
    for item in archive:
        assert not leftovers.search(clean_text(item["title"]) + clean_text(item["description"]))


def test_archive_covers_companies_outlets_and_the_watch_list(archive: list[dict]) -> None:
    text = [clean_text(i["title"]) + " " + clean_text(i["description"]) for i in archive]
    per_company = Counter(c for t in text for c in ARCHIVE_COMPANIES if c in t)
    assert set(per_company) == set(ARCHIVE_COMPANIES) and min(per_company.values()) >= 15
    assert per_company["삼성전자"] >= 30 and per_company["LG전자"] >= 30
    tagged = Counter(i["company"] for i in archive if i["company"])
    assert len(tagged) >= 60 and min(tagged.values()) >= 15
    domains = {i["originallink"].split("/")[2] for i in archive}
    assert len(domains) >= 40
    for topic in ("ESG", "탄소중립", "공급망"):
        assert sum(topic in t for t in text) >= 5, topic


def test_archive_titles_are_unique_except_same_url_copies(archive: list[dict]) -> None:
    by_url = Counter(item["originallink"] for item in archive)
    assert sum(n - 1 for n in by_url.values()) >= 3  # deliberate exact-URL duplicates
    titles = Counter(clean_text(i["title"]) for i in archive if by_url[i["originallink"]] == 1)
    assert max(titles.values()) == 1


def test_every_archive_company_has_a_trend_worth_of_stories() -> None:
    sources = [row for path in sorted(ARCHIVE_SOURCES.glob("*.jsonl")) for row in _lines(path)]
    assert all(set(row) == SOURCE_FIELDS for row in sources)
    assert {row["category"] for row in sources} == CATEGORIES and {row["sentiment"] for row in sources} == SENTIMENTS
    events: dict[str, set[str]] = {}
    weeks: dict[str, set[int]] = {}
    for row in sources:
        if row["company"]:
            events.setdefault(row["company"], set()).add(row["event"])
            weeks.setdefault(row["company"], set()).add(datetime.strptime(row["date"], "%Y-%m-%d %H:%M").isocalendar()[1])
    assert len(events) >= 60
    assert min(len(e) for e in events.values()) >= 10  # stories, each possibly carried by several outlets
    assert min(len(w) for w in weeks.values()) >= 6  # over several weeks: enough for a trend
    retold = Counter(row["event"] for row in sources)
    assert sum(n > 1 for n in retold.values()) >= 500  # events carried by several outlets, reworded


def test_the_archive_is_assembled_from_its_sources(archive: list[dict]) -> None:
    tool = _tool("make_archive")
    assert tool.build(tool.read_sources()) == archive  # re-run `python data/tools/make_archive.py` after edits


def test_archive_holds_near_duplicate_stories(archive: list[dict]) -> None:
    articles = [
        Article(id=article_id(f"{n}:{i['originallink']}"), title=clean_text(i["title"]),
                description=clean_text(i["description"]), url=i["originallink"], naver_url=i["link"],
                published_date=parse_pub_date(i["pubDate"]), news_source="")
        for n, i in enumerate(archive)
        if "삼성전자" in i["title"] + i["description"]
    ]
    result = deduplicate(articles, threshold=0.75)
    assert result.duplicates_removed >= 8
    assert any(item.duplicate_count >= 2 for item in result.items)


# ----------------------------------------------------------------------------- corpus


def test_corpus_rows_are_valid(corpus: list[dict]) -> None:
    assert len(corpus) >= 6000
    for row in corpus:
        assert set(row) == CORPUS_FIELDS
        assert row["category"] in CATEGORIES and row["sentiment"] in SENTIMENTS
        assert row["split"] in {"train", "validation"} and row["hard"] in HARD_KINDS
        assert row["title"].strip() and len(row["description"]) >= 30
        assert not MARKUP.search(row["title"] + row["description"]), row["title"]
    assert len({row["company"] for row in corpus}) >= 200
    assert len({row["writer"] for row in corpus}) >= 6


def test_corpus_classes_are_balanced_and_a_third_is_hard(corpus: list[dict]) -> None:
    n = len(corpus)
    categories = Counter(row["category"] for row in corpus)
    sentiments = Counter(row["sentiment"] for row in corpus)
    assert set(categories) == CATEGORIES and set(sentiments) == SENTIMENTS
    assert all(0.2 <= count / n <= 0.3 for count in categories.values()), categories
    assert all(0.25 <= count / n <= 0.42 for count in sentiments.values()), sentiments
    cells = Counter((row["category"], row["sentiment"]) for row in corpus)
    assert len(cells) == 12 and min(cells.values()) / n >= 0.04, cells
    assert sum(bool(row["hard"]) for row in corpus) / n >= 1 / 3


def test_corpus_validation_split_is_stratified_per_writer(corpus: list[dict]) -> None:
    held = [row for row in corpus if row["split"] == "validation"]
    assert 0.08 <= len(held) / len(corpus) <= 0.12
    for writer in {row["writer"] for row in corpus}:
        mine = [row for row in corpus if row["writer"] == writer]
        share = sum(row["split"] == "validation" for row in mine) / len(mine)
        assert 0.08 <= share <= 0.12, writer


def test_corpus_is_written_not_templated(corpus: list[dict]) -> None:
    sentences = Counter(s.strip() for row in corpus for s in re.split(r"(?<=다\.)\s*", row["description"])
                        if len(s.strip()) >= 10)
    assert max(sentences.values()) <= 3, sentences.most_common(1)
    # No headline template with slots: headlines that agree but for company and figures are rare.
    skeletons = Counter(re.sub(r"[^가-힣]", "", row["title"].replace(row["company"], "")) for row in corpus)
    assert len(skeletons) / len(corpus) >= 0.95 and max(skeletons.values()) <= 15, skeletons.most_common(3)


def test_corpus_titles_are_unique(corpus: list[dict]) -> None:
    titles = [row["title"] for row in corpus]
    assert len(set(titles)) == len(titles)
    assert len({_normalized(t) for t in titles}) == len(titles)


def test_corpus_shares_no_title_with_the_archive(corpus: list[dict], archive: list[dict]) -> None:
    archived = {clean_text(item["title"]) for item in archive}
    assert not archived & {row["title"] for row in corpus}
    assert not {_normalized(t) for t in archived} & {_normalized(row["title"]) for row in corpus}


def test_dev_set_is_by_other_writers_and_shares_nothing_with_training(dev: list[dict], corpus: list[dict]) -> None:
    assert len(dev) >= 400
    for row in dev:
        assert set(row) == DEV_FIELDS
        assert row["category"] in CATEGORIES and row["sentiment"] in SENTIMENTS and row["hard"] in HARD_KINDS
    assert not {row["writer"] for row in dev} & {row["writer"] for row in corpus}
    assert not {_normalized(row["title"]) for row in dev} & {_normalized(row["title"]) for row in corpus}
    assert sum(bool(row["hard"]) for row in dev) / len(dev) >= 1 / 3
    assert len(Counter((row["category"], row["sentiment"]) for row in dev)) == 12
