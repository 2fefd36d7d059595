"""An analysis summary counts each story once, and also by coverage (one per outlet's report)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.domain.models import AnalysisResult, AnalyzedArticle, Classification, ModelInfo, SentimentResult
from app.domain.summary import HistorySnapshot, snapshot, summarize
from tests.conftest import make_article


def analyzed(title: str, category: str, sentiment: str, reports: int) -> AnalyzedArticle:
    article = make_article(title).model_copy(update={"duplicate_count": reports - 1})
    return AnalyzedArticle(
        **article.model_dump(),
        esg_classification=Classification(category=category, confidence=0.9, reasoning="", evidence=[]),
        sentiment_analysis=SentimentResult(label=sentiment, confidence=0.9,
                                           scores={"positive": 0.05, "neutral": 0.05, "negative": 0.9}),
    )


def test_counts_per_story_and_per_article():
    items = [analyzed("과징금", "G", "부정", 5), analyzed("신제품", "기타", "긍정", 1), analyzed("배출 감축", "E", "긍정", 2)]
    summary = summarize(items, [])
    assert summary.counted_by == "story"
    assert summary.total_analyzed == 3
    assert summary.esg_distribution == {"E": 1, "S": 0, "G": 1, "기타": 1}
    assert summary.negative_ratio == round(1 / 3, 4)
    weighted = summary.by_article
    assert weighted is not None and weighted.total_articles == 8
    assert weighted.esg_distribution == {"E": 2, "S": 0, "G": 5, "기타": 1}
    assert weighted.sentiment_distribution == {"긍정": 3, "중립": 0, "부정": 5}
    assert weighted.negative_ratio == 0.625


def test_an_empty_analysis_has_zero_ratios():
    summary = summarize([], [])
    assert summary.total_analyzed == 0 and summary.negative_ratio == 0.0
    assert summary.by_article is not None and summary.by_article.total_articles == 0
    assert summary.by_article.negative_ratio == 0.0


def test_a_history_snapshot_reads_back_exactly_as_the_store_serves_it():
    items = [analyzed("과징금", "G", "부정", 5), analyzed("신제품", "FIN", "긍정", 1), analyzed("유출", "S", "부정", 1)]
    result = AnalysisResult(
        company="삼성전자", analysis_time=datetime(2026, 11, 20, 9, tzinfo=UTC), source="archive", total_found=3,
        original_count=7, duplicates_removed=4, similarity_threshold=0.75, max_results=10,
        model=ModelInfo(model_name="keyword_fallback", device="cpu", ml_service_status="keyword_fallback"),
        items=items, summary=summarize(items, ["과징금", "유출"]),
    )
    stored = json.dumps(snapshot(result, "task-1"), ensure_ascii=False, sort_keys=True)  # as the store writes it
    typed = HistorySnapshot.model_validate_json(stored)
    assert typed.model_dump_json() == json.dumps(json.loads(stored), ensure_ascii=False, separators=(",", ":"))
    assert [a.title for a in typed.most_negative] == ["과징금", "유출"] and typed.esg_distribution["FIN"] == 1


def test_a_snapshot_stored_before_runs_kept_their_parameters_gains_no_keys():
    legacy = {
        "esg_distribution": {"E": 1}, "id": "r1", "ml_service_status": "keyword_fallback", "model_name": "rules",
        "most_negative": [], "negative_ratio": 0.0, "sentiment_distribution": {"부정": 0},
        "time": "2026-01-02T03:04:05+00:00", "top_keywords": [], "total_analyzed": 1,
    }
    typed = HistorySnapshot.model_validate(legacy)
    assert typed.max_results is None and typed.source is None and typed.similarity_threshold is None
    assert typed.model_dump() == legacy and list(json.loads(typed.model_dump_json())) == list(legacy)
