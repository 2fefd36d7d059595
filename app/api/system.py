"""`/api/v1/system`: health, self-test, and the model sets."""

from typing import TYPE_CHECKING, Annotated, Any

from dependency_injector.wiring import inject
from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import AdminOnly, Provide
from app.api.schemas import ErrorBody
from app.container import Container
from app.services.model_selection import ModelSelection
from app.services.system import SystemService

if TYPE_CHECKING:
    from app.ml.manager import ModelManager

router = APIRouter(tags=["system"])
System = Annotated[SystemService, Depends(Provide[Container.system_service])]
Models = Annotated["ModelManager", Depends(Provide[Container.classifier])]
Selection = Annotated[ModelSelection, Depends(Provide[Container.model_selection])]


class ActivateRequest(BaseModel):
    """Body of `POST /system/models/activate`."""

    model_config = ConfigDict(extra="forbid")

    model_name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@router.get("/health")
@inject
async def health(service: System) -> dict[str, Any]:
    """Liveness and the state of Redis, the news source and the models (always 200 while serving)."""
    return await service.health()


@router.get("/test/integration")
@inject
async def integration_test(service: System) -> dict[str, Any]:
    """Run one real request through each dependency and report each result."""
    return await service.integration_test()


@router.get("/models")
@inject
async def list_models(manager: Models) -> dict[str, Any]:
    """Model sets found under MODELS_DIR with their labels, and the active classifier."""
    return {
        "models_dir": str(manager.settings.models_dir),
        "active": manager.info().model_dump(),
        "model_sets": [m.model_dump() for m in manager.available()],
    }


@router.post(
    "/models/activate",
    dependencies=[AdminOnly],
    # unusable / unknown model set; 503: active here but not recorded for the workers (Redis down)
    responses={code: {"model": ErrorBody} for code in (400, 404, 503)},
)
@inject
async def activate_model(request: ActivateRequest, selection: Selection) -> dict[str, Any]:
    """Swap to another model set without a restart (admin); workers follow at their next task."""
    info = await selection.activate(request.model_name)
    return {"status": "activated", "active": info.model_dump()}
