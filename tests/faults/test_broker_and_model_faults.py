"""Celery broker down (trigger 503 within 2 s, nothing left pending) and a corrupt model set (keyword fallback).

A worker killed mid-task is covered by tests/integration/test_worker.py (kill -9, redelivery, one record).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from tests.faults.conftest import ADMIN_HEADERS, RedisServer, api_env
from tests.integration.apiserver import ROOT, free_port, run_api
from tests.ml_fixtures import build_model_set

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TRIGGER = "/api/v1/dashboard/companies/삼성전자/trigger"


def test_broker_down_trigger_answers_503_within_2_s_and_leaves_nothing_pending(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    broker = RedisServer(tmp_path, port=free_port())  # not started yet: the broker is down
    env = api_env(REDIS_URL=redis_server.url(), CELERY_BROKER_URL=broker.url())
    try:
        with run_api(env, tmp_path) as api:
            with httpx.Client(base_url=api.url, timeout=2) as bounded:  # a bound: ReadTimeout fails the test
                refused = bounded.post(TRIGGER, headers=ADMIN_HEADERS)
                assert refused.status_code == 503, refused.text
                assert refused.json()["error"] == "UpstreamUnavailable"
                assert "Celery broker" in refused.json()["detail"]
                assert int(refused.headers["Retry-After"]) >= 1
                # Searches do not need the broker.
                assert bounded.post("/api/v1/search/companies/삼성전자").status_code == 200

            broker.start()  # the broker comes back on the same address
            with httpx.Client(base_url=api.url, timeout=10) as client:
                accepted = client.post(TRIGGER, headers=ADMIN_HEADERS)
                assert accepted.status_code == 202, accepted.text
                # The failed publish released the company's slot: this is a new task, not a duplicate of it.
                assert accepted.json()["deduplicated"] is False
                task = client.get(accepted.json()["status_url"])
                assert task.status_code == 200 and task.json()["state"] == "PENDING"
                again = client.post(TRIGGER, headers=ADMIN_HEADERS)
                assert again.json()["deduplicated"] is True
                assert again.json()["task_id"] == accepted.json()["task_id"]
        assert "could not publish task" in api.log()
    finally:
        broker.stop()


def corrupt_model_set(models_dir: Path) -> str:
    """The shipped demo set when there is one (else tiny ones), with a garbage category weights file."""
    shipped = [ROOT / "models" / f"demo_{kind}" for kind in ("category", "sentiment")]
    if all((path / "config.json").exists() for path in shipped):
        for path in shipped:
            shutil.copytree(path, models_dir / path.name)
        name = "demo"
    else:
        build_model_set(models_dir, "tiny")
        name = "tiny"
    weights = models_dir / f"{name}_category" / "model.safetensors"
    assert weights.exists()
    weights.write_bytes(b"\x00garbage, not a safetensors file\xff" * 1000)
    return name


def test_a_corrupt_model_set_starts_on_the_keyword_fallback_and_says_why(tmp_path: Path) -> None:
    models = tmp_path / "models"
    name = corrupt_model_set(models)
    env = {**api_env(MODELS_DIR=str(models)), "MODEL_NAME": name}
    with run_api(env, tmp_path) as api, httpx.Client(base_url=api.url, timeout=30) as client:
        health = client.get("/api/v1/system/health").json()
        analysis = client.post("/api/v1/search/companies/삼성전자/analyze", json={"max_results": 10})
        assert analysis.status_code == 200, analysis.text
        meta = analysis.json()["analysis_metadata"]
    assert health["status"] == "degraded"
    assert health["ml"]["ml_service_status"] == "keyword_fallback"
    assert f"{name}_category" in health["ml"]["reason"] and "corrupt" in health["ml"]["reason"]
    assert meta["ml_service_status"] == "keyword_fallback" and meta["analyzed_count"] > 0
    log = api.log()
    assert "using keyword fallback" in log and "Traceback" not in log
