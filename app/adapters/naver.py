"""Naver News Search API client: pagination, retries with backoff, error mapping, body limits."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_random_exponential

from app.adapters.press import press_name
from app.domain.models import Article, SortOrder, SourcePage, article_id
from app.domain.text import clean_text, parse_pub_date
from app.errors import AppError, InvalidInput, QuotaExhausted, UpstreamError, UpstreamUnavailable
from app.metrics import UPSTREAM
from app.settings import NaverSettings

logger = logging.getLogger(__name__)

KST = timezone(timedelta(hours=9), "KST")
PAGE_SIZE = 100
MAX_START = 1000
MAX_RESULTS = 1000
CREDENTIALS_REJECTED = (
    "Naver rejected the API credentials (check NAVER_CLIENT_ID/NAVER_CLIENT_SECRET and NAVER_API_PROVIDER)"
)
OUTAGE_RETRY_AFTER = 10  # seconds suggested to our clients after timeouts and connection failures
_CODE = re.compile(r"[A-Za-z0-9_]{1,16}")
_SPACE = re.compile(r"\s+")


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _http_url(value: Any) -> str:
    text = _str(value).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


def article_from_item(item: Mapping[str, Any]) -> Article | None:
    """One Naver-shaped item as a cleaned `Article`; None without a usable title or http(s) URL."""
    title = clean_text(_str(item.get("title")))
    link = _http_url(item.get("link"))
    url = _http_url(item.get("originallink")) or link
    if not title or not url:
        return None
    return Article(
        id=article_id(url),
        title=title,
        description=clean_text(_str(item.get("description"))),
        url=url,
        naver_url=link or url,
        published_date=parse_pub_date(_str(item.get("pubDate"))),
        news_source=press_name(url),
    )


def seconds_until_kst_midnight(now: datetime | None = None) -> int:
    """Seconds until the Naver daily quota resets (midnight KST), at least 1."""
    local = (now or datetime.now(UTC)).astimezone(KST)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, math.ceil((midnight - local).total_seconds()))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """A `Retry-After` header (seconds or HTTP date) as seconds from now; None when absent or invalid."""
    if not value or not value.strip():
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


class _Retryable(Exception):
    """A failed attempt worth repeating; carries the error to raise once attempts run out."""

    def __init__(self, error: AppError, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


class _BodyTooLarge(Exception):
    pass


class NaverClient:
    """`NewsSource` backed by the Naver News Search API, sharing the process-wide `httpx.AsyncClient`."""

    name = "naver"

    def __init__(
        self,
        settings: NaverSettings,
        http: httpx.AsyncClient,
        *,
        backoff_base: float = 0.5,
        backoff_max: float = 8.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._settings = settings
        self._http = http
        self._backoff = wait_random_exponential(multiplier=backoff_base, max=backoff_max)
        self._sleep = sleep
        self._quota_reset_at: datetime | None = None
        self.calls: Counter[str] = Counter()  # upstream calls by outcome: HTTP status, "timeout", …

    def _count(self, outcome: str) -> None:
        self.calls[outcome] += 1
        UPSTREAM.labels(outcome).inc()

    async def search(self, query: str, *, max_results: int, sort: SortOrder, offset: int = 0) -> SourcePage:
        """Up to `max_results` cleaned articles after `offset`, paging by 100 within one overall deadline."""
        if not query or not query.strip():
            raise InvalidInput("query must not be empty")
        if not 1 <= max_results <= MAX_RESULTS:
            raise InvalidInput(f"max_results must be between 1 and {MAX_RESULTS}")
        if sort not in ("sim", "date"):
            raise InvalidInput("sort must be 'sim' or 'date'")
        if not 0 <= offset < MAX_START:
            raise InvalidInput(f"offset must be between 0 and {MAX_START - 1}")
        if self._quota_reset_at is not None and datetime.now(UTC) < self._quota_reset_at:
            raise QuotaExhausted("Naver daily quota exhausted", retry_after=seconds_until_kst_midnight())
        budget = self._settings.deadline_seconds
        deadline_at = asyncio.get_running_loop().time() + budget
        try:
            async with asyncio.timeout(budget):
                return await self._search(query.strip(), max_results, sort, deadline_at, offset)
        except TimeoutError:
            self._count("deadline")
            logger.warning("Naver search gave up: overall deadline of %.1f s reached", budget)
            raise UpstreamUnavailable(
                f"Naver did not answer within the {budget:g} s deadline", retry_after=OUTAGE_RETRY_AFTER
            ) from None

    async def _search(self, query: str, max_results: int, sort: str, deadline_at: float,
                      offset: int = 0) -> SourcePage:
        articles: list[Article] = []
        total, received, start = 0, 0, offset + 1
        first = start
        while received < max_results and start <= MAX_START:
            display = min(PAGE_SIZE, max_results - received)
            params = {"query": query, "display": display, "start": start, "sort": sort}
            items, page_total = await self._fetch_page(params, deadline_at)
            if start == first:
                total = page_total
            received += len(items)
            articles.extend(a for a in map(_article_or_none, items) if a is not None)
            if len(items) < display:
                break
            start += display
            if start > total:
                break
        return SourcePage(total=total, items=articles[:max_results], read=received)

    async def _fetch_page(self, params: dict[str, Any], deadline_at: float) -> tuple[list[Any], int]:
        loop = asyncio.get_running_loop()

        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            hint = error.retry_after if isinstance(error, _Retryable) else None
            delay = hint if hint is not None else self._backoff(state)
            return max(0.0, min(delay, deadline_at - loop.time()))

        def stop(state: RetryCallState) -> bool:
            if state.attempt_number >= self._settings.max_attempts:
                return True
            error = state.outcome.exception() if state.outcome else None
            hint = error.retry_after if isinstance(error, _Retryable) else None
            # Give up now rather than sleep into the deadline and fail anyway.
            return max(hint or 0.0, state.upcoming_sleep) >= deadline_at - loop.time()

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Retryable), stop=stop, wait=wait, sleep=self._sleep, reraise=True
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(params, attempt.retry_state.attempt_number)
        except _Retryable as exc:
            raise exc.error from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _attempt(self, params: dict[str, Any], attempt: int) -> tuple[list[Any], int]:
        try:
            async with asyncio.timeout(self._settings.timeout_seconds):
                response, body = await self._get(params)
        except (TimeoutError, httpx.TimeoutException) as exc:
            self._count("timeout")
            self._failed(attempt, params, "timeout", None)
            raise _Retryable(
                UpstreamUnavailable(
                    f"Naver did not answer within {self._settings.timeout_seconds:g} s",
                    retry_after=OUTAGE_RETRY_AFTER,
                )
            ) from exc
        except httpx.TransportError as exc:
            self._count("network_error")
            self._failed(attempt, params, "network_error", type(exc).__name__)
            message = f"Could not reach Naver ({type(exc).__name__})"
            raise _Retryable(UpstreamUnavailable(message, retry_after=OUTAGE_RETRY_AFTER)) from exc
        except _BodyTooLarge:
            self._count("body_too_large")
            self._failed(attempt, params, "body_too_large", None)
            raise UpstreamError(
                f"Naver returned a body larger than {self._settings.max_body_bytes} bytes"
            ) from None
        status = response.status_code
        self._count(str(status))
        if status == 200:
            return self._items(body, attempt, params)
        code, message = self._error_fields(body)
        self._failed(attempt, params, str(status), code)
        if status in (401, 403):
            raise UpstreamError(f"{CREDENTIALS_REJECTED} [Naver error {code}]")
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if status == 429 and code == "010":
            wait = seconds_until_kst_midnight()
            self._quota_reset_at = datetime.now(UTC) + timedelta(seconds=wait)
            raise QuotaExhausted("Naver daily quota exhausted", retry_after=wait)
        if status == 429:
            hint = max(1, math.ceil(retry_after or 1))
            raise _Retryable(
                UpstreamUnavailable(f"Naver is throttling requests (error {code})", retry_after=hint),
                retry_after,
            )
        if status >= 500:
            # A server error is transient: tell our clients when to come back (DESIGN: 502 with Retry-After).
            hint = max(1, math.ceil(retry_after)) if retry_after else OUTAGE_RETRY_AFTER
            error = UpstreamError(f"Naver server error {status} ({code}: {message})", retry_after=hint)
            raise _Retryable(error, retry_after)
        if status in (400, 404) or code.startswith("SE"):
            raise UpstreamError(f"Naver refused the query: {code} {message}")
        raise UpstreamError(f"Naver answered with unexpected status {status} ({code})")

    async def _get(self, params: dict[str, Any]) -> tuple[httpx.Response, bytes]:
        limit = self._settings.max_body_bytes
        async with self._http.stream(
            "GET",
            self._settings.api_url,
            params=params,
            headers=self._headers(),
            timeout=self._settings.timeout_seconds,
        ) as response:
            declared = response.headers.get("content-length", "")
            if declared.strip().isdigit() and int(declared) > limit:
                raise _BodyTooLarge
            body = bytearray()
            # Decoded bytes are counted, so a compressed bomb is stopped too.
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    raise _BodyTooLarge
        return response, bytes(body)

    def _items(self, body: bytes, attempt: int, params: dict[str, Any]) -> tuple[list[Any], int]:
        try:
            data = json.loads(body)
        except ValueError:
            self._failed(attempt, params, "200", "invalid_json")
            raise UpstreamError("Naver returned a body that is not JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            self._failed(attempt, params, "200", "no_items")
            raise UpstreamError("Naver returned a response without an items list")
        items: list[Any] = data["items"]
        total = data.get("total")
        if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
            return items, total
        return items, len(items)

    def _headers(self) -> dict[str, str]:
        client_id = self._settings.client_id.get_secret_value()
        secret = self._settings.client_secret.get_secret_value()
        if self._settings.api_provider == "apihub":
            pair = {"X-NCP-APIGW-API-KEY-ID": client_id, "X-NCP-APIGW-API-KEY": secret}
        else:
            pair = {"X-Naver-Client-Id": client_id, "X-Naver-Client-Secret": secret}
        return {**pair, "Accept": "application/json"}

    def _error_fields(self, body: bytes) -> tuple[str, str]:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return "unknown", "no error details"
        code = str(data.get("errorCode", ""))
        message = _SPACE.sub(" ", str(data.get("errorMessage", ""))).strip()[:200]
        return (code if _CODE.fullmatch(code) else "unknown"), self._redact(message) or "no message"

    def _redact(self, text: str) -> str:
        # An upstream (or a misconfigured proxy) could echo what we sent; never pass credentials on.
        for secret in (self._settings.client_id, self._settings.client_secret):
            value = secret.get_secret_value()
            if value:
                text = text.replace(value, "***")
        return text

    def _failed(self, attempt: int, params: dict[str, Any], outcome: str, code: str | None) -> None:
        logger.warning(
            "Naver attempt %d/%d failed (start=%s): status=%s code=%s",
            attempt, self._settings.max_attempts, params.get("start"), outcome, code or "-",
        )


def _article_or_none(item: Any) -> Article | None:
    return article_from_item(item) if isinstance(item, Mapping) else None
