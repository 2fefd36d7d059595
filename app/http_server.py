"""uvicorn's httptools protocol with limits on a request's head, enforced as it arrives, before any app work.

httptools has no limit of its own: a 50 MB header was read, concatenated chunk by chunk (quadratic copying
that held the event loop for seconds) and handed to the app. Here a request whose target, header count or
header bytes exceed the limits is answered 414 or 431 in the service's error shape as soon as the excess is
seen, and at most one read (256 KiB) past the limit is ever held.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from app.settings import ApiSettings

log = logging.getLogger(__name__)
# After a refusal the connection is closed once the client has stopped sending or these are reached: closing
# with unread data makes the kernel reset the connection, and clients then never read the answer.
_DRAIN_BYTES = 1 << 20
_DRAIN_SECONDS = 2.0


@dataclass(frozen=True)
class HeadLimits:
    """The most of a request's head the server reads: target bytes, header count, header bytes."""

    url_bytes: int
    header_count: int
    header_bytes: int

    @classmethod
    def from_settings(cls, api: ApiSettings) -> HeadLimits:
        """MAX_URL_BYTES, MAX_HEADER_COUNT and MAX_HEADER_BYTES."""
        return cls(api.max_url_bytes, api.max_header_count, api.max_header_bytes)

    @property
    def wire_bytes(self) -> int:
        """The most a head within the limits takes on the wire: method, version, ': ' and CRLF per header."""
        return self.url_bytes + self.header_bytes + 4 * self.header_count + 64


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that refuses oversized heads; uvicorn gets it as `http=partial(cls, limits=...)`."""

    def __init__(self, *args: Any, limits: HeadLimits, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._in_head = True  # between requests or inside a head; False while a body arrives
        self._message_ended = False  # a request ended within the chunk being parsed
        self._head_wire = self._url = self._header_count = self._header_bytes = 0
        self._refusal: tuple[int, str, str, str] | None = None  # status, error, detail, the setting
        self._drained: int | None = None  # bytes read and dropped since the refusal went out

    def data_received(self, data: bytes) -> None:
        """Parse as uvicorn does, counting the head's bytes on the wire; refuse once a limit is passed."""
        if self._drained is not None:
            self._drained += len(data)
            if self._drained > _DRAIN_BYTES:
                self.transport.close()
            return
        in_head, self._message_ended = self._in_head, False
        super().data_received(data)
        if self._refusal is None and self._in_head and not self.transport.is_closing():
            # A request that ended within this chunk leaves the next one's start uncounted (at most one read).
            self._head_wire = 0 if self._message_ended or not in_head else self._head_wire + len(data)
            if self._head_wire > self.limits.wire_bytes:
                self._refuse_header_bytes()
        if self._refusal is not None and self._drained is None:
            self._send_refusal()

    def on_message_begin(self) -> None:
        """Start counting a new request's head."""
        super().on_message_begin()
        self._url = self._header_count = self._header_bytes = 0

    def on_url(self, url: bytes) -> None:
        """Count the target (llhttp hands it over in pieces as they arrive)."""
        self._url += len(url)
        if self._url > self.limits.url_bytes and self._refusal is None:
            detail = f"request target exceeds {self.limits.url_bytes} bytes"
            self._refusal = (414, "URITooLong", detail, "MAX_URL_BYTES")
        if self._refusal is None:
            super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Count headers and their bytes."""
        self._header_count += 1
        self._header_bytes += len(name) + len(value)
        if self._header_count > self.limits.header_count:
            self._refuse_headers(f"more than {self.limits.header_count} request headers", "MAX_HEADER_COUNT")
        elif self._header_bytes > self.limits.header_bytes:
            self._refuse_header_bytes()
        if self._refusal is None:
            super().on_header(name, value)

    def on_headers_complete(self) -> None:
        """Hand the request to the app unless it was refused."""
        self._in_head = False
        if self._refusal is None:
            super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        """Body bytes of a refused request go nowhere."""
        if self._refusal is None:
            super().on_body(body)

    def on_message_complete(self) -> None:
        """The next bytes start a new head."""
        self._in_head, self._message_ended, self._head_wire = True, True, 0
        if self._refusal is None:
            super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to unparsable requests, in the service's error shape."""
        if self._refusal is None:
            self._refusal = (400, "BadRequest", msg, "")
        self._send_refusal()

    def _refuse_headers(self, detail: str, setting: str) -> None:
        self._refusal = self._refusal or (431, "RequestHeaderFieldsTooLarge", detail, setting)

    def _refuse_header_bytes(self) -> None:
        self._refuse_headers(f"request headers exceed {self.limits.header_bytes} bytes", "MAX_HEADER_BYTES")

    def _send_refusal(self) -> None:
        assert self._refusal is not None
        status, error, detail, setting = self._refusal
        self._drained = 0
        if self.transport.is_closing():
            return
        if status != 400:  # uvicorn has logged those already
            client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
            log.warning("%d %s for %s: %s (%s)", status, error, client, detail, setting)
        if self.cycle is not None and not self.cycle.response_complete:
            # An earlier request's answer is still being written here: a second one would interleave with it.
            self.transport.close()
            return
        body = json.dumps({"error": error, "detail": detail}).encode()
        head = [STATUS_LINE[status], *(b"%s: %s\r\n" % pair for pair in self.server_state.default_headers)]
        head.append(b"content-type: application/json\r\nconnection: close\r\n")
        head.append(b"content-length: %d\r\n\r\n" % len(body))
        self.transport.write(b"".join(head) + body)
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self.loop.call_later(_DRAIN_SECONDS, self.transport.close)
        else:
            self.transport.close()
