"""Summaries of an analysis and the compact snapshots kept in a company's history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from app.domain.models import (
    AnalysisResult,
    AnalysisSummary,
    AnalyzedArticle,
    CoverageWeighted,
    EsgCategory,
    Sentiment,
)

CATEGORIES = [c.value for c in EsgCategory]
SENTIMENTS = [s.value for s in Sentiment]


def summarize(items: Sequence[AnalyzedArticle], top_keywords: list[str]) -> AnalysisSummary:
    """Distributions over every label (zeros included; extra model labels such as FIN appended)."""
    categories = Counter(a.esg_classification.category for a in items)
    sentiments = Counter(a.sentiment_analysis.label for a in items)
    category_labels = CATEGORIES + sorted(set(categories) - set(CATEGORIES))
    sentiment_labels = SENTIMENTS + sorted(set(sentiments) - set(SENTIMENTS))
    by_category = {c: dict.fromkeys(sentiment_labels, 0) for c in category_labels}
    for article in items:
        by_category[article.esg_classification.category][article.sentiment_analysis.label] += 1
    weights = [1 + a.duplicate_count for a in items]
    weighted_categories: Counter[str] = Counter()
    weighted_sentiments: Counter[str] = Counter()
    for article, weight in zip(items, weights, strict=True):
        weighted_categories[article.esg_classification.category] += weight
        weighted_sentiments[article.sentiment_analysis.label] += weight
    articles = sum(weights)
    by_article = CoverageWeighted(
        total_articles=articles,
        esg_distribution={c: weighted_categories.get(c, 0) for c in category_labels},
        sentiment_distribution={s: weighted_sentiments.get(s, 0) for s in sentiment_labels},
        negative_ratio=round(weighted_sentiments.get(Sentiment.NEGATIVE.value, 0) / articles, 4)
        if articles else 0.0,
    )
    return AnalysisSummary(
        by_article=by_article,
        total_analyzed=len(items),
        esg_distribution={c: categories.get(c, 0) for c in category_labels},
        sentiment_distribution={s: sentiments.get(s, 0) for s in sentiment_labels},
        sentiment_by_category=by_category,
        negative_ratio=round(sentiments.get(Sentiment.NEGATIVE.value, 0) / len(items), 4) if items else 0.0,
        top_keywords=top_keywords,
    )


def _unrecorded(value: object) -> bool:
    return value is None


_LEGACY = "absent in records stored before runs kept their parameters"


class NegativeArticle(BaseModel):
    """One of the most negative stories of an analysis, as its history snapshot keeps it."""

    # The stored order: the store writes snapshots with sorted keys and serves them as written.
    category: str
    id: str
    negative: float = Field(description="the story's negative sentiment score (0 to 1)")
    title: str
    url: str


class HistorySnapshot(BaseModel):
    """The compact history record of one analysis (`snapshot`), as the store keeps and serves it."""

    # The stored order: the store writes snapshots with sorted keys and serves them as written.
    esg_distribution: dict[str, int] = Field(description="stories per ESG category (every label)")
    id: str = Field(description="record id: the task id of a background analysis, else a random hex id")
    max_results: int | None = Field(None, exclude_if=_unrecorded, description=_LEGACY)
    ml_service_status: str
    model_name: str
    most_negative: list[NegativeArticle] = Field(description="the (up to 3) stories scored most negative")
    negative_ratio: float
    sentiment_distribution: dict[str, int] = Field(description="stories per sentiment (every label)")
    similarity_threshold: float | None = Field(None, exclude_if=_unrecorded, description=_LEGACY)
    source: str | None = Field(None, exclude_if=_unrecorded, description=f"naver or archive; {_LEGACY}")
    time: str = Field(description="analysis time (ISO 8601)")
    top_keywords: list[str]
    total_analyzed: int = Field(description="stories in the analysis")

    def run_key(self) -> str | None:
        """What makes this run comparable with others (`run_key` of its record)."""
        return run_key(self.model_dump())


def snapshot(result: AnalysisResult, record_id: str, most_negative: int = 3) -> dict[str, Any]:
    """The compact history record of one analysis (the store keeps this dict; `HistorySnapshot` reads it)."""
    negatives = sorted(
        (a for a in result.items if a.sentiment_analysis.label == Sentiment.NEGATIVE.value),
        key=lambda a: a.sentiment_analysis.scores.get("negative", 0.0),
        reverse=True,
    )[:most_negative]
    return {
        "id": record_id,
        "time": result.analysis_time.isoformat(),
        "total_analyzed": result.summary.total_analyzed,
        "esg_distribution": result.summary.esg_distribution,
        "sentiment_distribution": result.summary.sentiment_distribution,
        "negative_ratio": result.summary.negative_ratio,
        "top_keywords": result.summary.top_keywords[:10],
        "most_negative": [
            {
                "id": a.id,
                "title": a.title,
                "url": a.url,
                "category": a.esg_classification.category,
                "negative": round(a.sentiment_analysis.scores.get("negative", 0.0), 4),
            }
            for a in negatives
        ],
        "model_name": result.model.model_name,
        "ml_service_status": result.model.ml_service_status,
        "source": result.source,
        "max_results": result.max_results,
        "similarity_threshold": result.similarity_threshold,
    }


def run_key(record: dict[str, Any]) -> str | None:
    """What makes two runs comparable (source, size, threshold, model); None for records without it."""
    if record.get("max_results") is None:
        return None
    return "|".join(
        str(record.get(field)) for field in ("source", "max_results", "similarity_threshold", "model_name")
    )


def latest_meta(record: dict[str, Any]) -> dict[str, Any]:
    """What the company list shows of a company's latest analysis, from its snapshot."""
    return {
        "last_run": record["time"],
        "articles": record.get("total_analyzed"),
        "negative_ratio": record.get("negative_ratio"),
        "max_results": record.get("max_results"),
        "run": run_key(record),
    }
