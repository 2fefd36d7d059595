"""`/api/v1/dashboard`: alert rules per company (admin), alert overview and webhook deliveries."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import AdminOnly, provided
from app.api.schemas import CompanyPath, ErrorBody, clean_term
from app.container import Container
from app.services.alert_rules import AlertRule
from app.services.alert_views import AlertsOverview, DeletedResponse, DeliveriesResponse, RulesResponse
from app.services.alerts import MAX_RULES, AlertService

router = APIRouter(prefix="/dashboard", tags=["alerts"])

ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorBody} for code in (404, 422, 503)}
ADMIN_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 422, 503)
}
Alerts = Annotated[AlertService, provided(Container.alert_service)]


class RulesRequest(BaseModel):
    """Body of `PUT /companies/{company}/alerts`: the company's complete rule list."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"rules": [
            {"type": "negative_share", "categories": ["E", "S", "G"], "threshold": 0.3},
            {"type": "new_negative", "category": "G", "webhook_url": "https://hooks.example.com/esg"},
        ]}]},
    )

    rules: list[AlertRule] = Field(max_length=MAX_RULES)


@router.get("/alerts", response_model=AlertsOverview, responses=ERRORS)
async def overview(service: Alerts) -> AlertsOverview:
    """Companies with alert rules, recent delivery counts and the last failed delivery."""
    return await service.overview()


@router.get("/alerts/deliveries", response_model=DeliveriesResponse, responses=ERRORS)
async def deliveries(
    service: Alerts,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    status: Annotated[Literal["sent", "failed"] | None, Query(description="only sent or failed ones")] = None,
) -> DeliveriesResponse:
    """Recent webhook deliveries with status, attempts, HTTP status and error."""
    return await service.deliveries(limit, status)


@router.get("/companies/{company}/alerts", response_model=RulesResponse, responses=ADMIN_ERRORS,
            dependencies=[AdminOnly])
async def get_rules(company: CompanyPath, service: Alerts) -> RulesResponse:
    """The company's alert rules (admin: they may name webhook URLs)."""
    return await service.rules(clean_term(company, "company"))


@router.put("/companies/{company}/alerts", response_model=RulesResponse, responses=ADMIN_ERRORS,
            dependencies=[AdminOnly])
async def put_rules(company: CompanyPath, request: RulesRequest, service: Alerts) -> RulesResponse:
    """Replace the company's alert rules (admin); unknown types or thresholds outside 0..1 → 422."""
    return await service.set_rules(clean_term(company, "company"), list(request.rules))


@router.delete("/companies/{company}/alerts", response_model=DeletedResponse, responses=ADMIN_ERRORS,
               dependencies=[AdminOnly])
async def delete_rules(company: CompanyPath, service: Alerts) -> DeletedResponse:
    """Remove the company's alert rules (admin)."""
    return await service.delete_rules(clean_term(company, "company"))
