"""Alert webhooks: one JSON POST per alert, retried with exponential backoff (httpx + tenacity)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import AsyncRetrying, RetryError, retry_if_exception, stop_after_attempt, wait_exponential

from app import __version__

# Worth another attempt: the receiver may be restarting or throttling us.
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_MAX_WAIT = 30.0


@dataclass(frozen=True)
class DeliveryReport:
    """How one webhook delivery went, after all attempts."""

    ok: bool
    attempts: int
    status_code: int | None
    error: str | None
    elapsed_ms: float


class _Retryable(Exception):
    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class _Final(Exception):
    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class WebhookSender:
    """POSTs alert payloads; transient failures (connection, timeout, 408/429/5xx) are retried."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        max_attempts: int,
        backoff_seconds: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self._timeout = timeout_seconds
        self._attempts = max_attempts
        self._backoff = backoff_seconds
        self._transport = transport

    @property
    def worst_case_seconds(self) -> float:
        """An upper bound of one delivery's duration (every attempt times out, every wait is full)."""
        waits = sum(min(self._backoff * 2**i, _MAX_WAIT) for i in range(self._attempts - 1))
        return self._attempts * self._timeout + waits

    async def deliver(self, url: str, payload: dict[str, Any], *, idempotency_key: str) -> DeliveryReport:
        """POST `payload` as JSON; never raises, the report says what happened."""
        started = time.perf_counter()
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"news-service/{__version__} (alert webhook)",
            "Idempotency-Key": idempotency_key,
        }
        attempts = 0
        status: int | None = None
        error: str | None = None
        ok = False
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(self._timeout), follow_redirects=False, transport=self._transport
        ) as client:

            async def attempt() -> int:
                nonlocal attempts
                attempts += 1
                try:
                    response = await client.post(url, content=body, headers=headers)
                except (httpx.TimeoutException, httpx.TransportError) as exc:
                    raise _Retryable(f"{type(exc).__name__}: {exc}".strip(": ")) from None
                if response.status_code in _RETRY_STATUS:
                    raise _Retryable(f"HTTP {response.status_code}", response.status_code)
                if response.status_code >= 300:
                    raise _Final(f"HTTP {response.status_code}", response.status_code)
                return response.status_code

            try:
                async for trial in AsyncRetrying(
                    stop=stop_after_attempt(self._attempts),
                    wait=wait_exponential(multiplier=self._backoff, min=self._backoff, max=_MAX_WAIT),
                    retry=retry_if_exception(lambda e: isinstance(e, _Retryable)),
                    reraise=False,
                ):
                    with trial:
                        status = await attempt()
                ok = True
            except RetryError as exc:
                last = exc.last_attempt.exception()
                status = getattr(last, "status_code", None)
                error = f"gave up after {attempts} attempts: {last}"
            except _Final as exc:
                status, error = exc.status_code, f"receiver refused the alert: {exc}"
        return DeliveryReport(
            ok=ok,
            attempts=attempts,
            status_code=status,
            error=error,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )
