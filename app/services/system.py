"""Health and self-test of the running service."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from app import __version__
from app.errors import AppError
from app.services.ports import ArchiveCoverage, Classifier, HealthProbe
from app.services.search import SearchService
from app.services.status_views import RedisUnavailable
from app.services.views import (
    ArchiveCompany,
    ArchiveInfo,
    CheckResult,
    HealthResponse,
    SelfTestResponse,
    SourceResponse,
)
from app.settings import Settings

_PROBE_QUERY = "삼성전자"


class _Skipped(Exception):
    """A check that was not run, with the reason."""


class ArchiveCatalog(Protocol):
    """The offline archive as the source report reads it."""

    async def coverage(self) -> ArchiveCoverage:
        """Items, tagged companies and date range."""
        ...


class SystemService:
    """Reports what the service runs on and checks each dependency end to end."""

    def __init__(
        self,
        settings: Settings,
        redis_probe: HealthProbe,
        search: SearchService,
        classifier: Classifier,
        archive: ArchiveCatalog,
    ):
        self._archive = archive
        self._settings = settings
        self._redis = redis_probe
        self._search = search
        self._classifier = classifier

    async def health(self) -> HealthResponse:
        """Liveness plus the state of each dependency; `degraded` when one is impaired."""
        redis = await self._redis.check()
        model = self._classifier.info()
        degraded = redis.status == "unavailable" or model.ml_service_status != "local_model"
        return HealthResponse(
            status="degraded" if degraded else "healthy",
            service="news-service",
            version=__version__,
            mode="embedded" if self._settings.redis.embedded else "redis",
            news_source=self._search.source_name,
            naver_api_provider=self._settings.naver.api_provider,
            redis=redis,
            device=model.device,
            ml=model,
        )

    async def source(self) -> SourceResponse:
        """The news source in use; for the offline archive, what it covers (companies, items, dates)."""
        name = self._search.source_name
        if name != "archive":
            return SourceResponse(source=name, archive=None)
        coverage = await self._archive.coverage()
        first, last = coverage.first_published, coverage.last_published
        return SourceResponse(
            source=name,
            archive=ArchiveInfo(
                items=coverage.items,
                companies=[ArchiveCompany(company=c, items=n) for c, n in coverage.companies.items()],
                first_published=first.isoformat() if first else None,
                last_published=last.isoformat() if last else None,
            ),
        )

    async def integration_test(self, *, live: bool) -> SelfTestResponse:
        """Exercise Redis, the news source and the classifier once, timing each.

        Only `live` runs (admin callers) may spend the Naver quota; others read the news source's check
        from the cache, or skip it when nothing is cached. The offline archive costs nothing, so it is
        always searched.
        """
        free = self._search.source_name != "naver"
        source_check = self._source_check if live or free else self._cached_check
        checks = [
            await _timed("redis", self._redis_check),
            await _timed("news_source", source_check),
            await _timed("classifier", self._classifier_check),
        ]
        skipped = any(c.ok is None for c in checks)
        failed = any(c.ok is False for c in checks)
        status = "failed" if failed else "partial" if skipped else "passed"
        return SelfTestResponse(status=status, live=live, checks=checks)

    async def _redis_check(self) -> str:
        state = await self._redis.check()
        if isinstance(state, RedisUnavailable):
            raise RuntimeError(f"Redis unavailable at {state.target} ({state.error})")
        return f"{state.status} ({state.target})"

    async def _source_check(self) -> str:
        outcome = await self._search.search(_PROBE_QUERY, max_results=5, force_refresh=True)
        return f"{self._search.source_name}: {len(outcome.result.items)} items"

    async def _cached_check(self) -> str:
        result = await self._search.cached(_PROBE_QUERY, max_results=5)
        if result is None:
            raise _Skipped(
                "not checked: a live Naver call spends the daily quota, so it needs the admin key (X-API-Key)"
            )
        cached_at = result.searched_at.isoformat()
        return f"{self._search.source_name}: {len(result.items)} items (cached at {cached_at})"

    async def _classifier_check(self) -> str:
        from app.domain.models import Article

        probe = Article(
            id="self-test",
            title="삼성전자, 2030년까지 탄소중립 달성 목표 발표",
            description="재생에너지 전환과 온실가스 감축 계획을 공개했다.",
            url="https://example.invalid/self-test",
            naver_url="https://example.invalid/self-test",
            published_date=None,
            news_source="self-test",
        )
        done = await self._classifier.classify([probe])
        info, [result] = done.info, done.results
        return (
            f"{info.ml_service_status} '{info.model_name}' on {info.device}: "
            f"{result.esg_classification.category}/{result.sentiment_analysis.label}"
        )


async def _timed(name: str, check: Callable[[], Awaitable[str]]) -> CheckResult:
    started = time.perf_counter()
    ok: bool | None
    try:
        detail, ok = await check(), True
    except _Skipped as exc:
        detail, ok = str(exc), None
    except AppError as exc:
        detail, ok = f"{exc.error_type}: {exc.message}", False
    except RuntimeError as exc:
        detail, ok = str(exc), False
    except Exception as exc:  # a self-test reports every failure instead of failing itself
        detail, ok = f"{type(exc).__name__}: {exc}", False
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    return CheckResult(name=name, ok=ok, detail=detail, elapsed_ms=elapsed_ms)
