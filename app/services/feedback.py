"""Analyst feedback: label corrections per article, exported as training rows for `news-service train`."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel, Field

from app.domain.models import AnalysisResult, AnalyzedArticle
from app.errors import NotFound
from app.services.ports import AnalysisHistory

# The columns of data/training/esg_news_ko.jsonl (without its split column: train splits by itself).
TRAINING_FIELDS = ("title", "description", "category", "sentiment", "company")


class PredictedLabels(BaseModel):
    """What the model said about the article when it was labelled."""

    category: str
    sentiment: str


class LabelRecord(BaseModel):
    """An analyst's correction of one article, as stored."""

    article_id: str
    title: str
    description: str
    url: str | None
    company: str
    category: str
    sentiment: str
    note: str | None
    predicted: PredictedLabels | None = Field(description="what the model said, when the article was found")
    labeled_at: str


class LabelResponse(LabelRecord):
    """The stored label record."""

    replaced: bool = Field(description="true when an earlier label of this article was overwritten")


class LabelsResponse(BaseModel):
    """Recent labels, newest first."""

    total: int
    labels: list[LabelRecord]


class UnlabelResponse(BaseModel):
    """An article's label removed."""

    article_id: str
    deleted: bool


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
    ) -> LabelResponse:
        """Record (or replace) the article's correct labels; 404 when its text is nowhere to be found."""
        found = await self._find(article_id, company)
        article = found[1] if found else None
        if not title and article is None:
            raise NotFound(
                f"article '{article_id}' is not in any stored result; send its title (and description) "
                "in the body"
            )
        record = LabelRecord(
            article_id=article_id,
            title=title or (article.title if article else ""),
            description=(article.description if article else "") if description is None else description,
            url=url or (article.url if article else None),
            company=company or (found[0] if found else ""),
            category=category,
            sentiment=sentiment,
            note=note,
            predicted=PredictedLabels(
                category=article.esg_classification.category,
                sentiment=article.sentiment_analysis.label,
            ) if article else None,
            labeled_at=datetime.now(UTC).isoformat(),
        )
        replaced = await self._store.put(article_id, record.model_dump(mode="json"))
        return LabelResponse(**record.model_dump(), replaced=replaced)

    async def labels(self, limit: int) -> LabelsResponse:
        """The most recent labels, newest first, and the total."""
        records = await self._store.all()
        newest = [LabelRecord.model_validate(r) for r in list(reversed(records))[:limit]]
        return LabelsResponse(total=len(records), labels=newest)

    async def unlabel(self, article_id: str) -> UnlabelResponse:
        """Remove an article's label."""
        if not await self._store.delete(article_id):
            raise NotFound(f"article '{article_id}' has no label")
        return UnlabelResponse(article_id=article_id, deleted=True)

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
