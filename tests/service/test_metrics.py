"""`/metrics` after real traffic: requests, cache, upstream calls, inference, task outcomes, Naver quota."""

from __future__ import annotations

import time

import httpx
import respx
from celery import signals
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.main import create_app
from app.settings import NaverSettings, NewsSettings
from app.workers.worker import connect_signals
from tests.conftest import embedded_settings
from tests.fakes.naver_content import synthetic_item
from tests.ml_fixtures import shared_models_dir

ADMIN = "metrics-admin-key"
NAVER_URL = "https://naver.test/v1/search/news.json"


class Task:
    """What Celery passes as a signal's sender: the task, with its name."""

    def __init__(self, name: str):
        self.name = name


def scrape(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(metrics: dict, name: str, **labels: str) -> float:
    return metrics.get((name, frozenset(labels.items())), 0.0)


def naver_page(request: httpx.Request) -> httpx.Response:
    query, start = request.url.params["query"], int(request.url.params.get("start", 1))
    display = int(request.url.params.get("display", 10))
    items = [synthetic_item(query, i) for i in range(start - 1, min(start - 1 + display, 30))]
    return httpx.Response(200, json={"total": 30, "start": start, "display": len(items), "items": items})


def test_metrics_show_inference_tasks_quota_cache_and_upstream_after_traffic():
    base = embedded_settings(ml={"models_dir": shared_models_dir(), "model_name": "tiny"},
                             api={"admin_api_key": ADMIN})
    settings = base.model_copy(update={
        "naver": NaverSettings(_env_file=None, client_id="id", client_secret="secret", api_url=NAVER_URL,
                               daily_budget=20_000),
        "news": NewsSettings(_env_file=None, source="naver"),
    })
    # The worker entry module connects Celery's signal handlers, as in a worker process.
    connect_signals()
    with respx.mock(assert_all_called=False) as upstream, TestClient(create_app(settings)) as client:
        naver = upstream.get(NAVER_URL).mock(side_effect=naver_page)
        before = scrape(client)
        for _ in range(3):
            assert client.post("/api/v1/search/news", json={"query": "탄소중립"}).status_code == 200
        analysis = client.post("/api/v1/search/companies/삼성전자/analyze", json={"max_results": 20})
        assert analysis.status_code == 200, analysis.text
        assert analysis.json()["analysis_metadata"]["ml_service_status"] == "local_model"
        trigger = client.post("/api/v1/dashboard/companies/LG전자/trigger", headers={"X-API-Key": ADMIN})
        assert trigger.status_code == 202, trigger.text
        task_id, deadline = trigger.json()["task_id"], time.monotonic() + 60
        while client.get(f"/api/v1/dashboard/tasks/{task_id}").json()["state"] != "SUCCESS":
            assert time.monotonic() < deadline, "the embedded task did not finish"
            time.sleep(0.1)
        signals.task_retry.send(sender=Task("news.refresh_watchlist"), request=None)
        signals.task_failure.send(sender=Task("news.analyze_company"), task_id="x")
        after = scrape(client)
        calls = naver.call_count

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("news_http_request_duration_seconds_count", route="/api/v1/search/news") == 3
    assert grew("news_http_requests_total", method="POST", route="/api/v1/search/news", status="200") == 3
    assert grew("news_cache_requests_total", result="hits") >= 2
    assert grew("news_cache_requests_total", result="misses") >= 3  # search, analysis, trigger's analysis
    assert grew("news_upstream_calls_total", outcome="200") == calls >= 2
    # Inference: one or more batches of the local model, at least as many texts as were analysed.
    assert grew("news_inference_batch_size_count", classifier="model") >= 1
    assert grew("news_inference_batch_size_sum", classifier="model") >= len(analysis.json()["analyzed_news"])
    assert grew("news_inference_duration_seconds_count", classifier="model") >= 1
    assert grew("news_articles_classified_total", status="ok") >= len(analysis.json()["analyzed_news"])
    # Task outcomes: the embedded runner's task, and Celery's signals as a worker would send them.
    assert grew("news_tasks_total", task="news.analyze_company", outcome="success") == 1
    assert grew("news_tasks_total", task="news.analyze_company", outcome="failure") == 1
    assert grew("news_tasks_total", task="news.refresh_watchlist", outcome="retry") == 1
    # Quota: every answered Naver call of this deployment today, and the configured budget.
    assert value(after, "news_naver_quota_used") == calls
    assert value(after, "news_naver_quota_limit") == 20_000
