"""Domain types shared by adapters, services and the API."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SortOrder = Literal["sim", "date"]
# Request bodies are strict (a string is not a number, 1 is not true), except that an integer field takes
# 61.0: JSON Schema's "integer" is any number without a fraction. Use with Field(strict=False, …) first.
JSON_INTEGER_ERROR = "Input should be a valid integer"


def json_integer(value: object) -> object:
    """Refuse what pydantic's lax int would convert but JSON Schema calls no integer (strings, booleans)."""
    if isinstance(value, str | bytes | bool):
        raise ValueError(JSON_INTEGER_ERROR)
    return value

SourceName = Literal["naver", "archive"]


class EsgCategory(StrEnum):
    """ESG category labels as clients see them."""

    E = "E"
    S = "S"
    G = "G"
    OTHER = "기타"


class Sentiment(StrEnum):
    """Sentiment labels as clients see them."""

    POSITIVE = "긍정"
    NEUTRAL = "중립"
    NEGATIVE = "부정"


def article_id(url: str) -> str:
    """Stable short id of an article, derived from its original URL."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


class StorySource(BaseModel):
    """One outlet's report folded into a story."""

    model_config = ConfigDict(frozen=True)

    press: str = Field(description="press name derived from the URL domain")
    url: str = Field(description="the report's original URL")
    naver_url: str
    published_date: datetime | None
    title: str


class Article(BaseModel):
    """One cleaned news item (tags stripped, entities unescaped, date parsed).

    After story folding it is a story's representative: `duplicate_count` other reports were folded into
    it, and `sources` lists every report of the story (itself included), oldest first.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    description: str
    url: str = Field(description="original article URL (Naver `originallink`, or `link` when absent)")
    naver_url: str = Field(description="Naver `link`")
    published_date: datetime | None
    news_source: str = Field(description="press name derived from the URL domain")
    duplicate_count: int = 0
    sources: list[StorySource] = Field(default_factory=list, description="every report of the story")
    first_published: datetime | None = None
    last_published: datetime | None = None

    @property
    def text(self) -> str:
        """Model input: title, a line break, description (a Kiwi model tells the headline apart by it)."""
        return f"{self.title}\n{self.description}".strip()


class SourcePage(BaseModel):
    """What a news source returned for one search."""

    total: int = Field(description="how many matches the source reports in all")
    items: list[Article]
    read: int = Field(-1, description="raw items read (unusable ones included); -1 = len(items)")

    @property
    def raw_read(self) -> int:
        """Raw items this page consumed from the source."""
        return self.read if self.read >= 0 else len(self.items)


class SearchResult(BaseModel):
    """A deduplicated search result, the unit the cache stores."""

    query: str
    sort: SortOrder
    source: SourceName
    total_found: int
    items: list[Article]
    original_count: int
    duplicates_removed: int
    similarity_threshold: float
    searched_at: datetime
    articles_read: int = Field(0, description="raw articles read from the source, over every page")
    stories_found: int = Field(0, description="stories the articles read fold into (≥ the stories returned)")


class Classification(BaseModel):
    """ESG category decision for one article."""

    category: str = Field(description="E, S, G, 기타, or a model-specific extra label such as FIN")
    confidence: float
    reasoning: str
    evidence: list[str]


class SentimentResult(BaseModel):
    """Sentiment decision for one article."""

    label: str
    confidence: float
    scores: dict[str, float] = Field(description="positive / neutral / negative, summing to 1")


class ArticleAnalysis(BaseModel):
    """Both decisions for one article."""

    esg_classification: Classification
    sentiment_analysis: SentimentResult


class ModelInfo(BaseModel):
    """Which classifier produced an analysis."""

    model_name: str
    device: str
    ml_service_status: Literal["local_model", "keyword_fallback"]
    reason: str | None = Field(None, description="why the fallback is active, when it is")


class AnalyzedArticle(Article):
    """An article with both decisions."""

    esg_classification: Classification
    sentiment_analysis: SentimentResult


class CoverageWeighted(BaseModel):
    """The same counts with every story weighted by its number of reports (one per outlet's article)."""

    total_articles: int
    esg_distribution: dict[str, int]
    sentiment_distribution: dict[str, int]
    negative_ratio: float


class AnalysisSummary(BaseModel):
    """Counts over one analysis; every label is listed, zeros included.

    The top-level counts are per story (each event once, whatever its coverage); `by_article` weights each
    story by how many reports it folds, as counting articles did before stories were folded.
    """

    counted_by: Literal["story"] = Field("story", description="top-level counts are per story")
    total_analyzed: int = Field(description="stories analysed")
    esg_distribution: dict[str, int]
    sentiment_distribution: dict[str, int]
    sentiment_by_category: dict[str, dict[str, int]]
    negative_ratio: float = Field(description="share of stories that are 부정")
    top_keywords: list[str]
    by_article: CoverageWeighted | None = Field(None, description="counts weighted by coverage")


class AnalysisResult(BaseModel):
    """A company's analysed news, the unit the analysis cache and the store keep."""

    company: str
    analysis_time: datetime
    source: SourceName
    total_found: int
    original_count: int
    duplicates_removed: int
    similarity_threshold: float
    model: ModelInfo
    items: list[AnalyzedArticle]
    summary: AnalysisSummary
    articles_read: int = 0
    stories_found: int = 0
    max_results: int | None = None
