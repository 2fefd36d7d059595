"""Request and response bodies of the search API (shapes of the guide's "v2.0 응답 예시")."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import partial
from typing import Annotated, Literal

from fastapi import Path
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonDict, JsonValue

from app.domain.models import Article, SortOrder, StorySource, json_integer
from app.errors import InvalidInput
from app.services.search import SearchOutcome

# What a search term may not contain (control, zero-width and bidi characters, the BOM) and the characters
# that count as spaces: the OpenAPI pattern below is built from the same sets as the check in `clean_term`.
_FORBIDDEN = r"\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff"
_SPACES = r" \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_CONTROL = re.compile(f"[{_FORBIDDEN}]")
MAX_QUERY_CHARS = 100
MAX_BATCH = 10
# ECMA-262, Python and Rust regex read it alike: no forbidden character, at least one that is not a space.
TERM_PATTERN = f"^[^{_FORBIDDEN}]*[^{_FORBIDDEN}{_SPACES}][^{_FORBIDDEN}]*$"
TERM_SCHEMA: dict[str, object] = {
    "type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS, "pattern": TERM_PATTERN,
    "description": f"1–{MAX_QUERY_CHARS} characters as sent, not only spaces, no control or invisible "
                   "characters; compared after NFKC and with runs of spaces as one",
}


def clean_term(value: str, field: str = "query") -> str:
    """NFKC, trimmed, single-spaced search term: 1–100 characters as sent, no control characters."""
    if _CONTROL.search(value):
        raise InvalidInput(f"{field} must not contain control or invisible characters")
    if not _is_unicode(value):
        raise InvalidInput(f"{field} must be Unicode text (it has an unpaired surrogate)")
    # The limit counts what the client sent, as the schema's maxLength does: NFKC may lengthen a term
    # (U+FDFA becomes 18 characters), and a term the schema allows must never be refused.
    if len(value) > MAX_QUERY_CHARS:
        raise InvalidInput(f"{field} must be at most {MAX_QUERY_CHARS} characters (got {len(value)})")
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    if not text:
        raise InvalidInput(f"{field} must not be empty")
    return text


def _is_unicode(value: str) -> bool:
    # JSON can spell a lone surrogate (\ud800); it cannot be encoded, so it never reaches a key or a store.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _term(value: str, field: str = "query") -> str:
    try:
        return clean_term(value, field)
    except InvalidInput as exc:
        raise ValueError(exc.message) from exc


Term = Annotated[str, AfterValidator(_term), WithJsonSchema(TERM_SCHEMA)]
Company = Annotated[str, AfterValidator(partial(_term, field="company")), WithJsonSchema(TERM_SCHEMA)]
CompanyPath = Annotated[
    str, Path(description="company name, e.g. 삼성전자", json_schema_extra={
        k: v for k, v in TERM_SCHEMA.items() if k not in ("type", "description")})
]
MaxResults = Annotated[
    int, Field(strict=False, ge=1, le=1000, description="1–1000; above 100 the source is paged"),
    BeforeValidator(json_integer),
]
_THRESHOLD = "story folding: same-story probability needed to fold two reports (higher is stricter)"
Threshold = Annotated[float, Field(ge=0, le=1, description=_THRESHOLD)]


class _Body(BaseModel):
    # Strict: the schema says boolean and number, so "true" and "0.5" are refused as the schema refuses them.
    model_config = ConfigDict(extra="forbid", strict=True)


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


def _one_to_ten_terms(schema: JsonDict) -> None:
    # The server counts both lists together; JSON Schema cannot add up two arrays, so it lists the splits:
    # one list alone (the other absent or null), or both with at most 10 terms between them.
    alone: list[JsonValue] = [
        {"required": [given], "properties": {given: {"type": "array"}, other: {"type": "null"}}}
        for given, other in (("queries", "companies"), ("companies", "queries"))
    ]
    both: list[JsonValue] = [
        {"required": ["queries", "companies"],
         "properties": {"queries": {"type": "array", "maxItems": n},
                        "companies": {"type": "array", "maxItems": MAX_BATCH - n}}}
        for n in range(1, MAX_BATCH)
    ]
    schema["anyOf"] = [*alone, *both]


class BatchRequest(_Body):
    """Body of `POST /search/batch`: 1–10 queries or companies (both lists count together)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_one_to_ten_terms)

    queries: list[Term] | None = Field(None, min_length=1, max_length=MAX_BATCH)
    companies: list[Company] | None = Field(None, min_length=1, max_length=MAX_BATCH)
    max_results: Annotated[int, Field(strict=False, ge=1, le=100), BeforeValidator(json_integer)] = 10
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
