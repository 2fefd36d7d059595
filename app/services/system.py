"""Health and self-test of the running service."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from app import __version__
from app.errors import AppError
from app.services.ports import Classifier
from app.services.search import SearchService
from app.settings import Settings


class HealthProbe(Protocol):
    """Something whose state health reports."""

    async def check(self) -> dict[str, object]:
        """A JSON-able state; never raises."""
        ...


class SystemService:
    """Reports what the service runs on and checks each dependency end to end."""

    def __init__(
        self, settings: Settings, redis_probe: HealthProbe, search: SearchService, classifier: Classifier
    ):
        self._settings = settings
        self._redis = redis_probe
        self._search = search
        self._classifier = classifier

    async def health(self) -> dict[str, Any]:
        """Liveness plus the state of each dependency; `degraded` when one is impaired."""
        redis = await self._redis.check()
        model = self._classifier.info()
        degraded = redis["status"] == "unavailable" or model.ml_service_status != "local_model"
        return {
            "status": "degraded" if degraded else "healthy",
            "service": "news-service",
            "version": __version__,
            "mode": "embedded" if self._settings.redis.embedded else "redis",
            "news_source": self._search.source_name,
            "naver_api_provider": self._settings.naver.api_provider,
            "redis": redis,
            "device": model.device,
            "ml": model.model_dump(),
        }

    async def integration_test(self) -> dict[str, Any]:
        """Exercise Redis and the news source (and the search path) once, timing each."""
        checks = [
            await _timed("redis", self._redis_check),
            await _timed("news_source", self._source_check),
            await _timed("classifier", self._classifier_check),
        ]
        return {"status": "passed" if all(c["ok"] for c in checks) else "failed", "checks": checks}

    async def _redis_check(self) -> str:
        state = await self._redis.check()
        if state["status"] == "unavailable":
            raise RuntimeError(f"Redis unavailable at {state['target']} ({state.get('error')})")
        return f"{state['status']} ({state['target']})"

    async def _source_check(self) -> str:
        outcome = await self._search.search("삼성전자", max_results=5, force_refresh=True)
        return f"{self._search.source_name}: {len(outcome.result.items)} items"


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
        [result] = await self._classifier.classify([probe])
        info = self._classifier.info()
        return (
            f"{info.ml_service_status} '{info.model_name}' on {info.device}: "
            f"{result.esg_classification.category}/{result.sentiment_analysis.label}"
        )


async def _timed(name: str, check: Callable[[], Awaitable[str]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail, ok = await check(), True
    except AppError as exc:
        detail, ok = f"{exc.error_type}: {exc.message}", False
    except RuntimeError as exc:
        detail, ok = str(exc), False
    except Exception as exc:  # a self-test reports every failure instead of failing itself
        detail, ok = f"{type(exc).__name__}: {exc}", False
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    return {"name": name, "ok": ok, "detail": detail, "elapsed_ms": elapsed_ms}
