"""What the services need from the outside world; adapters implement these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.domain.models import Article, ArticleAnalysis, ModelInfo, SortOrder, SourcePage


class NewsSource(Protocol):
    """A place to search news (Naver, or the offline archive)."""

    name: str

    async def search(self, query: str, *, max_results: int, sort: SortOrder) -> SourcePage:
        """Return up to `max_results` cleaned articles; raise `AppError` subclasses on failure."""
        ...


class Classifier(Protocol):
    """Assigns ESG category and sentiment to articles (transformer models or keyword rules)."""

    def info(self) -> ModelInfo:
        """Which model set is active, on which device, and why a fallback is used."""
        ...

    @property
    def fingerprint(self) -> str:
        """Identity of the exact weights or rules in use (article results are cached under it)."""
        ...

    async def classify(self, articles: Sequence[Article]) -> list[ArticleAnalysis]:
        """One analysis per article, in input order."""
        ...


@dataclass(frozen=True)
class CacheOutcome:
    """A cached (or freshly loaded) JSON value and how it was obtained."""

    value: str
    cache_hit: bool
    stale: bool = False
    degraded: bool = False


Loader = Callable[[], Awaitable[tuple[str, int]]]


class ResultCache(Protocol):
    """Cache-first storage of JSON text with single-flight loading (Redis, or the embedded store)."""

    def key(self, kind: str, query: str, **params: Any) -> str:
        """A hashed key for a query and its parameters."""
        ...

    async def fetch(self, key: str, loader: Loader, *, force_refresh: bool = False) -> CacheOutcome:
        """The cached value, or the loader's value (stored for `ttl` seconds)."""
        ...


class TrendCounter(Protocol):
    """Windowed counts of searched queries and article keywords."""

    async def record(self, kind: str, terms: Iterable[str]) -> None:
        """Count each term once more in the current time bucket."""
        ...

    async def top(self, kind: str, *, window_hours: int, limit: int) -> list[tuple[str, float]]:
        """The most counted terms over the window."""
        ...


class AnalysisRepository(Protocol):
    """Latest analysis and history per company (Redis, or the embedded store)."""

    async def save(self, company: str, result_json: str, record: dict[str, Any]) -> bool:
        """Store latest and append a history record; False when the record id was already stored."""
        ...

    async def latest(self, company: str) -> str | None:
        """The latest analysis JSON."""
        ...


class ArticleCache(Protocol):
    """Per-article analyses keyed by model set and content."""

    async def get_many(self, model_key: str, contents: list[str]) -> list[str | None]:
        """Cached values in input order."""
        ...

    async def put_many(self, model_key: str, values: dict[str, str]) -> None:
        """Store values by content."""
        ...
