"""Prometheus metrics (process-wide, default registry) and the ASGI middleware that records requests."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, make_asgi_app
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from app.request_context import run_timed

REQUESTS = Counter("news_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "news_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
CACHE = Counter("news_cache_requests_total", "Cache lookups", ["result"])
UPSTREAM = Counter("news_upstream_calls_total", "Calls to the news upstream by outcome", ["outcome"])
CLASSIFIED = Counter("news_articles_classified_total", "Articles run through the classifier", ["status"])
# One observation per predictor call of the inference thread (merged requests count as one batch).
INFERENCE_BATCH = Histogram(
    "news_inference_batch_size",
    "Texts per model call on the inference thread",
    ["classifier"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
)
INFERENCE_LATENCY = Histogram(
    "news_inference_duration_seconds",
    "Duration of one model call on the inference thread",
    ["classifier"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASK_RUNS = Counter(
    "news_tasks_total", "Background tasks by name and outcome (success, failure, retry)", ["task", "outcome"]
)
# Workers export every process's values together (multiprocess mode): the newest reading wins, dead children's
# included, as the count lives in Redis and every process reads the same one.
NAVER_QUOTA_USED = Gauge(
    "news_naver_quota_used", "Naver calls counted today (KST), as this process last saw",
    multiprocess_mode="mostrecent",
)
NAVER_QUOTA_LIMIT = Gauge(
    "news_naver_quota_limit", "Naver calls this deployment may make per KST day",
    multiprocess_mode="mostrecent",
)


class RequestMetrics:
    """Count and time every HTTP request under its route template (not the raw path)."""

    def __init__(self, app: ASGIApp, templates: dict[object, str]):
        self.app = app
        # endpoint function → full path template; included routers only know their own relative path.
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        def observe(status: int, seconds: float) -> None:
            route = self.templates.get(scope.get("endpoint"), "unmatched")
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(route).observe(seconds)

        await run_timed(self.app, scope, receive, send, observe)


class _Exposition:
    """prometheus_client's ASGI app as an object, so a Starlette route passes it the raw ASGI call."""

    def __init__(self) -> None:
        self.app = make_asgi_app()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def metrics_routes() -> list[BaseRoute]:
    """`/metrics` answered directly (a mount alone redirects it to `/metrics/`), and `/metrics/` as before."""
    exposition = _Exposition()
    return [Route("/metrics", exposition, include_in_schema=False), Mount("/metrics", app=exposition)]
