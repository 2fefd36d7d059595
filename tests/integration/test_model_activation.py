"""Activating a model set through the API reaches a running Celery worker and a restarted API (real Redis)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.naver_server import FakeNaver
from tests.integration.apiserver import ROOT, ApiServer, run_api
from tests.integration.conftest import naver_env
from tests.integration.test_worker import WORKER_READY, run_celery, service_env, wait_for_log

pytestmark = [pytest.mark.integration, pytest.mark.slow]

KEY = "it-admin-key"
ADMIN = {"X-API-Key": KEY}
D = "/api/v1/dashboard"
S = "/api/v1/system"


def two_model_sets(root: Path) -> Path:
    """MODELS_DIR with the shipped `demo` set and `alt`, a copy of it under another name."""
    models = root / "models"
    for task in ("category", "sentiment"):
        shutil.copytree(ROOT / "models" / f"demo_{task}", models / f"demo_{task}")
        shutil.copytree(ROOT / "models" / f"demo_{task}", models / f"alt_{task}")
    return models


def finished_task(api: ApiServer, task_id: str, timeout: float = 60) -> dict[str, Any]:
    """The task's record once it is SUCCESS or FAILURE."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = httpx.get(f"{api.url}{D}/tasks/{task_id}", timeout=10).json()
        if body["state"] in ("SUCCESS", "FAILURE"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"task {task_id} unfinished after {timeout} s")


def model_name(api: ApiServer) -> str:
    """The model set the API process reports in health."""
    return str(httpx.get(f"{api.url}{S}/health", timeout=10).json()["ml"]["model_name"])


def test_a_running_worker_classifies_with_the_set_activated_through_the_api(
    redis_url: str, key_prefix: str, naver: FakeNaver, tmp_path: Path
) -> None:
    env = {
        **naver_env(naver),
        # REDIS_URL here, not run_api's redis_url: that one deletes the prefix (the recorded choice
        # included) when the first API stops; the key_prefix fixture cleans up at the end.
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": key_prefix,
        "ADMIN_API_KEY": KEY,
        "MODELS_DIR": str(two_model_sets(tmp_path)),
        "MODEL_NAME": "demo",
    }
    with run_celery("worker", service_env(redis_url, key_prefix, env), tmp_path) as worker:
        wait_for_log(worker, WORKER_READY)
        assert "local_model 'demo'" in worker.log()
        with run_api(env, tmp_path) as api:
            assert model_name(api) == "demo"
            response = httpx.post(f"{api.url}{S}/models/activate", json={"model_name": "alt"}, headers=ADMIN,
                                  timeout=60)
            assert response.status_code == 200, response.text
            assert response.json()["active"]["model_name"] == "alt"
            assert model_name(api) == "alt"

            triggered = httpx.post(f"{api.url}{D}/companies/삼성전자/trigger", headers=ADMIN, timeout=10)
            assert triggered.status_code == 202, triggered.text
            task = finished_task(api, triggered.json()["task_id"])
            assert task["state"] == "SUCCESS", (task, worker.log()[-3000:])
            assert task["result"]["model_name"] == "alt"
            assert task["result"]["ml_service_status"] == "local_model"
            latest = httpx.get(f"{api.url}{D}/companies/삼성전자/latest", timeout=10).json()
            assert latest["analysis_metadata"]["model_name"] == "alt"
            assert "following the deployment's model set 'alt' (was 'demo', MODEL_NAME 'demo')" in worker.log()
            status = httpx.get(f"{api.url}{D}/status", timeout=10).json()
            assert status["model"]["model_name"] == "alt"

        # A restarted API (still MODEL_NAME=demo) keeps the deployment's choice instead of reverting.
        with run_api(env, tmp_path) as restarted:
            assert model_name(restarted) == "alt"
