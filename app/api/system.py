"""`/api/v1/system`: health and self-test."""


from typing import Annotated, Any

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends

from app.container import Container
from app.services.system import SystemService

router = APIRouter(tags=["system"])
System = Annotated[SystemService, Depends(Provide[Container.system_service])]


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
