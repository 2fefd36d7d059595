"""Property-based API fuzzing: every operation of the OpenAPI schema, valid and invalid inputs.

Schemathesis generates requests from `/openapi.json` and sends them to the app in-process (ASGI,
embedded mode, admin key sent, rate limits off). Checks: no 5xx, responses match their declared
schema, and every status code is declared. Failures are collected (no shrinking) and reported together.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from app.container import ROUTER_MODULES
from app.main import create_app
from tests.conftest import embedded_settings

ADMIN = "fuzz-admin-key-123"
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}  # per operation
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture(scope="module")
def fuzz_app() -> Iterator[Any]:
    app = create_app(embedded_settings(api={"admin_api_key": ADMIN}))
    yield app
    from schemathesis.python.asgi import shutdown_lifespans

    shutdown_lifespans()  # schemathesis started the app's lifespan; stop its inference thread and clients


def _operations(schema: Any) -> list[Any]:
    return [
        result.ok()
        for result in schema.get_all_operations()
        if isinstance(result, Ok)
    ]


def _fuzz(operation: Any, mode: GenerationMode, failures: dict[str, str]) -> int:
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        try:
            case.call_and_validate(headers={"X-API-Key": ADMIN}, checks=CHECKS, timeout=30)
        except FailureGroup as group:
            for failure in group.exceptions:
                key = f"{operation.label} [{mode.value}]: {failure.title}"
                failures.setdefault(key, str(group)[:1500])
        except Exception as exc:  # a crash of the client or the app itself
            failures.setdefault(f"{operation.label} [{mode.value}]: {type(exc).__name__}", repr(exc)[:1500])

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to make invalid (no inputs)
    return sent


# schemathesis draws from `random` inside its strategies; hypothesis warns about that, harmlessly here.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
def test_every_operation_survives_generated_input(fuzz_app: Any) -> None:
    fuzz_app.state.container.wire(modules=ROUTER_MODULES)  # another app in this process may have re-wired
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = _operations(schema)
    assert len(operations) >= 20, [op.label for op in operations]
    failures: dict[str, str] = {}
    started, sent = time.monotonic(), 0
    for operation in operations:
        for mode in EXAMPLES:
            sent += _fuzz(operation, mode, failures)
    assert sent > len(operations) * 5
    report = "\n".join(failures) + "\n\n" + "\n\n".join(list(failures.values())[:10])
    assert not failures, f"{len(failures)} distinct failures in {sent} requests:\n{report}"
    assert time.monotonic() - started < 300, "keep the fuzzing bounded: fewer examples per operation"


def test_hostile_input_gets_a_clear_4xx_never_a_5xx() -> None:
    from fastapi.testclient import TestClient

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while streaming
        yield b'{"query": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    news, company = "/api/v1/search/news", "/api/v1/search/companies/"
    with TestClient(create_app(embedded_settings(api={"max_body_bytes": 65536}))) as client:
        cases = {
            "control character": (client.post(news, json={"query": "삼성\x00전자"}), 422),
            "invisible character": (client.post(news, json={"query": "삼성\u200b전자"}), 422),
            "unknown field": (client.post(news, json={"query": "삼성전자", "maxResults": 5}), 422),
            "out of range": (client.post(news, json={"query": "삼성전자", "max_results": 5000}), 422),
            "not JSON": (client.post(news, content=b"{query:", headers={"Content-Type": "application/json"}), 400),
            "not UTF-8": (client.post(news, content=b'{"query": "\xff\xfe"}',
                                      headers={"Content-Type": "application/json"}), 400),
            "streamed, too large": (client.post(news, content=chunks(),
                                                headers={"Content-Type": "application/json"}), 413),
            "path too long": (client.post(company + "가" * 201), 422),
            "path blank": (client.post(company + "%20%20"), 422),
        }
    for name, (response, status) in cases.items():
        assert response.status_code == status, (name, response.status_code, response.text)
        assert set(response.json()) == {"error", "detail"}, name
