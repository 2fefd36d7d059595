"""`/api/v1/search`: cache-first news search, batch search and trending terms."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response

from app.api.schemas import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    CompanySearchRequest,
    ErrorBody,
    NewsSearchRequest,
    SearchResponse,
    TrendingResponse,
    TrendingTerm,
    clean_term,
)
from app.container import Container
from app.services.search import SearchService

router = APIRouter(tags=["search"])

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 413, 422, 429, 502, 503)
}
CompanyPath = Annotated[str, Path(description="company name, e.g. 삼성전자", min_length=1, max_length=200)]
Search = Annotated[SearchService, Depends(Provide[Container.search_service])]


def json_response(body: SearchResponse | BatchResponse | TrendingResponse) -> Response:
    """Serialise once with pydantic-core instead of FastAPI's validate-then-encode path."""
    return Response(body.model_dump_json(), media_type="application/json")


@router.post("/news", response_model=SearchResponse, responses=ERRORS)
@inject
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


@router.post("/companies/{company}", response_model=SearchResponse, responses=ERRORS)
@inject
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


@router.post("/batch", response_model=BatchResponse, responses=ERRORS)
@inject
async def search_batch(request: BatchRequest, service: Search) -> Response:
    """Up to 10 searches at once, run concurrently; each reports its own success or error."""
    entries = await service.batch(
        request.terms, max_results=request.max_results, sort=request.sort, force_refresh=request.force_refresh
    )
    results = []
    for entry in entries:
        if entry.outcome is not None:
            body = SearchResponse.from_outcome(entry.outcome).model_dump(mode="json")
            results.append(BatchItem(query=entry.query, status="ok", result=body))
        else:
            assert entry.error is not None
            error = ErrorBody(error=entry.error.error_type, detail=entry.error.message)
            results.append(BatchItem(query=entry.query, status="error", error=error))
    ok = sum(1 for r in results if r.status == "ok")
    body = BatchResponse(total=len(results), succeeded=ok, failed=len(results) - ok, results=results)
    return json_response(body)


@router.get("/trending", response_model=TrendingResponse, responses=ERRORS)
@inject
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
