"""An analysis summary counts each story once, and also by coverage (one per outlet's report)."""

from __future__ import annotations

from app.domain.models import AnalyzedArticle, Classification, SentimentResult
from app.domain.summary import summarize
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
