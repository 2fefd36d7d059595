"""`/api/v1/dashboard`: analyst label corrections per article and their export as training rows."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import AdminOnly, provided
from app.api.exports import DOWNLOAD_HEADERS, TEXT_FILE, attachment
from app.api.schemas import Company, ErrorBody
from app.container import Container
from app.services.feedback import (
    FeedbackService,
    LabelResponse,
    LabelsResponse,
    UnlabelResponse,
    to_csv,
    to_jsonl,
)

router = APIRouter(prefix="/dashboard", tags=["feedback"])

ADMIN_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 422, 503)
}
ArticleIdPath = Annotated[
    str, Path(description="the article's `id` in analysis results", pattern=r"^[A-Za-z0-9_-]{1,64}$")
]
Feedback = Annotated[FeedbackService, provided(Container.feedback_service)]


class LabelRequest(BaseModel):
    """An analyst's correction; title/description are looked up in stored results when left out."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"category": "G", "sentiment": "부정", "company": "삼성전자",
                                         "note": "지배구조 이슈 (이사회 논란)"}]},
    )

    category: Literal["E", "S", "G", "기타"]
    sentiment: Literal["긍정", "중립", "부정"]
    company: Company | None = Field(None, description="where to look it up first")
    note: str | None = Field(None, max_length=1000)
    title: str | None = Field(None, min_length=1, max_length=500, description="needed if no result has it")
    description: str | None = Field(None, max_length=5000)
    url: str | None = Field(None, max_length=2000)


@router.post("/articles/{article_id}/label", response_model=LabelResponse, responses=ADMIN_ERRORS,
             dependencies=[AdminOnly])
async def label(
    article_id: ArticleIdPath, request: Annotated[LabelRequest, Body()], service: Feedback
) -> LabelResponse:
    """Store the article's correct ESG category and sentiment (admin); a later label replaces it."""
    return await service.label(
        article_id,
        category=request.category,
        sentiment=request.sentiment,
        company=request.company,
        note=request.note,
        title=request.title,
        description=request.description,
        url=request.url,
    )


@router.delete("/articles/{article_id}/label", response_model=UnlabelResponse, responses=ADMIN_ERRORS,
               dependencies=[AdminOnly])
async def unlabel(article_id: ArticleIdPath, service: Feedback) -> UnlabelResponse:
    """Remove the article's label (admin)."""
    return await service.unlabel(article_id)


@router.get("/feedback", response_model=LabelsResponse, responses=ADMIN_ERRORS, dependencies=[AdminOnly])
async def labels(service: Feedback, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> LabelsResponse:
    """Recent analyst labels (admin)."""
    return await service.labels(limit)


@router.get(
    "/feedback/export",
    response_class=Response,
    responses={**ADMIN_ERRORS, 200: {
        "description": "a download: JSON lines with format=jsonl, CSV (UTF-8 with BOM) with format=csv",
        "content": {"application/x-ndjson": TEXT_FILE, "text/csv": TEXT_FILE}, "headers": DOWNLOAD_HEADERS}},
    dependencies=[AdminOnly],
)
async def export(
    service: Feedback, format: Annotated[Literal["jsonl", "csv"], Query()] = "jsonl"
) -> Response:
    """Every label in the training file format (`news-service train --data FILE`), as a download (admin)."""
    rows = await service.training_rows()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    if format == "csv":
        body, media = "\ufeff" + to_csv(rows), "text/csv; charset=utf-8"
    else:
        body, media = to_jsonl(rows), "application/x-ndjson; charset=utf-8"
    return Response(body.encode("utf-8"), media_type=media,
                    headers=attachment(f"feedback-{stamp}.{format}"))
