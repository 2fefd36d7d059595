"""Shared fixtures: articles, an in-memory news source, and settings for embedded and real-Redis runs."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.models import Article, SortOrder, SourcePage, article_id
from app.settings import (
    ApiSettings,
    CacheSettings,
    MLSettings,
    NaverSettings,
    NewsSettings,
    RedisSettings,
    Settings,
)

# Embedded processes started by tests keep their store in memory unless a test gives them a directory.
os.environ.setdefault("EMBEDDED_DATA_DIR", "")

# A db of its own (not 0) and a fresh key prefix per run, so runs never see each other's keys.
TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "11"))
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")


def make_article(title: str, description: str = "", *, url: str | None = None, hours_ago: int = 0) -> Article:
    """An article as a news source would return it."""
    url = url or f"https://www.example.co.kr/news/{uuid.uuid4().hex[:10]}"
    return Article(
        id=article_id(url),
        title=title,
        description=description,
        url=url,
        naver_url=url,
        published_date=datetime(2026, 11, 20, 9, tzinfo=UTC) - timedelta(hours=hours_ago),
        news_source="example",
    )


class MemorySource:
    """A `NewsSource` over a fixed list; counts calls and can be told to fail."""

    name = "archive"

    def __init__(self, articles: Sequence[Article], total: int | None = None):
        self.articles = list(articles)
        self._total = total
        self.calls = 0
        self.error: Exception | None = None
        self.delay = 0.0

    async def search(self, query: str, *, max_results: int, sort: SortOrder, offset: int = 0) -> SourcePage:
        """Return `max_results` articles from `offset` (or raise the configured error)."""
        import asyncio

        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        total = self._total if self._total is not None else len(self.articles)
        return SourcePage(total=total, items=self.articles[offset:offset + max_results])


@pytest.fixture
def articles() -> list[Article]:
    """Six articles: two stories with copies, and two distinct ones."""
    return [
        make_article("삼성전자, 2030년 RE100 조기 달성 선언", "삼성전자가 2030년까지 사용 전력 전부를 재생에너지로 바꾸겠다고 밝혔다."),
        make_article("[속보] 삼성전자, RE100 조기 달성 선언", "삼성전자가 2030년까지 사용 전력 전부를 재생에너지로 바꾸겠다고 밝혔다"),
        make_article("LG전자 노사, 임금협상 잠정 합의", "LG전자 노사가 올해 임금협상에서 잠정 합의안을 마련했다.", hours_ago=2),
        make_article("LG전자 노사 임금협상 잠정합의", "LG전자 노사가 올해 임금 협상에서 잠정 합의안을 마련했다고 밝혔다.", hours_ago=3),
        make_article("삼성전자 주가 상승 마감", "외국인 순매수에 삼성전자 주가가 3% 올랐다.", hours_ago=4),
        make_article("SK하이닉스, 감사위원회 신설", "SK하이닉스가 이사회 산하 감사위원회를 새로 만든다.", hours_ago=5),
    ]


# Tests share one client address; limits are switched on only by the tests about them.
NO_RATE_LIMITS = {"rate_limit_search": 0, "rate_limit_analyze": 0, "rate_limit_admin": 0}


def embedded_settings(*, ml: dict[str, object] | None = None, api: dict[str, object] | None = None) -> Settings:
    """Embedded mode, archive source, no .env influence; `ml`/`api` override those sections."""
    return Settings(
        naver=NaverSettings(_env_file=None),
        news=NewsSettings(_env_file=None, source="archive"),
        redis=RedisSettings(
            _env_file=None, url="", key_prefix=f"test-{uuid.uuid4().hex[:8]}", embedded_data_dir=""
        ),
        cache=CacheSettings(_env_file=None),
        ml=MLSettings(_env_file=None, **(ml or {"model_name": "missing-in-tests"})),
        api=ApiSettings(_env_file=None, **{**NO_RATE_LIMITS, **(api or {})}),
    )


@pytest.fixture
def settings() -> Settings:
    """Fresh embedded settings per test."""
    return embedded_settings()
