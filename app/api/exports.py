"""`/api/v1/dashboard/companies/{company}/export`: the latest analysis as a CSV (Excel) or JSON download."""

import csv
import io
import re
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.analysis_schemas import AnalysisResponse
from app.api.deps import provided
from app.api.schemas import CompanyPath, ErrorBody, clean_term
from app.container import Container
from app.domain.models import AnalysisResult
from app.services.watchlist import WatchListService

router = APIRouter(prefix="/dashboard", tags=["dashboard"])

ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorBody} for code in (404, 422, 503)}
Companies = Annotated[WatchListService, provided(Container.watchlist_service)]

CSV_COLUMNS = (
    "id", "title", "url", "press", "published_date", "category", "category_confidence", "sentiment",
    "sentiment_confidence", "positive", "neutral", "negative", "evidence", "duplicate_count",
    "first_published", "last_published", "source_presses", "source_urls",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def attachment(filename: str, fallback: str | None = None) -> dict[str, str]:
    """`Content-Disposition`: an ASCII `filename` plus the UTF-8 `filename*` (RFC 6266, RFC 5987)."""
    name = _UNSAFE_FILENAME.sub("_", filename).strip() or "export"
    plain = _UNSAFE_FILENAME.sub("_", fallback or name).strip()
    if not plain.isascii():
        _, dot, extension = plain.rpartition(".")
        plain = f"export.{extension}" if dot and extension.isascii() else "export"
    value = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
    return {"Content-Disposition": value}


def _safe(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def to_csv(result: AnalysisResult) -> str:
    """One row per story, with every outlet's report (UTF-8 text; the caller prepends the BOM Excel needs)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in result.items:
        esg, sentiment = a.esg_classification, a.sentiment_analysis
        writer.writerow([
            a.id,
            _safe(a.title),
            _safe(a.url),
            _safe(a.news_source),
            a.published_date.isoformat() if a.published_date else "",
            esg.category,
            f"{esg.confidence:.4f}",
            sentiment.label,
            f"{sentiment.confidence:.4f}",
            *(f"{sentiment.scores.get(k, 0.0):.4f}" for k in ("positive", "neutral", "negative")),
            _safe(", ".join(esg.evidence)),
            a.duplicate_count,
            a.first_published.isoformat() if a.first_published else "",
            a.last_published.isoformat() if a.last_published else "",
            _safe("; ".join(s.press for s in a.sources)),
            _safe(" ".join(s.url for s in a.sources)),
        ])
    return buffer.getvalue()


DOWNLOAD_HEADERS = {"Content-Disposition": {
    "description": "attachment; filename=…; filename*=UTF-8''…", "required": True,
    "schema": {"type": "string"},
}}
TEXT_FILE = {"schema": {"type": "string"}}


@router.get(
    "/companies/{company}/export",
    response_class=Response,  # no default application/json body: the 200 below lists what is sent
    responses={**ERRORS, 200: {
        "description": "a download: CSV with format=csv (UTF-8 BOM), the analyze response with format=json",
        "model": AnalysisResponse, "content": {"text/csv": TEXT_FILE}, "headers": DOWNLOAD_HEADERS}},
)
async def export(
    company: CompanyPath,
    service: Companies,
    format: Annotated[Literal["csv", "json"], Query(description="csv (Excel, UTF-8 BOM) or json")] = "csv",
) -> Response:
    """The latest stored analysis: CSV with one row per article, or JSON shaped like the analyze response."""
    name = clean_term(company, "company")
    result = await service.latest(name)
    stamp = result.analysis_time.strftime("%Y%m%d-%H%M")
    headers = attachment(f"{name}-esg-{stamp}.{format}", fallback=f"esg-export-{stamp}.{format}")
    if format == "json":
        body = AnalysisResponse.from_result(result).model_dump_json()
        return Response(body, media_type="application/json", headers=headers)
    return Response(("\ufeff" + to_csv(result)).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers=headers)
