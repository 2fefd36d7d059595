"""The API: every router, under /api/v1."""

from fastapi import APIRouter
from fastapi.routing import APIRoute

from app.api import alerts, dashboard, exports, feedback, search, system

API_PREFIX = "/api/v1"
ROUTERS = (search.router, dashboard.router, exports.router, alerts.router, feedback.router, system.router)


def api_router() -> APIRouter:
    """One router holding every endpoint (each router declares its own prefix and tags)."""
    router = APIRouter(prefix=API_PREFIX)
    for child in ROUTERS:
        router.include_router(child)
    return router


def route_templates() -> dict[object, str]:
    """Endpoint function → its path template, the label request metrics use."""
    return {
        route.endpoint: f"{API_PREFIX}{route.path}"
        for child in ROUTERS
        for route in child.routes
        if isinstance(route, APIRoute)
    }
