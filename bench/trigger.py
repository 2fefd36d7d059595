"""Background analysis: trigger-to-result latency and tasks per minute with one Celery worker.

    python -m bench.trigger [--max-results 50]

Processes as deployed: the API (uvicorn), one `news-service worker` (prefork, concurrency 1), Redis on
127.0.0.1:6379 (db 12, keys under a fresh prefix, deleted afterwards), and the fake Naver in its own
process as the upstream. Two phases over the same 20 companies, each starting from an empty cache:
one trigger at a time (latency without queueing), then all 20 at once (throughput of one worker).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from bench.report import write_section
from bench.servers import fake_naver_process
from bench.stats import percentile
from tests.integration.apiserver import delete_prefix, run_api
from tests.integration.test_worker import WORKER_READY, run_celery, service_env, wait_for_log

REDIS_URL = "redis://127.0.0.1:6379/12"
ROOT = Path(__file__).resolve().parents[1]
D = "/api/v1/dashboard"
KEY = "bench-admin"
COMPANIES = [
    "삼성전자", "LG전자", "SK하이닉스", "현대자동차", "기아", "네이버", "카카오", "포스코", "삼성SDI",
    "셀트리온", "한화", "롯데", "신한금융", "KB금융", "CJ제일제당", "삼성바이오로직스", "LG에너지솔루션",
    "쿠팡", "SK이노베이션", "한국전력",
]
HEADER = (
    "| phase | tasks | p50 (ms) | p95 (ms) | max (ms) | run in worker p50 (ms) | queue wait p50 (ms) "
    "| items/task | tasks/min |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def ms(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() * 1000




class Bench:
    def __init__(self, url: str, max_results: int):
        self.client = httpx.Client(base_url=url, headers={"X-API-Key": KEY}, timeout=30)
        self.max_results = max_results

    def trigger(self, company: str) -> str:
        body = {"max_results": self.max_results}
        response = self.client.post(f"{D}/companies/{company}/trigger", json=body)
        response.raise_for_status()
        return str(response.json()["task_id"])

    def wait(self, task_id: str, timeout: float = 300) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body: dict[str, Any] = self.client.get(f"{D}/tasks/{task_id}").json()
            if body["state"] in ("SUCCESS", "FAILURE"):
                if body["state"] == "FAILURE":
                    raise RuntimeError(f"task {task_id} failed: {body['error']}")
                return body
            time.sleep(0.01)
        raise RuntimeError(f"task {task_id} unfinished after {timeout} s")

    def clear_cache(self) -> None:
        self.client.delete(f"{D}/cache").raise_for_status()


def summarize(name: str, tasks: list[dict[str, Any]], observed: list[float] | None, wall_s: float) -> str:
    latency = observed or [ms(t["submitted_at"], t["finished_at"]) for t in tasks]
    run = [ms(t["started_at"], t["finished_at"]) for t in tasks]
    wait = [ms(t["submitted_at"], t["started_at"]) for t in tasks]
    items = sum(t["result"]["item_count"] for t in tasks)
    return (
        f"| {name} | {len(tasks)} | {statistics.median(latency):.0f} | {percentile(latency, 95):.0f} | "
        f"{max(latency):.0f} | {statistics.median(run):.0f} | {statistics.median(wait):.0f} | "
        f"{items / len(tasks):.0f} | {len(tasks) / wall_s * 60:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-results", type=int, default=50)
    args = parser.parse_args()

    prefix = f"bench-trigger-{int(time.time())}"
    env = {
        "NEWS_SOURCE": "naver",  # NAVER_API_URL and credentials come from fake_naver_process()
        "LOG_LEVEL": "WARNING",
        "ADMIN_API_KEY": KEY,
        "REDIS_KEY_PREFIX": prefix,
        "MONITORED_COMPANIES": "",
        "RATE_LIMIT_ADMIN_PER_MINUTE": "0",  # 40 triggers in a minute measure the worker, not the limiter
    }
    try:
        with fake_naver_process() as naver_env, tempfile.TemporaryDirectory() as tmp:
            env.update(naver_env)
            worker_env = service_env(REDIS_URL, prefix, {**env, "LOG_LEVEL": "INFO"})
            with run_celery("worker", worker_env, Path(tmp)) as worker, run_api(
                env, Path(tmp), redis_url=REDIS_URL
            ) as api:
                wait_for_log(worker, WORKER_READY, timeout=120)
                bench = Bench(api.url, args.max_results)
                first = bench.wait(bench.trigger("삼성전자"))  # warm-up: lazy imports in the fresh child
                model = f"{first['result']['ml_service_status']} '{first['result']['model_name']}'"

                bench.clear_cache()
                one_by_one, observed = [], []
                started = time.perf_counter()
                for company in COMPANIES:
                    t0 = time.perf_counter()
                    one_by_one.append(bench.wait(bench.trigger(company)))
                    observed.append((time.perf_counter() - t0) * 1000)
                sequential_s = time.perf_counter() - started

                bench.clear_cache()
                started = time.perf_counter()
                ids = [bench.trigger(company) for company in COMPANIES]
                batch = [bench.wait(task_id) for task_id in ids]
                batch_s = time.perf_counter() - started
                rows = [
                    summarize("one at a time (client-observed)", one_by_one, observed, sequential_s),
                    summarize("20 at once (server timestamps)", batch, None, batch_s),
                ]
    finally:
        delete_prefix(REDIS_URL, prefix)

    body = f"""## Background analysis: trigger → result (`bench/trigger.py`)

`python -m bench.trigger --max-results {args.max_results}` — API (uvicorn) + one `news-service worker`
(prefork, concurrency 1) + real Redis, fake Naver in its own process; classifier: {model}.
Each phase starts from an empty cache (`DELETE /dashboard/cache`); every task is a forced refresh
(search → dedup → classify → keywords → store). Latency = trigger request to SUCCESS.

{HEADER}
{chr(10).join(rows)}

All 20 queued at once finished {batch_s:.1f} s after the first trigger: one worker runs them one after
another (prefetch 1), so the queue wait grows with the position in the queue; more throughput means more
worker processes (each loads the models; keep concurrency × ML_TORCH_THREADS ≤ cores).
The first task of a fresh worker child (lazy imports; models are loaded before it) took
{ms(first['submitted_at'], first['finished_at']):.0f} ms and is not counted."""
    print(body)
    write_section("trigger", body)


if __name__ == "__main__":
    main()
