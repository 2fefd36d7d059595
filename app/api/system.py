"""`/api/v1/system`: health, self-test, and the model sets."""

from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import (
    OPTIONAL_ADMIN_KEY,
    AdminOnly,
    AnalyzeLimit,
    ApiKeyHeader,
    LimiterDep,
    SettingsDep,
    admin_access,
    provided,
)
from app.api.schemas import ErrorBody
from app.container import Container
from app.domain.models import ModelInfo
from app.errors import Forbidden, Unauthorized
from app.services.model_selection import ModelCatalog, ModelSelection
from app.services.system import SystemService
from app.services.views import HealthResponse, SelfTestResponse, SourceResponse

router = APIRouter(prefix="/system", tags=["system"])
System = Annotated[SystemService, provided(Container.system_service)]
Selection = Annotated[ModelSelection, provided(Container.model_selection)]


class ActivateRequest(BaseModel):
    """Body of `POST /system/models/activate`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    model_name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ActivateResponse(BaseModel):
    """The model set now active in this API process (workers follow at their next task)."""

    status: Literal["activated"]
    active: ModelInfo


@router.get("/health", response_model=HealthResponse)
async def health(service: System) -> HealthResponse:
    """Liveness and the state of Redis, the news source and the models (always 200 while serving)."""
    return await service.health()


class AdminAccessResponse(BaseModel):
    """Whether this caller may use the admin endpoints, and why."""

    admin: bool
    via: str | None = Field(description="key, loopback (no key configured, call from this machine) or open")
    key_configured: bool = Field(description="whether the server has an ADMIN_API_KEY")
    detail: str | None = Field(None, description="why not, when admin is false")


@router.get("/admin", response_model=AdminAccessResponse, responses={429: {"model": ErrorBody}},
            openapi_extra=OPTIONAL_ADMIN_KEY)
async def admin_check(
    request: Request, settings: SettingsDep, limiter: LimiterDep, x_api_key: ApiKeyHeader = None
) -> AdminAccessResponse:
    """Whether admin calls would pass with this request's X-API-Key (wrong keys count as failures)."""
    configured = bool(settings.api.admin_api_key.get_secret_value())
    try:
        via = await admin_access(request, settings, limiter, x_api_key)
    except (Unauthorized, Forbidden) as exc:
        return AdminAccessResponse(admin=False, via=None, key_configured=configured, detail=exc.message)
    return AdminAccessResponse(admin=True, via=via, key_configured=configured)


@router.get(
    "/test/integration", response_model=SelfTestResponse, dependencies=[AnalyzeLimit],
    responses={429: {"model": ErrorBody}}, openapi_extra=OPTIONAL_ADMIN_KEY,
)
async def integration_test(
    request: Request,
    settings: SettingsDep,
    limiter: LimiterDep,
    service: System,
    x_api_key: ApiKeyHeader = None,
) -> SelfTestResponse:
    """Run one request through each dependency; a live Naver call only for admin callers (rate limited)."""
    live = False
    if x_api_key is not None or not settings.api.admin_api_key.get_secret_value():
        try:
            await admin_access(request, settings, limiter, x_api_key)
            live = True
        except (Unauthorized, Forbidden):
            live = False
    return await service.integration_test(live=live)


@router.get("/source", response_model=SourceResponse, responses={503: {"model": ErrorBody}})
async def news_source(service: System) -> SourceResponse:
    """Which news source is in use and, for the offline archive, which companies and dates it covers."""
    return await service.source()


@router.get("/models", response_model=ModelCatalog)
async def list_models(selection: Selection) -> ModelCatalog:
    """Model sets found under MODELS_DIR with their labels, and the active classifier."""
    return selection.catalog()


@router.post(
    "/models/activate",
    response_model=ActivateResponse,
    dependencies=[AdminOnly],
    # unusable / unknown model set; 503: active here but not recorded for the workers (Redis down)
    responses={code: {"model": ErrorBody} for code in (400, 404, 503)},
)
async def activate_model(request: ActivateRequest, selection: Selection) -> ActivateResponse:
    """Swap to another model set without a restart (admin); workers follow at their next task."""
    return ActivateResponse(status="activated", active=await selection.activate(request.model_name))
