"""Embedded mode across a restart of a real `news-service serve`: records stay, caches go."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.integration.apiserver import run_api

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ADMIN = "restart-admin-key"
A = "/api/v1"


def test_history_watch_list_rules_and_labels_survive_a_restart(tmp_path: Path) -> None:
    env = {
        "NEWS_SOURCE": "archive", "ADMIN_API_KEY": ADMIN, "MODEL_NAME": "missing-on-purpose",
        "MONITORED_COMPANIES": "삼성전자,LG전자", "EMBEDDED_DATA_DIR": str(tmp_path / "data"),
        "ALERT_WEBHOOK_URL": "http://127.0.0.1:9/hook", "REDIS_KEY_PREFIX": "restart",
    }
    admin = {"X-API-Key": ADMIN}
    with run_api(env, tmp_path) as api, httpx.Client(base_url=api.url, timeout=60) as client:
        analysis = client.post(f"{A}/search/companies/삼성전자/analyze", json={"max_results": 10}).json()
        article = analysis["analyzed_news"][0]
        assert client.delete(f"{A}/dashboard/companies/LG전자", headers=admin).status_code == 200
        assert client.put(f"{A}/dashboard/companies/SK하이닉스", headers=admin).status_code == 200
        rules = {"rules": [{"type": "negative_share", "threshold": 0.4}]}
        assert client.put(f"{A}/dashboard/companies/삼성전자/alerts", json=rules, headers=admin).status_code == 200
        label = {"category": "G", "sentiment": "부정", "company": "삼성전자"}
        assert client.post(f"{A}/dashboard/articles/{article['id']}/label", json=label, headers=admin).status_code == 200
        before = client.get(f"{A}/dashboard/companies/삼성전자/history").json()["history"]
    assert (tmp_path / "data" / "store.json").exists()

    with run_api(env, tmp_path) as api, httpx.Client(base_url=api.url, timeout=60) as client:
        assert client.get(f"{A}/dashboard/companies").json()["watchlist"] == ["삼성전자", "SK하이닉스"]
        latest = client.get(f"{A}/dashboard/companies/삼성전자/latest").json()
        assert latest["analysis_metadata"]["analysis_time"] == analysis["analysis_metadata"]["analysis_time"]
        assert client.get(f"{A}/dashboard/companies/삼성전자/history").json()["history"] == before
        saved = client.get(f"{A}/dashboard/companies/삼성전자/alerts", headers=admin).json()
        assert [r["threshold"] for r in saved["rules"]] == [0.4]
        labels = client.get(f"{A}/dashboard/feedback", headers=admin).json()
        assert [(x["article_id"], x["category"]) for x in labels["labels"]] == [(article["id"], "G")]
        cache = client.get(f"{A}/dashboard/cache/info", headers=admin).json()
        assert cache["cache_keys"] == 0  # caches start empty: only records were kept
