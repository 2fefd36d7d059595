"""Turn every failure into `{"error", "detail"}` with a correct status code, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from app.api.deps import limit_analyze, limit_search, require_admin
from app.api.schemas import ErrorBody
from app.errors import AppError

log = logging.getLogger(__name__)

_HTTP_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    422: "ValidationError",
    429: "RateLimited",
}


def error_response(
    status: int, error: str, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The one error body shape."""
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def _describe(error: dict[str, object]) -> str:
    location = [str(part) for part in error.get("loc", ())]  # type: ignore[attr-defined]
    if location and location[0] in ("body", "query", "path", "header"):
        location = location[1:] or location
    field = ".".join(location)
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if error.get("type") == "extra_forbidden":
        message = "unknown field (check the spelling; see /docs for the accepted fields)"
    elif error.get("type") == "missing":
        message = "a JSON request body is required" if location == ["body"] else "field required"
    return f"{field}: {message}"


async def _app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    if exc.status_code >= 500:
        log.warning("%s: %s", exc.error_type, exc.message)
    return error_response(exc.status_code, exc.error_type, exc.message, exc.headers())


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if isinstance(exc.body, bytes) and exc.body:
        # FastAPI gives a JSON body field raw bytes when the Content-Type is not JSON; bytes never validate.
        sent = request.headers.get("content-type")
        received = f"Content-Type '{sent[:100]}'" if sent else "no Content-Type"
        return error_response(
            415, "UnsupportedMediaType", f"the request body has {received}; send it as 'application/json'"
        )
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "BadRequest", "request body is not valid JSON")
    return error_response(422, "ValidationError", "; ".join(_describe(e) for e in errors[:10]))


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    name = _HTTP_NAMES.get(exc.status_code, "HTTPError")
    detail = exc.detail if isinstance(exc.detail, str) else name
    if exc.status_code == 404 and detail == "Not Found":
        detail = "no such endpoint; see / for the service index"
    return error_response(exc.status_code, name, detail, dict(exc.headers or {}))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "InternalError", "unexpected server error; it has been logged")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on an app and declare the error bodies they produce on its routes."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    for route in _api_routes(app.routes):
        _declare_errors(route)


def _api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    # Newer FastAPI keeps included routers as lazy wrappers around the original router (which builds
    # each route's effective copy on first use, from the original's declarations); older ones copy routes.
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        original = getattr(route, "original_router", None)
        if original is not None:
            yield from _api_routes(original.routes)


def _declare_errors(route: APIRoute) -> None:
    # The handlers above answer these for every route that can hit them; the OpenAPI schema must say so
    # (and with our body, not FastAPI's default HTTPValidationError), whatever the route itself declares.
    calls = set(_dependency_calls(route.dependant))
    codes: list[int] = []
    if route.body_field is not None:
        codes += [400, 413, 415]  # malformed JSON, body over MAX_BODY_BYTES, body not sent as JSON
    if route.body_field is not None or route.dependant.path_params or route.dependant.query_params:
        codes.append(422)
    if calls & {limit_search, limit_analyze, require_admin}:
        codes.append(429)
    if require_admin in calls:
        codes += [401, 403]
    # A new dict per route: routers often share one module-level `responses` mapping between routes.
    route.responses = {**{code: {"model": ErrorBody} for code in codes}, **route.responses}


def _dependency_calls(dependant: Dependant) -> list[object]:
    found: list[object] = []
    for sub in dependant.dependencies:
        found.append(sub.call)
        found.extend(_dependency_calls(sub))
    return found
