"""Pure ASGI middleware (no per-request task overhead on the cache-hit path)."""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.request_context import run_timed

access_log = logging.getLogger("app.access")


class AccessLog:
    """One log line per request: method, path, status and duration; the request id comes with every record."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not access_log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        await run_timed(self.app, scope, receive, send, lambda status, seconds: _log(scope, status, seconds))


def _log(scope: Scope, status: int, seconds: float) -> None:
    duration_ms = round(seconds * 1000, 2)
    method, path = scope["method"], scope["path"]
    fields = {"method": method, "path": path, "status": status, "duration_ms": duration_ms}
    # The path is percent-decoded: escape what could forge a second line in console logs.
    shown = path if path.isprintable() else path.encode("unicode_escape").decode("ascii")
    access_log.info("%s %s %d %.1f ms", method, shown, status, duration_ms, extra=fields)


class BodySizeLimit:
    """Refuse request bodies above a byte limit with 413, whether declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return

        received = 0
        responded = refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Answer here: frameworks turn an exception from `receive` into their own 400.
                    if not responded and not refused:
                        refused = True
                        await _too_large(send, self.max_bytes)
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal responded
            if refused:
                return  # the 413 went out; drop what the app answers to the body it could not read
            responded = True
            await send(message)

        # Answered with 413 in `limited_receive` (unless the app had already started its response).
        with contextlib.suppress(_TooLarge):
            await self.app(scope, limited_receive, tracking_send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body: dict[str, Any] = {"error": "PayloadTooLarge", "detail": f"request body exceeds {limit} bytes"}
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
