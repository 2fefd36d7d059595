"""Company analysis: search → deduplicate → classify (article cache first) → summarise → cache → store."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from app.domain.keywords import KeywordExtractor
from app.domain.models import AnalysisResult, AnalyzedArticle, Article, ArticleAnalysis, ModelInfo
from app.domain.summary import snapshot, summarize
from app.errors import ServiceBusy, UpstreamUnavailable
from app.services.ports import AnalysisRepository, ArticleCache, Classifier, ResultCache
from app.services.search import BatchEntry, SearchService, run_batch
from app.settings import CacheSettings

log = logging.getLogger(__name__)

# Called with (articles classified so far, articles in all).
Progress = Callable[[int, int], None]
_PROGRESS_CHUNK = 16
_SWAP_RETRIES = 3


@dataclass(frozen=True)
class AnalysisOutcome:
    """An analysis and how it was served."""

    result: AnalysisResult
    cache_hit: bool
    stale: bool
    degraded: bool
    elapsed_ms: float
    newly_classified: int


def _content_key(article: Article) -> str:
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


class Admission:
    """At most `slots` analyses compute at once; past `queue_limit` waiting, new ones are refused (503).

    Uncapped, concurrent analyses share the event loop and the GIL with everything else: at a few times
    the rate one process can analyse, every request (cache hits included) waits behind them and analyses
    themselves get slower. Waiting for a slot costs nothing; a refusal tells the client when to come back.
    """

    def __init__(self, slots: int, queue_limit: int):
        self._slots = slots
        self._limit = queue_limit
        self._semaphore: asyncio.Semaphore | None = None
        self._waiting = 0
        self._seconds = 1.0  # moving average of how long an analysis holds its slot

    @contextlib.asynccontextmanager
    async def slot(self, *, may_refuse: bool) -> AsyncIterator[None]:
        """Hold a slot for the block; refuse when the queue is full and refusing is allowed."""
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self._slots)
        if may_refuse and self._limit and self._semaphore.locked() and self._waiting >= self._limit:
            wait = max(1, math.ceil(self._waiting * self._seconds / self._slots))
            raise ServiceBusy(
                f"{self._waiting} analyses are already waiting on this server; try again in {wait} s",
                retry_after=wait,
            )
        self._waiting += 1
        try:
            await self._semaphore.acquire()
        finally:
            self._waiting -= 1
        started = time.monotonic()
        try:
            yield
        finally:
            self._semaphore.release()
            self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - started)


class AnalysisService:
    """Analyses a company's news with the active classifier and records the result."""

    def __init__(
        self,
        *,
        search: SearchService,
        classifier: Classifier,
        cache: ResultCache,
        articles: ArticleCache,
        store: AnalysisRepository,
        keywords: KeywordExtractor,
        cache_settings: CacheSettings,
        concurrency: int = 2,
        queue_limit: int = 16,
    ):
        self._admission = Admission(concurrency, queue_limit)
        self._search = search
        self._classifier = classifier
        self._cache = cache
        self._articles = articles
        self._store = store
        self._keywords = keywords
        self._ttl = cache_settings.analysis_ttl

    async def analyze(
        self,
        company: str,
        *,
        max_results: int = 50,
        force_refresh: bool = False,
        similarity_threshold: float | None = None,
        record_id: str | None = None,
        on_progress: Progress | None = None,
    ) -> AnalysisOutcome:
        """Cached analysis when fresh; otherwise a new one, stored as the company's latest and in history."""
        started = time.perf_counter()
        fingerprint = self._classifier.fingerprint
        # Resolved as search keys are: no threshold and the default one are the same analysis.
        threshold = self._search.default_threshold if similarity_threshold is None else similarity_threshold
        key = self._cache.key(
            "analysis",
            company,
            source=self._search.source_name,
            max_results=max_results,
            threshold=threshold,
            model=fingerprint,
        )
        classified = 0

        async def load() -> tuple[str, int]:
            # Background tasks wait for a slot; a client is refused rather than kept waiting without end.
            async with self._admission.slot(may_refuse=record_id is None):
                return await compute()

        async def compute() -> tuple[str, int]:
            nonlocal classified
            found = await self._search.search(
                company,
                max_results=max_results,
                sort="sim",
                force_refresh=force_refresh,
                similarity_threshold=similarity_threshold,
            )
            items, classified, info, used = await self._classify(found.result.items, on_progress)
            # Headlines, as for trending: they name each story's topic, while leads repeat outlet and company
            # boilerplate and cost Kiwi (which holds the GIL) about five times as long.
            top = await asyncio.to_thread(
                self._keywords.top_keywords, [a.title for a in items], exclude=[company], limit=10
            )
            result = AnalysisResult(
                company=company,
                analysis_time=datetime.now(UTC),
                source=found.result.source,
                total_found=found.result.total_found,
                original_count=found.result.original_count,
                duplicates_removed=found.result.duplicates_removed,
                similarity_threshold=found.result.similarity_threshold,
                articles_read=found.result.articles_read,
                stories_found=found.result.stories_found,
                max_results=max_results,
                model=info,
                items=items,
                summary=summarize(items, top),
            )
            # A set activated since the key was made: this analysis is that set's, not the key's; serve it
            # and keep it in history, but do not cache it under the other set's key.
            return result.model_dump_json(), self._ttl if used == fingerprint else 0

        outcome = await self._cache.fetch(key, load, force_refresh=force_refresh)
        result = AnalysisResult.model_validate_json(outcome.value)
        degraded = outcome.degraded
        try:
            if not outcome.cache_hit:
                record = snapshot(result, record_id or uuid.uuid4().hex)
                await self._store.save(company, outcome.value, record)
            else:
                # What an analyst was just shown is the company's latest on every screen, even when it
                # came from the cache (history keeps only new analyses).
                await self._store.show(company, outcome.value, snapshot(result, "cache-hit"))
        except UpstreamUnavailable as exc:
            if record_id is not None:
                raise  # a background task exists to store its result: it fails (and is recorded so)
            # A client asking for an analysis still gets it, like a search when Redis is down.
            log.warning("analysis of '%s' served but not stored: %s", company, exc.message)
            degraded = True
        return AnalysisOutcome(
            result=result,
            cache_hit=outcome.cache_hit,
            stale=outcome.stale,
            degraded=degraded,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            newly_classified=classified,
        )

    async def batch(
        self, companies: Sequence[str], *, max_results: int, force_refresh: bool = False
    ) -> list[BatchEntry[AnalysisOutcome]]:
        """Analyse several companies concurrently, each reporting its own success or error."""
        return await run_batch(
            companies, lambda c: self.analyze(c, max_results=max_results, force_refresh=force_refresh)
        )

    async def _classify(
        self, articles: Sequence[Article], on_progress: Progress | None = None
    ) -> tuple[list[AnalyzedArticle], int, ModelInfo, str]:
        """Analyses for every article, running the model only on those not classified before.

        Returns the items, how many were classified now, and the model set (info, fingerprint) that made
        every one of them. A set activated meanwhile shows in what `classify` reports; the articles are
        then looked up and classified again under that set, so one analysis never mixes two sets and
        never files one set's labels under another's fingerprint.
        """
        contents = [_content_key(a) for a in articles]
        info, fingerprint = self._classifier.info(), self._classifier.fingerprint
        for _ in range(_SWAP_RETRIES):
            cached = await self._articles.get_many(fingerprint, contents)
            missing = [i for i, value in enumerate(cached) if value is None]
            analyses: list[ArticleAnalysis | None] = [
                ArticleAnalysis.model_validate_json(v) if v is not None else None for v in cached
            ]
            if on_progress:
                on_progress(len(articles) - len(missing), len(articles))
            fresh: list[ArticleAnalysis] = []
            swapped = False
            # Chunks only when someone watches progress; otherwise one call batches best.
            step = _PROGRESS_CHUNK if on_progress else max(1, len(missing))
            for start in range(0, len(missing), step):
                done = await self._classifier.classify([articles[i] for i in missing[start : start + step]])
                if done.fingerprint != fingerprint:
                    info, fingerprint, swapped = done.info, done.fingerprint, True
                    break
                fresh += done.results
                if on_progress:
                    on_progress(len(articles) - len(missing) + len(fresh), len(articles))
            if swapped:
                continue
            for index, analysis in zip(missing, fresh, strict=True):
                analyses[index] = analysis
            await self._articles.put_many(
                fingerprint, {contents[i]: a.model_dump_json() for i, a in zip(missing, fresh, strict=True)}
            )
            break
        else:
            raise ServiceBusy("the model set kept changing during this analysis; try again", retry_after=1)
        items = [
            AnalyzedArticle(
                **article.model_dump(),
                esg_classification=analysis.esg_classification,
                sentiment_analysis=analysis.sentiment_analysis,
            )
            for article, analysis in zip(articles, analyses, strict=True)
            if analysis is not None
        ]
        return items, len(missing), info, fingerprint
