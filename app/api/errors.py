"""Turn every failure into `{"error", "detail"}` with a correct status code, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match, Mount

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


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    name = _HTTP_NAMES.get(exc.status_code, "HTTPError")
    detail = exc.detail if isinstance(exc.detail, str) else name
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and detail == "Not Found":
        detail = "no such endpoint; see / for the service index"
    if exc.status_code == 405:
        # The route that answered names its own methods; other routes at the same path add theirs.
        named = {m.strip().upper() for m in headers.get("Allow", "").split(",") if m.strip()}
        routed = allowed_methods(request)
        headers["Allow"] = ", ".join([m for m in _METHODS if m in named or m in routed])
        detail = f"{request.method} is not allowed here; allowed: {headers['Allow'] or 'none'}"
    return error_response(exc.status_code, name, detail, headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at this request's path (mounted apps excepted)."""
    # Starlette's 405 names only the first route whose path matched, but a path such as
    # /companies/{company} has one route per method (PUT and DELETE): ask every route about every method.
    found = []
    for method in _METHODS:
        scope = {"type": "http", "method": method, "path": request.scope["path"],
                 "root_path": request.scope.get("root_path", "")}
        for route in request.app.router.routes:
            if not isinstance(route, Mount) and route.matches(scope)[0] == Match.FULL:
                found.append(method)
                break
    return found


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


_RETRY_AFTER = {"description": "seconds to wait before retrying", "schema": {"type": "integer", "minimum": 0}}
# Every 429 carries Retry-After; a 503 does when the outage has a known end (quota, a busy process).
_ERROR_HEADERS = {
    429: {"Retry-After": {**_RETRY_AFTER, "required": True}},
    503: {"Retry-After": _RETRY_AFTER},
}


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
    responses: dict[int | str, dict[str, Any]] = {
        **{code: {"model": ErrorBody} for code in codes}, **route.responses
    }
    for code, headers in _ERROR_HEADERS.items():
        if code in responses:
            responses[code] = {**responses[code], "headers": headers}
    route.responses = responses


def _dependency_calls(dependant: Dependant) -> list[object]:
    found: list[object] = []
    for sub in dependant.dependencies:
        found.append(sub.call)
        found.extend(_dependency_calls(sub))
    return found
