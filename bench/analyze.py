"""End-to-end company analysis over HTTP: cold (every cache empty) vs cache hit, with the shipped models.

    python -m bench.analyze [--cold 20] [--hits 50] [--max-results 50] [--embedded]

One uvicorn worker (`news-service serve`, started by `tests.integration.apiserver.run_api`) with
`NEWS_SOURCE=naver` pointing at the fake Naver in its own process (serving the bundled archive), models
`MODELS_DIR=<repo>/models`, `MODEL_NAME=demo`, real Redis on 127.0.0.1 (db 12, a fresh key prefix, deleted
afterwards) unless `--embedded`. The models are warmed with one analysis first. Each cold request is
preceded (untimed) by `DELETE /api/v1/dashboard/cache`, so the search, analysis and article caches all miss
and the model classifies every article; it is sent with `force_refresh: true` and its article-cache keys
are counted afterwards to prove it. Queries rotate over companies/terms that have ≥ 50 archive items.
When `models/demo_*` is missing, a random-weight stand-in of the shape `news-service train` builds is
served instead (said so in the output), unless `--no-standin` (then the keyword fallback runs).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from bench.models import build_random_set, standin_shape
from bench.report import write_section
from bench.stats import percentile
from tests.integration.apiserver import free_port, run_api

REDIS_URL = "redis://127.0.0.1:6379/12"
ROOT = Path(__file__).resolve().parents[1]
ADMIN_KEY = "bench-admin-key"
# Archive matches: 삼성전자 50, 삼성 91, LG 59, 전자 93, 투자 54 (see data/README.md).
QUERIES = ["삼성전자", "삼성", "LG", "전자", "투자"]




def start_naver() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.naver_server", "--port", str(port), "--any-credentials"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}/_stats", timeout=1)
            return process, port
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the fake Naver did not start")


def analyze(
    client: httpx.Client,
    base: str,
    company: str,
    max_results: int,
    force: bool,
    threshold: float | None = None,
) -> tuple[float, dict[str, Any]]:
    url = f"{base}/api/v1/search/companies/{quote(company)}/analyze"
    body: dict[str, Any] = {"max_results": max_results, "force_refresh": force}
    if threshold is not None:
        body["similarity_threshold"] = threshold
    started = time.perf_counter()
    response = client.post(url, json=body)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, response.json()


def cold_request(
    client: httpx.Client, base: str, company: str, max_results: int, threshold: float | None
) -> dict[str, Any]:
    """Empty every cache (untimed), then one timed analysis; counts the articles the model classified."""
    admin = {"X-API-Key": ADMIN_KEY}
    client.delete(f"{base}/api/v1/dashboard/cache", headers=admin).raise_for_status()
    elapsed, body = analyze(client, base, company, max_results, True, threshold)
    meta = body["analysis_metadata"]
    assert not meta["cache_hit"], meta
    info = client.get(f"{base}/api/v1/dashboard/cache/info", headers=admin).json()
    return {
        "company": company,
        "s": elapsed,
        "server_ms": meta["processing_time_ms"],
        "analyzed": meta["analyzed_count"],
        "classified": info["keys"].get("article", 0),
        "found": meta["total_found"],
        "removed": body["deduplication"]["duplicates_removed"],
    }


def series_stats(series: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = [c["s"] for c in series]
    analysed = [c["analyzed"] for c in series]
    return {
        "n": len(series),
        "p50_ms": statistics.median(seconds) * 1000,
        "p99_ms": percentile(seconds, 99) * 1000,
        "server_p50_ms": statistics.median(c["server_ms"] for c in series),
        "articles_mean": statistics.mean(analysed),
        "articles_min": min(analysed),
        "articles_max": max(analysed),
        "classified_mean": statistics.mean(c["classified"] for c in series),
        "per_article_p50_ms": statistics.median(c["s"] / c["analyzed"] for c in series) * 1000,
        "duplicates_removed_mean": statistics.mean(c["removed"] for c in series),
    }


def run_setting(args: argparse.Namespace, naver_port: int, torch_threads: int) -> dict[str, Any]:
    """One API process with ML_TORCH_THREADS=torch_threads (0: the service default): warm, cold, hits."""
    env = {
        "NEWS_SOURCE": "naver",
        "NAVER_API_URL": f"http://127.0.0.1:{naver_port}/v1/search/news.json",
        "NAVER_CLIENT_ID": "bench",
        "NAVER_CLIENT_SECRET": "bench",
        "MODELS_DIR": str(args.models_dir.resolve()),
        "MODEL_NAME": args.model_name,
        "ADMIN_API_KEY": ADMIN_KEY,
        "LOG_LEVEL": "WARNING",
        # One benchmark client sends more than a client may per minute: no per-client rate limits here.
        "RATE_LIMIT_SEARCH_PER_MINUTE": "0",
        "RATE_LIMIT_ANALYZE_PER_MINUTE": "0",
        "RATE_LIMIT_ADMIN_PER_MINUTE": "0",
    }
    if torch_threads:
        env["ML_TORCH_THREADS"] = str(torch_threads)
    cold: list[dict[str, Any]] = []
    cold_full: list[dict[str, Any]] = []
    hits: list[float] = []
    hit_server: list[float] = []
    redis_url = None if args.embedded else REDIS_URL
    with (
        tempfile.TemporaryDirectory() as tmp,
        run_api(env, Path(tmp), redis_url=redis_url) as api,
        httpx.Client(timeout=120) as client,
    ):
        base = api.url
        warm_s, warm = analyze(client, base, "삼성전자", args.max_results, True)  # lazy parts, kiwi, …
        model = warm["analysis_metadata"]
        print(
            f"[threads {torch_threads or 'default'}] warm-up: {warm_s * 1000:.0f} ms, model "
            f"{model['model_name']} ({model['ml_service_status']}, {model['device']})",
            file=sys.stderr,
        )
        for threshold in (None, args.full_threshold):
            series = cold if threshold is None else cold_full
            for i in range(args.cold):
                company = QUERIES[i % len(QUERIES)]
                series.append(cold_request(client, base, company, args.max_results, threshold))
                last = series[-1]
                print(
                    f"cold {i + 1}/{args.cold} {company} (threshold {threshold}): {last['s'] * 1000:.0f} ms, "
                    f"{last['analyzed']} analysed, {last['classified']} classified",
                    file=sys.stderr,
                )
        company = QUERIES[0]
        analyze(client, base, company, args.max_results, False)  # make sure it is cached
        for _ in range(args.hits):
            elapsed, body = analyze(client, base, company, args.max_results, False)
            assert body["analysis_metadata"]["cache_hit"], body["analysis_metadata"]
            hits.append(elapsed)
            hit_server.append(body["analysis_metadata"]["processing_time_ms"])
    return {
        "torch_threads": torch_threads,
        "model": model,
        "warmup_ms": warm_s * 1000,
        "cold": series_stats(cold),
        "cold_full": series_stats(cold_full),
        "hit": {
            "n": len(hits),
            "p50_ms": statistics.median(hits) * 1000,
            "p99_ms": percentile(hits, 99) * 1000,
            "server_p50_ms": statistics.median(hit_server),
            "articles": body["analysis_metadata"]["analyzed_count"],
        },
        "requests": cold + cold_full,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cold", type=int, default=20, help="cold analyses per series")
    parser.add_argument("--hits", type=int, default=50, help="cache-hit analyses")
    parser.add_argument("--max-results", type=int, default=50)
    parser.add_argument("--models-dir", type=Path, default=ROOT / "models")
    parser.add_argument("--model-name", default="demo")
    parser.add_argument(
        "--full-threshold",
        type=float,
        default=1.0,
        help="similarity_threshold of the second cold series (1.0: only identical stories merge)",
    )
    parser.add_argument(
        "--torch-threads",
        default="0",
        help="ML_TORCH_THREADS, or a comma-separated list, one API process each (0: the service default, "
        "physical cores); the target is judged on the first",
    )
    parser.add_argument("--embedded", action="store_true", help="no Redis: the in-process store")
    parser.add_argument(
        "--no-standin", action="store_true", help="without the model set, measure the keyword fallback"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the section instead of writing docs/benchmarks.md"
    )
    args = parser.parse_args()
    command = "python -m bench.analyze" + "".join(
        f" --{key.replace('_', '-')}" + ("" if value is True else f" {value}")
        for key, value in vars(args).items()
        if key not in ("no_write",) and value != parser.get_default(key)
    )

    from app.ml.registry import inspect_model_set

    found = inspect_model_set(args.models_dir, args.model_name)
    standin = None
    if not found.loadable and not args.no_standin:
        standin = f"`{args.models_dir}/{args.model_name}_*` not usable ({found.problem or 'not found'})"
        print(f"NOTE: {standin}; serving a random-weight stand-in", file=sys.stderr)
    settings = [int(t) for t in str(args.torch_threads).split(",")]
    load_before = os.getloadavg()
    naver, naver_port = start_naver()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-standin-") as tmp:
            if standin:
                args.models_dir = Path(tmp)
                build_random_set(args.models_dir, args.model_name, standin_shape())
            runs = [run_setting(args, naver_port, threads) for threads in settings]
    finally:
        naver.terminate()
        naver.wait(timeout=10)
    load_after = os.getloadavg()
    print(
        json.dumps({"runs": runs, "load_avg": [load_before[0], load_after[0]]}, indent=2, ensure_ascii=False)
    )

    first = runs[0]
    model = first["model"]
    local = model["ml_service_status"] == "local_model"
    store = (
        "in-process store (embedded mode)" if args.embedded else "real Redis (127.0.0.1, db 12, fresh prefix)"
    )
    if local and standin:
        shape = standin_shape()
        models = (
            f"**a stand-in model set**: {standin}, so a set of the shape `news-service train` builds from "
            f"scratch ({shape['num_hidden_layers']}-layer BERT, hidden {shape['hidden_size']}) with random "
            f"weights was served, on {model['device']}; "
            "inference cost depends on the shape, not the weights"
        )
    elif local:
        where = args.models_dir.resolve()
        shown = where.relative_to(ROOT) if where.is_relative_to(ROOT) else where
        models = f"model set `{model['model_name']}` (`{shown}/{args.model_name}_*`) on {model['device']}"
    else:
        why = model.get("fallback_reason") or found.problem or ""
        models = (
            f"**no model set: the keyword fallback ran** ({why}); the target cannot be judged from this run"
        )

    def threads_label(threads: int) -> str:
        return f"ML_TORCH_THREADS={threads}" if threads else "default threads"

    row = (
        "| {setting} | {label} | {n} | {p50_ms:.0f} | {p99_ms:.0f} | {server_p50_ms:.0f} | {articles_mean:.1f} "
        "({articles_min}–{articles_max}) | {classified_mean:.1f} | {per_article_p50_ms:.1f} |"
    )
    rows = []
    for run in runs:
        setting = threads_label(run["torch_threads"])
        h = run["hit"]
        rows += [
            row.format(setting=setting, label="cold, default dedup", **run["cold"]),
            row.format(setting=setting, label=f"cold, threshold {args.full_threshold}", **run["cold_full"]),
            f"| {setting} | cache hit | {h['n']} | {h['p50_ms']:.1f} | {h['p99_ms']:.1f} | "
            f"{h['server_p50_ms']:.1f} | {h['articles']} | 0 | – |",
        ]
    verdicts = []
    for n, run in enumerate(runs):
        worst = max(run["cold"]["p50_ms"], run["cold_full"]["p50_ms"])
        ok = local and worst <= 1000
        verdicts.append(
            f"{threads_label(run['torch_threads'])}{' (judged)' if n == 0 else ''}: "
            f"{'met' if ok else 'not met'} (worst cold p50 {worst:.0f} ms)"
        )
    removed = first["cold"]["duplicates_removed_mean"]
    body = f"""## Analyze: 50 articles end to end over HTTP (`bench/analyze.py`)

