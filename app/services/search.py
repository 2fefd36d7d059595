"""Cache-first news search folded into stories (reading further pages for them), batch search, trending."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from app.domain.dedup import DedupResult, deduplicate
from app.domain.keywords import KeywordExtractor
from app.domain.models import Article, SearchResult, SortOrder
from app.errors import AppError
from app.services.ports import NewsSource, ResultCache, TrendCounter
from app.settings import CacheSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

# Below this many items, dedup costs less than handing it to a thread.
_INLINE_DEDUP_MAX = 150
MAX_ARTICLES_READ = 1000  # Naver serves results up to start=1000


@dataclass(frozen=True)
class SearchOutcome:
    """A search result and how it was served."""

    result: SearchResult
    cache_hit: bool
    stale: bool
    degraded: bool
    elapsed_ms: float


@dataclass(frozen=True)
class _Stories:
    folded: DedupResult
    read: int
    total: int


@dataclass(frozen=True)
class BatchEntry(Generic[T]):
    """One query of a batch: an outcome or the error it ended in."""

    query: str
    outcome: T | None = None
    error: AppError | None = None


async def run_batch(terms: Sequence[str], run: Callable[[str], Awaitable[T]]) -> list[BatchEntry[T]]:
    """Run `run` for every term concurrently; an AppError is kept with its term instead of failing all."""

    async def one(term: str) -> BatchEntry[T]:
        try:
            return BatchEntry(query=term, outcome=await run(term))
        except AppError as exc:
            return BatchEntry(query=term, error=exc)

    return list(await asyncio.gather(*(one(t) for t in terms)))


@dataclass
class Trending:
    """What people searched and what the news talked about over a window."""

    window_hours: int
    queries: list[tuple[str, float]] = field(default_factory=list)
    keywords: list[tuple[str, float]] = field(default_factory=list)


class SearchService:
    """Searches one news source through the cache; records what was searched for trending."""

    def __init__(
        self,
        *,
        source: NewsSource,
        cache: ResultCache,
        trends: TrendCounter,
        keywords: KeywordExtractor,
        cache_settings: CacheSettings,
        default_threshold: float,
        extend_seconds: float = 10.0,
    ):
        self._source = source
        self._cache = cache
        self._trends = trends
        self._keywords = keywords
        self._ttl = cache_settings
        self._default_threshold = default_threshold
        self._extend_seconds = extend_seconds
        self._background: set[asyncio.Task[None]] = set()

    @property
    def default_threshold(self) -> float:
        """The similarity threshold used when a request names none."""
        return self._default_threshold

    @property
    def source_name(self) -> str:
        """The source searches go to (naver or archive)."""
        return self._source.name

    async def search(
        self,
        query: str,
        *,
        max_results: int = 10,
        sort: SortOrder = "sim",
        force_refresh: bool = False,
        similarity_threshold: float | None = None,
    ) -> SearchOutcome:
        """Cached result when fresh; otherwise search, deduplicate and cache (one upstream call per key)."""
        started = time.perf_counter()
        threshold = self._default_threshold if similarity_threshold is None else similarity_threshold
        key = self._cache.key(
            "search", query, source=self._source.name, max_results=max_results, sort=sort, threshold=threshold
        )

        async def load() -> tuple[str, int]:
            stories = await self._stories(query, max_results, sort, threshold)
            result = SearchResult(
                query=query,
                sort=sort,
                source=self._source.name,
                total_found=stories.total,
                items=stories.folded.items[:max_results],
                original_count=stories.folded.original_count,
                duplicates_removed=stories.folded.duplicates_removed,
                similarity_threshold=threshold,
                searched_at=datetime.now(UTC),
                articles_read=stories.read,
                stories_found=len(stories.folded.items),
            )
            self._in_background(self._record_keywords([a.title for a in result.items]))
            ttl = self._ttl.search_ttl if result.items else self._ttl.empty_ttl
            return result.model_dump_json(), ttl

        outcome = await self._cache.fetch(key, load, force_refresh=force_refresh)
        await self._trends.record("query", [query])
        return SearchOutcome(
            result=SearchResult.model_validate_json(outcome.value),
            cache_hit=outcome.cache_hit,
            stale=outcome.stale,
            degraded=outcome.degraded,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    async def cached(
        self, query: str, *, max_results: int = 10, sort: SortOrder = "sim"
    ) -> SearchResult | None:
        """The cached result for the default threshold, if any; never calls the news source."""
        key = self._cache.key(
            "search", query, source=self._source.name, max_results=max_results, sort=sort,
            threshold=self._default_threshold,
        )
        value = await self._cache.peek(key)
        return SearchResult.model_validate_json(value) if value is not None else None

    async def _fold(self, articles: list[Article], threshold: float, query: str) -> DedupResult:
        if len(articles) > _INLINE_DEDUP_MAX:
            return await asyncio.to_thread(deduplicate, articles, threshold, query)
        return deduplicate(articles, threshold, query)

    async def _stories(self, query: str, max_results: int, sort: SortOrder, threshold: float) -> _Stories:
        """Read pages until the articles fold into `max_results` stories, the source runs out, or time does.

        The first page asks for `max_results` articles, as before; each further page asks for as many as
        the fold rate so far says are needed (10–100). Reading more stops at the source's 1,000th result
        and after `extend_seconds`; a further page that fails keeps the stories already found.
        """
        started = time.perf_counter()
        page = await self._source.search(query, max_results=max_results, sort=sort)
        articles, read, total = list(page.items), page.raw_read, page.total
        folded = await self._fold(articles, threshold, query)
        while (len(folded.items) < max_results and read < min(total, MAX_ARTICLES_READ)
               and page.raw_read > 0 and time.perf_counter() - started < self._extend_seconds):
            per_story = len(articles) / max(len(folded.items), 1)
            want = min(100, max(10, math.ceil((max_results - len(folded.items)) * per_story * 1.2)),
                       MAX_ARTICLES_READ - read)
            try:
                page = await self._source.search(query, max_results=want, sort=sort, offset=read)
            except AppError as exc:
                log.warning("reading further results for %r stopped: %s", query, exc)
                break
            articles.extend(page.items)
            read += page.raw_read
            folded = await self._fold(articles, threshold, query)
        return _Stories(folded=folded, read=read, total=total)

    async def batch(
        self, queries: Sequence[str], *, max_results: int, sort: SortOrder, force_refresh: bool = False
    ) -> list[BatchEntry[SearchOutcome]]:
        """Run queries concurrently; a failing query is reported on its own, not as a batch failure."""
        return await run_batch(
            queries,
            lambda q: self.search(q, max_results=max_results, sort=sort, force_refresh=force_refresh),
        )

    async def trending(self, *, window_hours: int, limit: int) -> Trending:
        """Most searched queries and most frequent article keywords over the window."""
        queries, keywords = await asyncio.gather(
            self._trends.top("query", window_hours=window_hours, limit=limit),
            self._trends.top("keyword", window_hours=window_hours, limit=limit),
        )
        return Trending(window_hours=window_hours, queries=queries, keywords=keywords)

    async def _record_keywords(self, titles: list[str]) -> None:
        if titles:
            nouns = await asyncio.to_thread(self._keywords.nouns, titles)
            # A word counts once per article, so one repetitive headline does not dominate.
            await self._trends.record("keyword", [w for words in nouns for w in set(words)])

    def _in_background(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("background trending update failed: %r", task.exception())

    async def drain(self) -> None:
        """Wait for background bookkeeping (used at shutdown and by tests)."""
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
