"""Analyst feedback: label corrections per article, exported as training rows for `news-service train`."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any, Protocol

from app.domain.models import AnalysisResult, AnalyzedArticle
from app.errors import NotFound
from app.services.ports import AnalysisHistory

# The columns of data/training/esg_news_ko.jsonl (without its split column: train splits by itself).
TRAINING_FIELDS = ("title", "description", "category", "sentiment", "company")


class FeedbackRepository(Protocol):
    """Label records by article id."""

    async def put(self, article_id: str, record: dict[str, Any]) -> bool: ...
    async def delete(self, article_id: str) -> bool: ...
    async def all(self) -> list[dict[str, Any]]: ...


def training_row(record: dict[str, Any]) -> dict[str, str]:
    """One label record in the training file format."""
    return {name: str(record.get(name) or "") for name in TRAINING_FIELDS}


def to_jsonl(rows: list[dict[str, str]]) -> str:
    """Training rows as JSON Lines (UTF-8 text, Korean kept as is)."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def to_csv(rows: list[dict[str, str]]) -> str:
    """Training rows as CSV with a header (the caller adds a BOM if a spreadsheet will open it)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TRAINING_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class FeedbackService:
    """Stores corrections with the article's text, looked up in stored results when not sent."""

    def __init__(self, *, store: FeedbackRepository, results: AnalysisHistory):
        self._store = store
        self._results = results

    async def label(
        self,
        article_id: str,
        *,
        category: str,
        sentiment: str,
        company: str | None = None,
        note: str | None = None,
        title: str | None = None,
        description: str | None = None,
        url: str | None = None,
    ) -> dict[str, Any]:
        """Record (or replace) the article's correct labels; 404 when its text is nowhere to be found."""
        found = await self._find(article_id, company)
        article = found[1] if found else None
        if not title and article is None:
            raise NotFound(
                f"article '{article_id}' is not in any stored result; send its title (and description) "
                "in the body"
            )
        record = {
            "article_id": article_id,
            "title": title or (article.title if article else ""),
            "description": (article.description if article else "") if description is None else description,
            "url": url or (article.url if article else None),
            "company": company or (found[0] if found else ""),
            "category": category,
            "sentiment": sentiment,
            "note": note,
            "predicted": {
                "category": article.esg_classification.category,
                "sentiment": article.sentiment_analysis.label,
            } if article else None,
            "labeled_at": datetime.now(UTC).isoformat(),
        }
        replaced = await self._store.put(article_id, record)
        return {**record, "replaced": replaced}

    async def labels(self, limit: int) -> dict[str, Any]:
        """The most recent labels, newest first, and the total."""
        records = await self._store.all()
        return {"total": len(records), "labels": list(reversed(records))[:limit]}

    async def unlabel(self, article_id: str) -> dict[str, Any]:
        """Remove an article's label."""
        if not await self._store.delete(article_id):
            raise NotFound(f"article '{article_id}' has no label")
        return {"article_id": article_id, "deleted": True}

    async def training_rows(self) -> list[dict[str, str]]:
        """Every label as a training row, oldest first."""
        return [training_row(r) for r in await self._store.all()]

    async def _find(self, article_id: str, company: str | None) -> tuple[str, AnalyzedArticle] | None:
        # The named company first, then every other company with a stored result.
        names = list(await self._results.companies())
        if company:
            names = [company, *(n for n in names if n != company)]
        for name in names:
            raw = await self._results.latest(name)
            if raw is None:
                continue
            for article in AnalysisResult.model_validate_json(raw).items:
                if article.id == article_id:
                    return name, article
        return None
