"""One request id from the client, through the API, onto the worker's log lines for the task it queued."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.faults.conftest import ADMIN_HEADERS, RedisServer, api_env
from tests.integration.apiserver import run_api
from tests.integration.test_worker import WORKER_READY, run_celery, service_env, wait_for_log

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def json_lines(text: str) -> list[dict[str, object]]:
    records = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    return records


def test_a_triggered_task_logs_under_the_request_id_that_queued_it(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    prefix = f"trace-{uuid.uuid4().hex[:8]}"
    common = {"REDIS_KEY_PREFIX": prefix, "LOG_FORMAT": "json"}
    api_settings = api_env(REDIS_URL=redis_server.url(), **common)
    worker_env = service_env(
        redis_server.url(), prefix, {"NEWS_SOURCE": "archive", "MODEL_NAME": "missing-on-purpose", **common}
    )
    request_id = f"trace-{uuid.uuid4().hex[:12]}"
    with run_api(api_settings, tmp_path) as api, run_celery("worker", worker_env, tmp_path) as worker:
        wait_for_log(worker, WORKER_READY)
        with httpx.Client(base_url=api.url, timeout=10) as client:
            queued = client.post(
                "/api/v1/dashboard/companies/삼성전자/trigger",
                headers={**ADMIN_HEADERS, "X-Request-ID": request_id},
            )
            assert queued.status_code == 202, queued.text
            assert queued.headers["X-Request-ID"] == request_id
            deadline = time.monotonic() + 60
            while (state := client.get(queued.json()["status_url"]).json()["state"]) != "SUCCESS":
                assert state != "FAILURE" and time.monotonic() < deadline, (state, worker.log()[-2000:])
                time.sleep(0.2)
        records = json_lines(worker.log())
    traced = [r for r in records if r.get("request_id") == request_id]
    assert traced, worker.log()[-3000:]
    assert all(r.get("request_id") != request_id for r in records if "ready" in str(r.get("message")))
