"""The OpenAPI schema is the contract: schemathesis with every check finds nothing, valid or invalid input.

Schemathesis runs its own phases (examples, coverage, fuzzing, stateful) against the app in-process
(ASGI, embedded mode, admin key sent, rate limits off) with every check enabled: no 5xx, responses,
status codes, content types and headers as declared, schema-valid requests accepted and invalid ones
refused, auth enforced, 405 with a true `Allow`. A fixed seed and a bounded number of examples per
operation keep it deterministic and short; every finding is reported with a curl line to reproduce it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.engine import events, from_schema

from app.main import create_app
from app.settings import DEFAULT_ARCHIVE
from tests.conftest import embedded_settings

ADMIN = "fuzz-admin-key-123"
ARCHIVE_LINES = 150
CONFIG: dict[str, Any] = {
    "seed": 20261207,
    "headers": {"X-API-Key": ADMIN},
    "request-timeout": 120,  # the default (10 s) would turn an analysis on 2 busy cores into a finding
    # Every check. `max_response_time` stays off (it needs a limit; timings belong in bench/), and
    # `object_level_authorization` has nothing to compare with one identity: both are then no-ops.
    "checks": {"enabled": True},
    "generation": {"mode": "all", "max-examples": 30, "deterministic": True, "database": "none"},
}
EXPECTED_PHASES = {"examples", "coverage", "fuzzing"}


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # A slice of the archive: "0" or "a" as a company with max_results=1000 (the coverage phase's boundary
    # cases) would otherwise fold a thousand stories per request; the contract does not depend on the size.
    archive = tmp_path_factory.mktemp("fuzz") / "archive.jsonl"
    lines = DEFAULT_ARCHIVE.read_text(encoding="utf-8").splitlines(keepends=True)[:ARCHIVE_LINES]
    archive.write_text("".join(lines), encoding="utf-8")
    settings = embedded_settings(api={"admin_api_key": ADMIN})
    settings.news.archive_path = Path(archive)
    app = create_app(settings)
    yield app
    from schemathesis.python.asgi import shutdown_lifespans

    shutdown_lifespans()  # schemathesis started the app's lifespan; stop its inference thread and clients


def _run(app: Any) -> tuple[dict[str, str], int, set[str], set[str]]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=schemathesis.Config.from_dict(CONFIG))
    findings: dict[str, str] = {}
    cases, operations, phases = 0, set(), set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            cases += len(event.recorder.cases)
            phases.add(event.phase.value)
            if event.phase.value != "stateful":
                operations.add(event.recorder.label)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        key = f"{event.recorder.label} [{event.phase.value}] {check.name}: {failure.title}"
                        findings.setdefault(key, f"{failure.message}\n{check.failure_info.code_sample}")
        elif isinstance(event, events.NonFatalError):
            findings.setdefault(f"{event.label}: error {type(event.value).__name__}", repr(event.value))
        elif isinstance(event, events.FatalError):
            findings.setdefault(f"fatal {type(event.exception).__name__}", repr(event.exception))
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                findings.setdefault(f"after the run: {failure.title}", failure.message)
    return findings, cases, operations, phases


# schemathesis draws from `random` inside its strategies; hypothesis warns about that, harmlessly here.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
def test_schemathesis_with_every_check_finds_nothing(fuzz_app: Any) -> None:
    started = time.monotonic()
    findings, cases, operations, phases = _run(fuzz_app)
    report = "\n\n".join(f"{title}\n{detail[:1500]}" for title, detail in list(findings.items())[:15])
    assert not findings, f"{len(findings)} findings in {cases} requests:\n\n{report}"
    assert len(operations) >= 30 and phases >= EXPECTED_PHASES, (sorted(operations), phases)
    assert cases > len(operations) * 15
    assert time.monotonic() - started < 300, "keep the fuzzing bounded: fewer examples per operation"


def test_hostile_input_gets_a_clear_4xx_never_a_5xx() -> None:
    from fastapi.testclient import TestClient

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while streaming
        yield b'{"query": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    news, company = "/api/v1/search/news", "/api/v1/search/companies/"
    json_type = {"Content-Type": "application/json"}
    with TestClient(create_app(embedded_settings(api={"max_body_bytes": 65536}))) as client:
        cases = {
            "control character": (client.post(news, json={"query": "삼성\x00전자"}), 422),
            "invisible character": (client.post(news, json={"query": "삼성\u200b전자"}), 422),
            "lone surrogate": (client.post(news, content=b'{"query": "\\ud800"}', headers=json_type), 422),
            "unknown field": (client.post(news, json={"query": "삼성전자", "maxResults": 5}), 422),
            "out of range": (client.post(news, json={"query": "삼성전자", "max_results": 5000}), 422),
            "number as a string": (client.post(news, json={"query": "삼성전자", "max_results": "5"}), 422),
            "not JSON": (client.post(news, content=b"{query:", headers=json_type), 400),
            "not UTF-8": (client.post(news, content=b'{"query": "\xff\xfe"}', headers=json_type), 400),
            "not a JSON media type": (client.post(news, content=b'{"query": "a"}',
                                                  headers={"Content-Type": "text/plain"}), 415),
            "streamed, too large": (client.post(news, content=chunks(), headers=json_type), 413),
            "path too long": (client.post(company + "가" * 101), 422),
            "path blank": (client.post(company + "%20%20"), 422),
        }
    for name, (response, status) in cases.items():
        assert response.status_code == status, (name, response.status_code, response.text)
        assert set(response.json()) == {"error", "detail"}, name
