"""`/api/v1/search`: cache-first news search, batch search and trending terms."""


from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from app.api.analysis_schemas import AnalysisResponse
from app.api.deps import AnalyzeLimit, SearchLimit, provided
from app.api.schemas import (
    AnalyzeRequest,
    BatchItem,
    BatchRequest,
    BatchResponse,
    CompanyPath,
    CompanySearchRequest,
    ErrorBody,
    NewsSearchRequest,
    SearchResponse,
    TrendingResponse,
    TrendingTerm,
    clean_term,
)
from app.container import Container
from app.services.analysis import AnalysisOutcome, AnalysisService
from app.services.search import BatchEntry, SearchOutcome, SearchService

router = APIRouter(prefix="/search", tags=["search"])

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 413, 422, 429, 502, 503)
}
Search = Annotated[SearchService, provided(Container.search_service)]
Analysis = Annotated[AnalysisService, provided(Container.analysis_service)]


def json_response(body: SearchResponse | AnalysisResponse | BatchResponse | TrendingResponse) -> Response:
    """Serialise once with pydantic-core instead of FastAPI's validate-then-encode path."""
    return Response(body.model_dump_json(), media_type="application/json")


@router.post("/news", response_model=SearchResponse, responses=ERRORS, dependencies=[SearchLimit])
async def search_news(request: NewsSearchRequest, service: Search) -> Response:
    """Search news for any query (cache first, then the live source)."""
    outcome = await service.search(
        request.query,
        max_results=request.max_results,
        sort=request.sort,
        force_refresh=request.force_refresh,
        similarity_threshold=request.similarity_threshold,
    )
    return json_response(SearchResponse.from_outcome(outcome))


@router.post(
    "/companies/{company}", response_model=SearchResponse, responses=ERRORS, dependencies=[SearchLimit]
)
async def search_company(
    company: CompanyPath,
    service: Search,
    request: Annotated[CompanySearchRequest | None, Body()] = None,
) -> Response:
    """Search news about one company; the body is optional."""
    name = clean_term(company, "company")
    request = request or CompanySearchRequest()
    outcome = await service.search(
        name,
        max_results=request.max_results,
        sort=request.sort,
        force_refresh=request.force_refresh,
        similarity_threshold=request.similarity_threshold,
    )
    return json_response(SearchResponse.from_outcome(outcome, company=name))


@router.post(
    "/companies/{company}/analyze",
    response_model=AnalysisResponse,
    responses=ERRORS,
    dependencies=[AnalyzeLimit],
)
async def analyze_company(
    company: CompanyPath,
    service: Analysis,
    request: Annotated[AnalyzeRequest | None, Body()] = None,
) -> Response:
    """Classify a company's deduplicated news by ESG category and sentiment, with a summary."""
    name = clean_term(company, "company")
    request = request or AnalyzeRequest()
    outcome = await service.analyze(
        name,
        max_results=request.max_results,
        force_refresh=request.force_refresh,
        similarity_threshold=request.similarity_threshold,
    )
    return json_response(AnalysisResponse.from_outcome(outcome))


@router.post("/batch", response_model=BatchResponse, responses=ERRORS, dependencies=[AnalyzeLimit])
async def search_batch(request: BatchRequest, search: Search, analysis: Analysis) -> Response:
    """Up to 10 searches (or analyses with `analyze: true`) run concurrently; each reports its own status."""
    entries: Sequence[BatchEntry[SearchOutcome] | BatchEntry[AnalysisOutcome]]
    if request.analyze:
        entries = await analysis.batch(
            request.terms, max_results=request.max_results, force_refresh=request.force_refresh
        )
    else:
        entries = await search.batch(
            request.terms,
            max_results=request.max_results,
            sort=request.sort,
            force_refresh=request.force_refresh,
        )
    results = []
    for entry in entries:
        if entry.outcome is None:
            assert entry.error is not None
            error = ErrorBody(error=entry.error.error_type, detail=entry.error.message)
            results.append(BatchItem(query=entry.query, status="error", error=error))
            continue
        outcome = entry.outcome
        body = (
            AnalysisResponse.from_outcome(outcome)
            if isinstance(outcome, AnalysisOutcome)
            else SearchResponse.from_outcome(outcome)
        )
        results.append(BatchItem(query=entry.query, status="ok", result=body.model_dump(mode="json")))
    ok = sum(1 for r in results if r.status == "ok")
    return json_response(
        BatchResponse(total=len(results), succeeded=ok, failed=len(results) - ok, results=results)
    )


@router.get("/trending", response_model=TrendingResponse, responses=ERRORS, dependencies=[SearchLimit])
async def trending(
    service: Search,
    window_hours: Annotated[int, Query(ge=1, le=720, description="look-back window")] = 24,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Most searched queries and most frequent article keywords over the window."""
    result = await service.trending(window_hours=window_hours, limit=limit)
    return json_response(
        TrendingResponse(
            window_hours=result.window_hours,
            generated_at=datetime.now(UTC),
            queries=[TrendingTerm(term=t, count=round(c)) for t, c in result.queries],
            keywords=[TrendingTerm(term=t, count=round(c)) for t, c in result.keywords],
        )
    )
