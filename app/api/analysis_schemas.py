"""Response body of `POST /search/companies/{company}/analyze` (the guide's "분석 응답" plus additions)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.api.schemas import Deduplication, NewsItem
from app.domain.models import AnalysisResult, AnalysisSummary, Classification, SentimentResult
from app.services.analysis import AnalysisOutcome


class AnalyzedNewsItem(NewsItem):
    """A deduplicated article with its ESG category and sentiment."""

    esg_classification: Classification
    sentiment_analysis: SentimentResult


class AnalysisMetadata(BaseModel):
    """How an analysis was produced and served."""

    company: str
    analyzed_count: int
    total_found: int
    analysis_time: datetime = Field(description="when the articles were classified (cached results keep it)")
    ml_service_status: str = Field(description="local_model, or keyword_fallback when no model set is usable")
    model_name: str
    device: str
    fallback_reason: str | None = None
    cache_hit: bool
    stale: bool
    degraded: bool
    processing_time_ms: float
    source: str


class AnalysisResponse(BaseModel):
    """Analysis answer."""

    analysis_metadata: AnalysisMetadata
    analyzed_news: list[AnalyzedNewsItem]
    summary: AnalysisSummary
    deduplication: Deduplication

    @classmethod
    def from_outcome(cls, outcome: AnalysisOutcome) -> AnalysisResponse:
        """Build the response body for an analysis outcome."""
        return cls.from_result(outcome.result, outcome)

    @classmethod
    def from_result(cls, result: AnalysisResult, outcome: AnalysisOutcome | None = None) -> AnalysisResponse:
        """Build the body from a stored result (outcome absent: served from the store)."""
        count = len(result.items)
        items = [
            AnalyzedNewsItem(
                **NewsItem.from_article(a, i, count).model_dump(),
                esg_classification=a.esg_classification,
                sentiment_analysis=a.sentiment_analysis,
            )
            for i, a in enumerate(result.items)
        ]
        return cls(
            analysis_metadata=AnalysisMetadata(
                company=result.company,
                analyzed_count=count,
                total_found=result.total_found,
                analysis_time=result.analysis_time,
                ml_service_status=result.model.ml_service_status,
                model_name=result.model.model_name,
                device=result.model.device,
                fallback_reason=result.model.reason,
                cache_hit=outcome.cache_hit if outcome else True,
                stale=outcome.stale if outcome else False,
                degraded=outcome.degraded if outcome else False,
                processing_time_ms=round(outcome.elapsed_ms, 2) if outcome else 0.0,
                source=result.source,
            ),
            analyzed_news=items,
            summary=result.summary,
            deduplication=Deduplication(
                original_count=result.original_count,
                duplicates_removed=result.duplicates_removed,
                similarity_threshold=result.similarity_threshold,
                articles_read=result.articles_read,
                stories_found=result.stories_found,
            ),
        )
