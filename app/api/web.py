"""The built-in dashboard: static files under app/web served at `/ui` by the API itself."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


class _DashboardFiles(StaticFiles):
    """Static files that browsers revalidate (ETag) instead of caching a stale dashboard."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.setdefault("Cache-Control", "no-cache")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def mount_ui(app: FastAPI) -> None:
    """Serve the dashboard at `/ui/` (and redirect `/ui` there)."""

    async def to_dashboard() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)

    app.add_api_route("/ui", to_dashboard, methods=["GET"], include_in_schema=False)
    app.mount("/ui", _DashboardFiles(directory=WEB_DIR, html=True), name="ui")
