"""`/api/v1/dashboard`: background results, the watch list, task status and cache administration."""

import re
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.analysis_schemas import AnalysisResponse
from app.api.deps import AdminOnly, provided
from app.api.schemas import CompanyPath, ErrorBody, MaxResults, clean_term
from app.container import Container
from app.errors import InvalidInput
from app.services.cache_service import CacheService
from app.services.status import StatusService
from app.services.tasks import DEFAULT_MAX_RESULTS, TaskService
from app.services.views import (
    CacheClearResponse,
    CacheInfoResponse,
    CompaniesResponse,
    CompanyCacheClearResponse,
    HistoryResponse,
    StatusResponse,
    TaskSummary,
    WatchResponse,
)
from app.services.watchlist import WatchListService

router = APIRouter(prefix="/dashboard", tags=["dashboard"])
PREFIX = f"/api/v1{router.prefix}"  # the task links it returns

ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorBody} for code in (404, 422, 503)}
ADMIN_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 422, 503)
}
TaskIdPath = Annotated[
    str, Path(description="id returned by trigger", pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
]
Status = Annotated[StatusService, provided(Container.status_service)]
Companies = Annotated[WatchListService, provided(Container.watchlist_service)]
Tasks = Annotated[TaskService, provided(Container.task_service)]
Caches = Annotated[CacheService, provided(Container.cache_service)]

# `since`: an ISO 8601 date, or date and time with an optional offset (none = UTC). Spelled out, days per
# month and leap years included, because a JSON Schema date-time needs an offset and pydantic's datetime
# also takes Unix numbers: this way the schema and the server agree on every string (ASCII digits only).
_DATE = (
    "(?:(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-"
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)"
)
_TIME = (
    "T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.][0-9]+)?)?"
    "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
)
SINCE_PATTERN = f"^{_DATE}(?:{_TIME})?$"
SINCE_SCHEMA: dict[str, Any] = {"pattern": SINCE_PATTERN}
SINCE_HELP = "ISO 8601 date or date-time, e.g. 2026-11-01 or 2026-11-01T09:00:00+09:00; no offset means UTC"
_SINCE = re.compile(SINCE_PATTERN)


class TriggerRequest(BaseModel):
    """Body of `POST /companies/{company}/trigger` (optional)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    max_results: MaxResults = DEFAULT_MAX_RESULTS


class TriggerResponse(BaseModel):
    """A queued (or already queued) background analysis."""

    task_id: str
    company: str
    status: str = Field(description="PENDING for a new task; the current state of a deduplicated one")
    status_url: str
    deduplicated: bool = Field(description="true when a task for this company was already queued or running")


class TaskResponse(BaseModel):
    """State of a background task."""

    task_id: str
    company: str
    state: str = Field(description="PENDING, STARTED, SUCCESS or FAILURE")
    submitted_at: str | None
    started_at: str | None
    finished_at: str | None
    deliveries: int = Field(description="how often a worker received it (>1 after a worker was lost)")
    result: TaskSummary | None = Field(description="summary of the stored analysis, on SUCCESS")
    error: str | None = Field(description="what went wrong, on FAILURE (never a traceback)")


@router.get("/status", response_model=StatusResponse)
async def status(service: Status) -> StatusResponse:
    """Redis, workers, queue depth, watched companies, cache statistics, model and Naver quota."""
    return await service.status()


@router.get("/companies", response_model=CompaniesResponse, responses=ERRORS)
async def companies(service: Companies) -> CompaniesResponse:
    """The watch list and every company with a stored analysis."""
    return await service.companies()


@router.put("/companies/{company}", response_model=WatchResponse, responses=ADMIN_ERRORS,
            dependencies=[AdminOnly])
async def watch(company: CompanyPath, service: Companies) -> WatchResponse:
    """Add a company to the watch list (admin); beat refreshes it from its next run."""
    return await service.watch(clean_term(company, "company"))


@router.delete("/companies/{company}", response_model=WatchResponse, responses=ADMIN_ERRORS,
               dependencies=[AdminOnly])
async def unwatch(company: CompanyPath, service: Companies) -> WatchResponse:
    """Remove a company from the watch list (admin); its stored results stay."""
    return await service.unwatch(clean_term(company, "company"))


@router.get("/companies/{company}/latest", response_model=AnalysisResponse, responses=ERRORS)
async def latest(company: CompanyPath, service: Companies) -> Response:
    """The latest stored analysis, shaped like the analyze response."""
    result = await service.latest(clean_term(company, "company"))
    return Response(AnalysisResponse.from_result(result).model_dump_json(), media_type="application/json")


@router.get("/companies/{company}/history", response_model=HistoryResponse, responses=ERRORS)
async def history(
    company: CompanyPath,
    service: Companies,
    limit: Annotated[int, Query(ge=1, le=500, description="newest first, at most this many")] = 20,
    since: Annotated[str | None, Query(description=SINCE_HELP, json_schema_extra=SINCE_SCHEMA)] = None,
) -> HistoryResponse:
    """History snapshots: time, ESG and sentiment counts, top keywords, most negative articles, model."""
    name = clean_term(company, "company")
    return await service.history(name, limit=limit, since=parse_since(since) if since is not None else None)


def parse_since(value: str) -> datetime:
    """`since` as an aware datetime; the pattern decides, so the server accepts what the schema states."""
    if not _SINCE.fullmatch(value):
        raise InvalidInput(f"since: {SINCE_HELP} (got {value[:40]!r})")
    moment = datetime.fromisoformat(value)  # cannot fail: the pattern admits only real dates and times
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@router.post("/companies/{company}/trigger", status_code=202, response_model=TriggerResponse,
             responses=ADMIN_ERRORS, dependencies=[AdminOnly])
async def trigger(
    company: CompanyPath,
    service: Tasks,
    response: Response,
    request: Annotated[TriggerRequest | None, Body()] = None,
) -> TriggerResponse:
    """Queue a background analysis (admin); while one is queued or running its task id is returned."""
    request = request or TriggerRequest()
    done = await service.trigger(clean_term(company, "company"), request.max_results)
    url = f"{PREFIX}/tasks/{done.task_id}"
    response.headers["Location"] = url
    return TriggerResponse(
        task_id=done.task_id, company=done.company, status=done.state, status_url=url,
        deduplicated=not done.created,
    )


@router.get("/tasks/{task_id}", response_model=TaskResponse, responses=ERRORS)
async def task(task_id: TaskIdPath, service: Tasks) -> TaskResponse:
    """State, timestamps, and the result summary or error of a background task."""
    record = await service.task(task_id)
    return TaskResponse(**asdict(record))


@router.get("/cache/info", response_model=CacheInfoResponse, responses=ERRORS)
async def cache_info(service: Caches) -> CacheInfoResponse:
    """Keys per kind under this service's prefix (SCAN), hits, misses, hit rate, memory."""
    return await service.cache_info()


@router.delete("/cache/companies/{company}", response_model=CompanyCacheClearResponse,
               responses=ADMIN_ERRORS, dependencies=[AdminOnly])
async def clear_company_cache(company: CompanyPath, service: Caches) -> CompanyCacheClearResponse:
    """Delete one company's cached searches and analyses (admin); history and latest stay."""
    return await service.clear_company_cache(clean_term(company, "company"))


@router.delete("/cache", response_model=CacheClearResponse, responses=ADMIN_ERRORS, dependencies=[AdminOnly])
async def clear_cache(service: Caches) -> CacheClearResponse:
    """Delete every cached search, analysis and article result (admin); never the store of record."""
    return await service.clear_cache()
