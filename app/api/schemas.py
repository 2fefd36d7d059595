"""Request and response bodies of the search API (shapes of the guide's "v2.0 응답 예시")."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.domain.models import Article, SortOrder, StorySource
from app.errors import InvalidInput
from app.services.search import SearchOutcome

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
MAX_QUERY_CHARS = 100
MAX_BATCH = 10


def clean_term(value: str, field: str = "query") -> str:
    """NFKC, trimmed, single-spaced search term of 1–100 characters without control characters."""
    if _CONTROL.search(value.replace(" ", " ")):
        raise InvalidInput(f"{field} must not contain control or invisible characters")
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    if not text:
        raise InvalidInput(f"{field} must not be empty")
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(f"{field} must be at most {MAX_QUERY_CHARS} characters (got {len(text)})")
    return text


def _term(value: str) -> str:
    try:
        return clean_term(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from exc


Term = Annotated[str, AfterValidator(_term)]
MaxResults = Annotated[int, Field(ge=1, le=1000, description="1–1000; above 100 the source is paged")]
_THRESHOLD = "story folding: same-story probability needed to fold two reports (higher is stricter)"
Threshold = Annotated[float, Field(ge=0, le=1, description=_THRESHOLD)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompanySearchRequest(_Body):
    """Body of `POST /search/companies/{company}` (optional)."""

    max_results: MaxResults = 10
    sort: SortOrder = "sim"
    force_refresh: bool = False
    similarity_threshold: Threshold | None = None


class NewsSearchRequest(CompanySearchRequest):
    """Body of `POST /search/news`."""

    query: Term


class AnalyzeRequest(_Body):
    """Body of `POST /search/companies/{company}/analyze` (optional)."""

    max_results: MaxResults = 50
    force_refresh: bool = False
    similarity_threshold: Threshold | None = None


class BatchRequest(_Body):
    """Body of `POST /search/batch`: up to 10 queries or companies."""

    queries: list[Term] | None = Field(None, max_length=MAX_BATCH)
    companies: list[Term] | None = Field(None, max_length=MAX_BATCH)
    max_results: Annotated[int, Field(ge=1, le=100)] = 10
    sort: SortOrder = "sim"
    analyze: bool = False
    force_refresh: bool = False

    @model_validator(mode="after")
    def _one_list(self) -> BatchRequest:
        terms = [*(self.queries or []), *(self.companies or [])]
        if not terms:
            raise ValueError("give a non-empty 'queries' or 'companies' list")
        if len(terms) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH} queries per batch (got {len(terms)})")
        return self

    @property
    def terms(self) -> list[str]:
        """Queries then companies, duplicates removed, order kept."""
        return list(dict.fromkeys([*(self.queries or []), *(self.companies or [])]))


class NewsItem(BaseModel):
    """One deduplicated article."""

    id: str
    title: str
    url: str
    naver_url: str
    summary: str
    published_date: datetime | None
    news_source: str
    relevance_score: float = Field(description="1.0 for the source's first result, falling linearly by rank")
    duplicate_count: int = Field(description="other reports of the same event folded into this story")
    sources: list[StorySource] = Field(
        default_factory=list,
        description="every outlet's report of the story (this one included), oldest first")
    first_published: datetime | None = Field(None, description="earliest report of the story")
    last_published: datetime | None = Field(None, description="latest report of the story")

    @classmethod
    def from_article(cls, article: Article, rank: int, count: int) -> NewsItem:
        """Present an article at position `rank` of `count`."""
        return cls(
            id=article.id,
            title=article.title,
            url=article.url,
            naver_url=article.naver_url,
            summary=article.description,
            published_date=article.published_date,
            news_source=article.news_source,
            relevance_score=round(1 - rank / max(count, 1), 4),
            duplicate_count=article.duplicate_count,
            sources=article.sources,
            first_published=article.first_published,
            last_published=article.last_published,
        )


class SearchMetadata(BaseModel):
    """How a search was answered."""

    query: str
    company: str | None = None
    total_found: int
    returned_count: int
    cache_hit: bool
    stale: bool
    degraded: bool
    response_time_ms: float
    search_time: datetime = Field(description="when the source was searched (cached results keep it)")
    source: str
    sort: SortOrder


class Deduplication(BaseModel):
    """What story folding did: articles read, folded into stories."""

    original_count: int = Field(description="articles read and folded")
    duplicates_removed: int = Field(description="reports folded into another report's story")
    similarity_threshold: float = Field(description="same-story probability needed to fold two reports")
    articles_read: int = Field(0, description="raw articles read from the source, over every page read")
    stories_found: int = Field(0, description="stories found among them (items holds up to max_results)")


class SearchResponse(BaseModel):
    """Search answer."""

    search_metadata: SearchMetadata
    items: list[NewsItem]
    deduplication: Deduplication

    @classmethod
    def from_outcome(cls, outcome: SearchOutcome, company: str | None = None) -> SearchResponse:
        """Build the response body for a search outcome."""
        result = outcome.result
        count = len(result.items)
        return cls(
            search_metadata=SearchMetadata(
                query=result.query,
                company=company,
                total_found=result.total_found,
                returned_count=count,
                cache_hit=outcome.cache_hit,
                stale=outcome.stale,
                degraded=outcome.degraded,
                response_time_ms=round(outcome.elapsed_ms, 2),
                search_time=result.searched_at,
                source=result.source,
                sort=result.sort,
            ),
            items=[NewsItem.from_article(a, i, count) for i, a in enumerate(result.items)],
            deduplication=Deduplication(
                original_count=result.original_count,
                duplicates_removed=result.duplicates_removed,
                similarity_threshold=result.similarity_threshold,
                articles_read=result.articles_read,
                stories_found=result.stories_found,
            ),
        )


class ErrorBody(BaseModel):
    """Every error response."""

    error: str
    detail: str


class TrendingTerm(BaseModel):
    """A term and how often it occurred in the window."""

    term: str
    count: int


class TrendingResponse(BaseModel):
    """Trending queries and article keywords."""

    window_hours: int
    generated_at: datetime
    queries: list[TrendingTerm]
    keywords: list[TrendingTerm]


class BatchItem(BaseModel):
    """One query of a batch."""

    query: str
    status: Literal["ok", "error"]
    result: dict[str, object] | None = None
    error: ErrorBody | None = None


class BatchResponse(BaseModel):
    """All queries of a batch with their own status."""

    total: int
    succeeded: int
    failed: int
    results: list[BatchItem]
