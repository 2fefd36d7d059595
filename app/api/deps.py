"""Shared router dependencies: per-client rate limits and the admin key check."""

import hmac
from typing import TYPE_CHECKING, Annotated, Literal

from dependency_injector import wiring
from dependency_injector.wiring import inject
from fastapi import Depends, Header, Request

from app.adapters.rate_limit import RateLimiter
from app.container import Container
from app.errors import Forbidden, RateLimited, Unauthorized
from app.settings import Settings

if TYPE_CHECKING:
    Provide = wiring.Provide
else:

    class Provide(wiring.Provide):
        """dependency-injector's marker, but awaited by FastAPI instead of called in its thread pool.

        FastAPI runs a dependency with a synchronous `__call__` in a worker thread; the marker only returns
        itself (`@inject` puts the real object in its place), so each one cost a thread hop per request —
        three on a cache hit, each waiting for a core when the process is busy. Routers import this one.
        """

        async def __call__(self):
            return self


Budget = Literal["search", "analyze", "admin", "admin_failures"]
SettingsDep = Annotated[Settings, Depends(Provide[Container.settings])]
LimiterDep = Annotated[RateLimiter, Depends(Provide[Container.rate_limiter])]


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


@inject
async def limit_search(request: Request, settings: SettingsDep, limiter: LimiterDep) -> None:
    """Charge one request to the client's search budget (429 with Retry-After when spent)."""
    await _charge(request, settings, limiter, "search")


@inject
async def limit_analyze(request: Request, settings: SettingsDep, limiter: LimiterDep) -> None:
    """Charge one request to the client's analyze budget."""
    await _charge(request, settings, limiter, "analyze")


SearchLimit = Depends(limit_search)
AnalyzeLimit = Depends(limit_analyze)


@inject
async def require_admin(
    request: Request,
    settings: SettingsDep,
    limiter: LimiterDep,
    x_api_key: Annotated[str | None, Header(description="ADMIN_API_KEY", include_in_schema=False)] = None,
) -> None:
    """Admin endpoints need `X-API-Key` = ADMIN_API_KEY; with no key configured they are refused.

    Requests with the right key are charged to the client's admin budget; wrong or missing keys to a
    separate failure budget. A stranger guessing keys (even behind the same proxy address) therefore
    throttles only further guesses, never the key holder.
    """
    expected = settings.api.admin_api_key.get_secret_value()
    if not expected:
        if settings.api.allow_unauthenticated_admin:
            await _charge(request, settings, limiter, "admin")
            return
        raise Forbidden(
            "admin endpoints are disabled: set ADMIN_API_KEY (and send it as X-API-Key), "
            "or ALLOW_UNAUTHENTICATED_ADMIN=true for local use"
        )
    if x_api_key and hmac.compare_digest(x_api_key.encode("utf-8"), expected.encode("utf-8")):
        await _charge(request, settings, limiter, "admin")
        return
    await _charge(request, settings, limiter, "admin_failures")
    if not x_api_key:
        raise Unauthorized("this endpoint needs the admin key in the X-API-Key header")
    raise Forbidden("the X-API-Key header does not match ADMIN_API_KEY")


AdminOnly = Depends(require_admin)