`{command}` — one uvicorn worker per torch-thread setting, {store}, fake Naver in its own process
(loopback, the bundled archive), {models}.
`POST /api/v1/search/companies/{{company}}/analyze` with
`{{"max_results": {args.max_results}, "force_refresh": true}}`, one client, one request at a time, after one warm-up
analysis ({first["warmup_ms"]:.0f} ms). Before each cold request the search, analysis and article caches are
emptied (`DELETE /api/v1/dashboard/cache`, untimed), so every request goes search → fake Naver → dedup → model
on every remaining article → keywords → summary → cache and store; companies rotate over
{", ".join(QUERIES)} (each ≥ 50 archive items). Re-reports of one event make dedup (default
threshold 0.75) drop {removed:.0f} of the {args.max_results} fetched items on average, so a second cold series
sends `similarity_threshold: {args.full_threshold}` to have ≈ {args.max_results} articles classified per request.

| torch threads | path | requests | p50 (ms) | p99 (ms) | server `processing_time_ms` p50 | articles analysed per request | classified by the model | ms per article (p50) |
|---|---|---:|---:|---:|---:|---:|---:|---:|
{chr(10).join(rows)}

"classified by the model" = article-cache keys present after the request (the caches were empty before it).
Per article = request time ÷ articles analysed. Target: cold p50 ≤ 1 s for a 50-article analysis —
{"; ".join(verdicts)}. The replaced system: 2–5 s per article, i.e. 100–250 s for 50 articles.
Load average (1 min) on the shared 2 cores: {load_before[0]:.1f} before, {load_after[0]:.1f} after."""
    if args.no_write:
        print(body)
    else:
        write_section("analyze", body)


if __name__ == "__main__":
    main()
