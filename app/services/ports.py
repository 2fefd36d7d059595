"""What the services need from the outside world; adapters implement these."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

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

    async def classify(self, articles: Sequence[Article]) -> list[ArticleAnalysis]:
        """One analysis per article, in input order."""
        ...
