"""Alert webhooks against a real HTTP receiver on 127.0.0.1: once per firing, retries, failures visible.

Three ways a refresh finishes: the job run twice in-process on the real Redis (a redelivered Celery task),
the embedded runner inside a real API process, and a real Celery worker.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.container import create_container, resolve
from app.services.alert_rules import NegativeShareRule
from app.services.alerts import AlertService
from app.services.jobs import AnalysisJobs
from app.settings import AlertSettings, RedisSettings
from tests.conftest import embedded_settings
from tests.integration.apiserver import ApiServer, delete_prefix, run_api
from tests.integration.test_worker import WORKER_READY, run_celery, service_env, wait_for_log

pytestmark = [pytest.mark.integration, pytest.mark.slow]

D = "/api/v1/dashboard"
KEY = "webhook-test-key"
ADMIN = {"X-API-Key": KEY}
# Every company in the archive has negative articles somewhere: a zero threshold over all categories fires.
FIRE_ALWAYS = {"type": "negative_share", "categories": ["E", "S", "G", "기타"], "threshold": 0.0}


@dataclass
class Receiver:
    """A webhook receiver: `/ok` answers 200, `/fail` 500, `/flaky` 503 once per alert and then 200."""

    server: ThreadingHTTPServer
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def on(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == path]

    def wait_for(self, path: str, count: int, timeout: float = 60) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.on(path)) >= count:
                return self.on(path)
            time.sleep(0.05)
        raise AssertionError(f"{path}: {len(self.on(path))} requests, expected {count}")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    requests: list[dict[str, Any]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with lock:
                requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                seen = sum(1 for r in requests if r["path"] == self.path
                           and r["body"]["alert_id"] == body["alert_id"])
            status = {"/ok": 200, "/fail": 500}.get(self.path, 503 if seen == 1 else 200)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(server, requests)
    finally:
        server.shutdown()
        server.server_close()


def alert_env(receiver: Receiver) -> dict[str, str]:
    return {
        "NEWS_SOURCE": "archive",
        "ADMIN_API_KEY": KEY,
        "ALERT_WEBHOOK_URL": f"{receiver.url}/ok",
        "ALERT_WEBHOOK_MAX_ATTEMPTS": "3",
        "ALERT_WEBHOOK_BACKOFF_SECONDS": "0.05",
        "MODEL_NAME": "missing-in-tests",  # keyword fallback: fast start, same alert path
    }


def put_rules(api: ApiServer, company: str, rules: list[dict[str, Any]]) -> None:
    response = httpx.put(f"{api.url}{D}/companies/{company}/alerts", headers=ADMIN, json={"rules": rules},
                         timeout=10)
    assert response.status_code == 200, response.text


def refresh(api: ApiServer, company: str) -> dict[str, Any]:
    response = httpx.post(f"{api.url}{D}/companies/{company}/trigger", headers=ADMIN, json={"max_results": 20},
                          timeout=10)
    assert response.status_code == 202, response.text
    task_id = response.json()["task_id"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        task = httpx.get(f"{api.url}{D}/tasks/{task_id}", timeout=10).json()
        if task["state"] in ("SUCCESS", "FAILURE"):
            assert task["state"] == "SUCCESS", task
            return dict(task)
        time.sleep(0.1)
    raise AssertionError(f"task {task_id} did not finish")


def deliveries(api: ApiServer, count: int = 0, **params: Any) -> list[dict[str, Any]]:
    """Recorded deliveries, waiting until at least `count` are there (they are recorded after the POST)."""
    deadline = time.monotonic() + 30
    while True:
        body = httpx.get(f"{api.url}{D}/alerts/deliveries", params=params, timeout=10).json()
        if len(body["deliveries"]) >= count or time.monotonic() > deadline:
            return list(body["deliveries"])
        time.sleep(0.05)


# -- a redelivered task on the real Redis --------------------------------------------------------------


@dataclass
class InProcess:
    alerts: AlertService
    jobs: AnalysisJobs


@pytest.fixture
async def in_process(redis_url: str, key_prefix: str, receiver: Receiver) -> AsyncIterator[InProcess]:
    settings = embedded_settings().model_copy(update={
        "redis": RedisSettings(_env_file=None, url=redis_url, key_prefix=key_prefix),
        "alerts": AlertSettings(_env_file=None, webhook_url=SecretStr(f"{receiver.url}/ok"),
                                webhook_max_attempts=3, webhook_backoff_seconds=0.05),
    })
    container = create_container(settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        yield InProcess(await resolve(container.alert_service), await resolve(container.jobs))
    finally:
        container.classifier().close()
        await container.shutdown_resources()  # type: ignore[misc]


async def test_a_task_that_runs_twice_with_the_same_record_id_alerts_once(
    in_process: InProcess, receiver: Receiver
) -> None:
    await in_process.alerts.set_rules("삼성전자", [NegativeShareRule.model_validate(FIRE_ALWAYS)])
    task_id = str(uuid.uuid4())
    await in_process.jobs.run(task_id, "삼성전자", 20)
    await in_process.jobs.run(task_id, "삼성전자", 20)  # the broker delivered it again
    assert len(receiver.on("/ok")) == 1
    alert = receiver.on("/ok")[0]
    assert alert["body"]["record_id"] == task_id and alert["body"]["company"] == "삼성전자"
    assert alert["headers"]["Idempotency-Key"] == alert["body"]["alert_id"]
    assert alert["body"]["details"]["negatives"] >= 1 and alert["body"]["articles"]

    await in_process.jobs.run(str(uuid.uuid4()), "삼성전자", 20)  # a new refresh is a new firing
    assert len(receiver.on("/ok")) == 2
    recorded = (await in_process.alerts.deliveries(10)).deliveries
    assert [d.status for d in recorded] == ["sent", "sent"] and recorded[1].record_id == task_id


# -- the embedded runner inside a real API process -----------------------------------------------------


def test_embedded_refreshes_alert_once_retry_and_record_failures(receiver: Receiver, tmp_path: Path) -> None:
    with run_api(alert_env(receiver), tmp_path) as api:
        put_rules(api, "삼성전자", [FIRE_ALWAYS])
        put_rules(api, "LG전자", [{**FIRE_ALWAYS, "webhook_url": f"{receiver.url}/fail"}])
        put_rules(api, "SK하이닉스", [{**FIRE_ALWAYS, "webhook_url": f"{receiver.url}/flaky"}])

        first = refresh(api, "삼성전자")
        assert len(receiver.wait_for("/ok", 1)) == 1
        assert receiver.on("/ok")[0]["body"]["record_id"] == first["task_id"]

        refresh(api, "LG전자")
        attempts = receiver.wait_for("/fail", 3)
        assert len({a["body"]["alert_id"] for a in attempts}) == 1  # three attempts of one alert
        refresh(api, "SK하이닉스")
        assert len(receiver.wait_for("/flaky", 2)) == 2  # 503, then accepted on the retry

        time.sleep(0.5)  # nothing else may arrive
        assert (len(receiver.on("/ok")), len(receiver.on("/fail")), len(receiver.on("/flaky"))) == (1, 3, 2)
        recorded = {d["company"]: d for d in deliveries(api, 3)}
        failed = recorded["LG전자"]
        assert failed["status"] == "failed" and failed["attempts"] == 3 and failed["http_status"] == 500
        assert failed["target"] == receiver.url  # scheme, host and port: never the path
        assert recorded["SK하이닉스"]["status"] == "sent" and recorded["SK하이닉스"]["attempts"] == 2
        assert recorded["삼성전자"]["status"] == "sent"
        overview = httpx.get(f"{api.url}{D}/alerts", timeout=10).json()
        assert overview["recent"] == {"count": 3, "sent": 2, "failed": 1}
        assert overview["last_failure"]["company"] == "LG전자"
        assert [d["company"] for d in deliveries(api, status="failed")] == ["LG전자"]


# -- a real Celery worker -------------------------------------------------------------------------------


def test_celery_refresh_alerts_once(redis_url: str, receiver: Receiver, tmp_path: Path) -> None:
    prefix = f"it-{uuid.uuid4().hex[:8]}"
    env = {**alert_env(receiver), "REDIS_KEY_PREFIX": prefix}
    try:
        with run_celery("worker", service_env(redis_url, prefix, env), tmp_path) as worker, run_api(
            env, tmp_path, redis_url=redis_url
        ) as api:
            wait_for_log(worker, WORKER_READY)
            put_rules(api, "삼성전자", [FIRE_ALWAYS])
            task = refresh(api, "삼성전자")
            alerts = receiver.wait_for("/ok", 1)
            assert alerts[0]["body"]["record_id"] == task["task_id"]
            time.sleep(0.5)
            assert len(receiver.on("/ok")) == 1
            assert [d["status"] for d in deliveries(api, 1)] == ["sent"]
    finally:
        delete_prefix(redis_url, prefix)
