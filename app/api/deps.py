"""Shared router dependencies: per-client rate limits and the admin key check."""

import hmac
import ipaddress
from typing import Annotated, Any, Literal

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from app.adapters.rate_limit import RateLimiter
from app.container import Container, resolve
from app.errors import Forbidden, RateLimited, Unauthorized
from app.settings import Settings

_PROVIDER_NAMES = {id(provider): name for name, provider in Container.cls_providers.items()}


def provided(provider: object) -> Any:
    """A dependency on one of the container's providers, taken from the app that serves the request.

    No module-level wiring: each app reads its own container (`app.state.container`), so several apps can
    live in one process and tests swap parts with `container.<provider>.override(...)`. The dependency is
    a coroutine function, so FastAPI awaits it on the event loop instead of running it in its thread pool
    (a hop per dependency per request, each waiting for a core when the process is busy).
    """
    name = _PROVIDER_NAMES[id(provider)]

    async def dependency(request: Request) -> Any:
        return await resolve(getattr(request.app.state.container, name))

    dependency.__name__ = f"provided_{name}"
    return Depends(dependency)


Budget = Literal["search", "analyze", "admin", "admin_failures"]
SettingsDep = Annotated[Settings, provided(Container.settings)]
LimiterDep = Annotated[RateLimiter, provided(Container.rate_limiter)]


async def _charge(request: Request, settings: Settings, limiter: RateLimiter, budget: Budget) -> None:
    # Failed admin attempts share the admin limit's number but count on their own.
    limit = getattr(settings.api, f"rate_limit_{budget.removesuffix('_failures')}")
    client = request.client.host if request.client else "unknown"
    retry_after = await limiter.hit(budget, client, limit)
    if retry_after is not None:
        what = "failed admin" if budget == "admin_failures" else budget
        raise RateLimited(
            f"too many {what} requests: the limit is {limit} per minute per client", retry_after=retry_after
        )


async def limit_search(request: Request, settings: SettingsDep, limiter: LimiterDep) -> None:
    """Charge one request to the client's search budget (429 with Retry-After when spent)."""
    await _charge(request, settings, limiter, "search")


async def limit_analyze(request: Request, settings: SettingsDep, limiter: LimiterDep) -> None:
    """Charge one request to the client's analyze budget."""
    await _charge(request, settings, limiter, "analyze")


SearchLimit = Depends(limit_search)
AnalyzeLimit = Depends(limit_analyze)


_LOOPBACK = ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")
# A reverse proxy on the same machine connects from loopback on behalf of remote clients.
_FORWARDING_HEADERS = (b"forwarded", b"x-forwarded-for", b"x-real-ip")
AdminVia = Literal["key", "loopback", "open"]


def _from_this_machine(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if not any(address in network for network in _LOOPBACK):
        return False
    return not any(name in _FORWARDING_HEADERS for name, _ in request.scope.get("headers", ()))


async def admin_access(
    request: Request, settings: Settings, limiter: RateLimiter, key: str | None
) -> AdminVia:
    """How this request may use admin endpoints; raises 401/403 (and 429 for repeated failures) if not.

    With ADMIN_API_KEY set, only that key opens them. Without one, a call from this machine that no proxy
    forwarded is the operator's own (`make run`); everyone else is refused unless
    ALLOW_UNAUTHENTICATED_ADMIN says otherwise. Right keys are charged to the admin budget, wrong or
    missing ones to a separate failure budget, so a stranger guessing keys (even behind the key holder's
    proxy address) throttles only further guesses.
    """
    expected = settings.api.admin_api_key.get_secret_value()
    if not expected:
        if settings.api.allow_unauthenticated_admin:
            await _charge(request, settings, limiter, "admin")
            return "open"
        if settings.api.loopback_admin and _from_this_machine(request):
            await _charge(request, settings, limiter, "admin")
            return "loopback"
        raise Forbidden(
            "admin endpoints need ADMIN_API_KEY on the server (sent as X-API-Key); without one they answer "
            "only calls from the server's own machine"
        )
    if key and hmac.compare_digest(key.encode("utf-8"), expected.encode("utf-8")):
        await _charge(request, settings, limiter, "admin")
        return "key"
    await _charge(request, settings, limiter, "admin_failures")
    if not key:
        raise Unauthorized("this endpoint needs the admin key in the X-API-Key header")
    raise Forbidden("the X-API-Key header does not match ADMIN_API_KEY")


# Declared as an OpenAPI security scheme; missing or wrong keys are answered by `admin_access`, not here.
ADMIN_KEY = APIKeyHeader(
    name="X-API-Key", scheme_name="AdminKey", auto_error=False,
    description="ADMIN_API_KEY; without one configured, calls from the server's own machine need no key",
)
ApiKeyHeader = Annotated[str | None, Security(ADMIN_KEY)]
# For endpoints that answer everyone but do more for the admin: the key is optional in the schema too.
OPTIONAL_ADMIN_KEY: dict[str, object] = {"security": [{}]}


async def require_admin(
    request: Request, settings: SettingsDep, limiter: LimiterDep, x_api_key: ApiKeyHeader = None
) -> None:
    """Admin endpoints: see `admin_access`."""
    await admin_access(request, settings, limiter, x_api_key)


AdminOnly = Depends(require_admin)
