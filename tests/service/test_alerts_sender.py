"""The webhook sender over a mock transport: retries with backoff on transient failures, never raises."""

from __future__ import annotations

import json

import httpx

from app.adapters.webhook import WebhookSender

URL = "https://hooks.example.com/alert"


def sender(handler: httpx.MockTransport, attempts: int = 3) -> WebhookSender:
    return WebhookSender(timeout_seconds=1, max_attempts=attempts, backoff_seconds=0.01, transport=handler)


async def test_transient_failures_are_retried_until_the_receiver_accepts() -> None:
    seen: list[httpx.Request] = []
    answers = iter([httpx.Response(503), httpx.Response(429), httpx.Response(204)])

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return next(answers)

    report = await sender(httpx.MockTransport(handle)).deliver(URL, {"message": "삼성전자 부정"}, idempotency_key="k1")
    assert report.ok and report.attempts == 3 and report.status_code == 204 and report.error is None
    assert len(seen) == 3
    assert {r.headers["idempotency-key"] for r in seen} == {"k1"}
    assert seen[0].headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(seen[0].content) == {"message": "삼성전자 부정"}


async def test_a_receiver_that_keeps_failing_is_reported_after_the_last_attempt() -> None:
    calls = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(500)

    report = await sender(httpx.MockTransport(handle), attempts=4).deliver(URL, {}, idempotency_key="k")
    assert not report.ok and calls == 4 and report.attempts == 4 and report.status_code == 500
    assert report.error == "gave up after 4 attempts: HTTP 500"


async def test_connection_errors_are_retried_and_client_errors_are_not() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    report = await sender(httpx.MockTransport(refuse)).deliver(URL, {}, idempotency_key="k")
    assert not report.ok and report.attempts == 3 and report.status_code is None
    assert report.error == "gave up after 3 attempts: ConnectError: connection refused"

    calls = 0

    def reject(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(404)

    report = await sender(httpx.MockTransport(reject)).deliver(URL, {}, idempotency_key="k")
    assert not report.ok and calls == 1 and report.status_code == 404
    assert report.error == "receiver refused the alert: HTTP 404"


def test_worst_case_covers_every_timeout_and_wait() -> None:
    slow = WebhookSender(timeout_seconds=5, max_attempts=4, backoff_seconds=1)
    assert slow.worst_case_seconds == 4 * 5 + (1 + 2 + 4)
