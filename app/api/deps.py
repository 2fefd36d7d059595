"""Shared router dependencies: the admin key check."""

import hmac
from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Header

from app.container import Container
from app.errors import Forbidden, Unauthorized
from app.settings import Settings


@inject
async def require_admin(
    settings: Annotated[Settings, Depends(Provide[Container.settings])],
    x_api_key: Annotated[str | None, Header(description="ADMIN_API_KEY", include_in_schema=False)] = None,
) -> None:
    """Admin endpoints need `X-API-Key` = ADMIN_API_KEY; with no key configured they are refused."""
    expected = settings.api.admin_api_key.get_secret_value()
    if not expected:
        if settings.api.allow_unauthenticated_admin:
            return
        raise Forbidden(
            "admin endpoints are disabled: set ADMIN_API_KEY (and send it as X-API-Key), "
            "or ALLOW_UNAUTHENTICATED_ADMIN=true for local use"
        )
    if not x_api_key:
        raise Unauthorized("this endpoint needs the admin key in the X-API-Key header")
    if not hmac.compare_digest(x_api_key.encode("utf-8"), expected.encode("utf-8")):
        raise Forbidden("the X-API-Key header does not match ADMIN_API_KEY")


AdminOnly = Depends(require_admin)
