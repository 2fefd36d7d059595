"""Request ids: taken from `X-Request-ID` (or made), put on every log record and passed to Celery tasks."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
# Ids from clients are echoed and logged: accept only short, plain tokens.
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER = "X-Request-ID"


def current_request_id() -> str | None:
    """The id of the request (or task) being handled, if any."""
    return _REQUEST_ID.get()


def bind_request_id(value: str | None) -> None:
    """Set the id for the current context (a Celery task bound to the request that queued it)."""
    _REQUEST_ID.set(value if value and _VALID.match(value) else None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside requests and tasks)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Annotate; never drops a record."""
        record.request_id = _REQUEST_ID.get()
        return True


class RequestIdMiddleware:
    """Binds a request id for the duration of the request and returns it as `X-Request-ID`."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope.get("headers", ()) if k == b"x-request-id"), b"")
        text = incoming.decode("latin-1")
        request_id = text if _VALID.match(text) else uuid.uuid4().hex
        token = _REQUEST_ID.set(request_id)

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, with_header)
        finally:
            _REQUEST_ID.reset(token)


async def run_timed(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, done: Callable[[int, float], None]
) -> None:
    """Run the app, then call `done(status, seconds)`; status 500 when it failed before it answered."""
    started = time.perf_counter()
    status = 500

    async def record_status(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        await send(message)

    try:
        await app(scope, receive, record_status)
    finally:
        done(status, time.perf_counter() - started)
