"""Mixed load on one API worker: cache hits, cache misses and analyses at 4× what one worker can analyse.

    python -m bench.load [--duration 20] [--hit-rate 40] [--miss-rate 5] [--overload 4] [--no-write]

Loopback only, bounded in count and time, stops by itself. Processes: the fake Naver in its own process
(synthetic mode: every query has its own articles, so a new company means new articles to classify), the API
(`news-service serve`, one uvicorn worker, started by `tests.integration.apiserver.run_api`) on the real Redis
(127.0.0.1:6379 db 12, a fresh key prefix, deleted afterwards), rate limits off, the shipped model set
(`models/demo_*`, or a random-weight stand-in of its shape when it is missing).

1. Capacity: analyses one after another (`force_refresh`, a new company each time, 50 articles) → the rate
   one worker serves them, C per second.
2. Idle: cache hits alone (warm queries) at the hit rate for a few seconds → idle p50/p99.
3. Mixed, for `--duration` seconds (open loop, seeded Poisson arrivals, the request count fixed in advance):
   cache hits at the hit rate, misses (unique queries) at the miss rate, analyses (`force_refresh` on new
   companies) at `--overload` × C. Steps 2 and 3 alternate for `--rounds` rounds (other work on a shared
   machine then falls on idle and loaded phases alike); percentiles pool the rounds. Every request carries its own `X-Request-ID`; each must get exactly one
   response echoing it (a request without one before the drain limit counts as lost), and the server's own
   request counters (`/metrics`) must have grown by exactly the number of requests sent per route.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench.models import build_random_set, standin_shape
from bench.report import write_section
from bench.servers import fake_naver_process
from bench.stats import percentile
from tests.integration.apiserver import run_api

REDIS_URL = "redis://127.0.0.1:6379/12"
ROOT = Path(__file__).resolve().parents[1]
ADMIN_KEY = "bench-admin-key"
NEWS = "/api/v1/search/news"
ANALYZE = "/api/v1/search/companies/{company}/analyze"
ROUTES = {"hit": NEWS, "miss": NEWS, "analysis": ANALYZE}
HOT_QUERIES = [f"핫쿼리 {i:02d}" for i in range(20)]
ANALYSIS_ARTICLES = 50
DRAIN_LIMIT = 240.0  # seconds after the last arrival before unanswered requests count as lost




def synthetic_naver(articles_per_query: int) -> AbstractContextManager[dict[str, str]]:
    """The fake Naver in its own process, generating `articles_per_query` articles for any query."""
    return fake_naver_process("--synthetic", "--synthetic-total", str(articles_per_query))


@dataclass
class Sample:
    """One request and what came back."""

    kind: str
    request_id: str
    route: str
    lag: float = 0.0  # how late the client sent it, behind its scheduled time
    latency: float | None = None  # send → full response, seconds; None = no response
    status: int | None = None
    echoed: str | None = None
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Arrival:
    at: float
    kind: str
    path: str
    body: dict[str, Any]


def poisson(rate: float, duration: float, rng: random.Random) -> list[float]:
    """Arrival offsets of a Poisson process of `rate` per second over `duration` seconds."""
    times, t = [], rng.expovariate(rate)
    while t < duration:
        times.append(t)
        t += rng.expovariate(rate)
    return times


def hit(_: int) -> tuple[str, dict[str, Any]]:
    return NEWS, {"query": random.choice(HOT_QUERIES), "max_results": 10}


def miss(n: int) -> tuple[str, dict[str, Any]]:
    return NEWS, {"query": f"부하시험 {n:05d} {uuid.uuid4().hex[:6]}", "max_results": 10}


def analysis(n: int, tag: str) -> tuple[str, dict[str, Any]]:
    company = f"부하기업{tag}{n:04d}"
    # Threshold 1.0: only identical stories merge, so ~50 new articles are classified per analysis
    # (the synthetic stories repeat a handful of templates, which the default threshold folds to ~6).
    body = {"max_results": ANALYSIS_ARTICLES, "force_refresh": True, "similarity_threshold": 1.0}
    return ANALYZE.format(company=quote(company)), body


async def send(client: httpx.AsyncClient, sample: Sample, path: str, body: dict[str, Any]) -> None:
    started = time.perf_counter()
    try:
        response = await client.post(path, json=body, headers={"X-Request-ID": sample.request_id})
    except httpx.HTTPError as exc:
        sample.error = type(exc).__name__
        return
    sample.latency = time.perf_counter() - started
    sample.status = response.status_code
    sample.echoed = response.headers.get("x-request-id")
    if response.status_code == 200 and sample.kind == "analysis":
        return  # ~100 kB of JSON: parsing it here would load the shared cores for nothing
    data = response.json()
    if response.status_code == 200:
        meta = data.get("search_metadata") or data.get("analysis_metadata") or {}
        sample.meta = {k: meta.get(k) for k in ("cache_hit", "degraded", "stale", "response_time_ms")}
    else:
        sample.meta = {"error": data.get("error"), "retry_after": response.headers.get("retry-after")}


async def run_open_loop(base: str, arrivals: list[Arrival], drain: float) -> list[Sample]:
    """Send each request at its arrival time (not waiting for earlier ones); collect every response."""
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them: otherwise a request
    # sent on a connection the server is closing at that moment fails in the client (never reaching the app).
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=200, keepalive_expiry=2.0)
    timeout = httpx.Timeout(arrivals[-1].at + drain if arrivals else drain)
    samples: list[Sample] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        tasks: list[asyncio.Task[None]] = []
        loop = asyncio.get_running_loop()
        origin = loop.time()
        for n, arrival in enumerate(arrivals):
            delay = origin + arrival.at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            sample = Sample(arrival.kind, f"load-{arrival.kind}-{n:05d}-{uuid.uuid4().hex[:8]}",
                            ROUTES[arrival.kind], lag=max(0.0, loop.time() - origin - arrival.at))
            samples.append(sample)
            tasks.append(asyncio.create_task(send(client, sample, arrival.path, arrival.body)))
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=drain)
            for task in pending:  # past the drain limit: counted as lost
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
    for sample in samples:
        if sample.latency is None and sample.error is None:
            sample.error = "no response before the drain limit"
    return samples


def request_counts(base: str) -> Counter[str]:
    """The server's own count of answered requests per route (`news_http_requests_total`)."""
    text = httpx.get(f"{base}/metrics", timeout=10, follow_redirects=True).text
    counts: Counter[str] = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "news_http_requests_total":
                counts[sample.labels["route"]] += int(sample.value)
    return counts


def capacity(client: httpx.Client, runs: int) -> tuple[float, list[float], int]:
    """Analyses one at a time (new company, force_refresh): per second, latencies, articles analysed."""
    latencies, articles = [], 0
    for n in range(runs + 2):
        path, body = analysis(n, "c")
        started = time.perf_counter()
        response = client.post(path, json=body)
        response.raise_for_status()
        if n >= 2:  # the first two warm up lazy paths
            latencies.append(time.perf_counter() - started)
            articles += response.json()["analysis_metadata"]["analyzed_count"]
    return len(latencies) / sum(latencies), latencies, articles // runs


def summarise(samples: list[Sample]) -> dict[str, Any]:
    latencies = [s.latency * 1000 for s in samples if s.latency is not None and s.status == 200]
    statuses = Counter(str(s.status) if s.status is not None else "none" for s in samples)
    return {
        "sent": len(samples),
        "ok": statuses.get("200", 0),
        "statuses": dict(statuses),
        # 503 (shedding, outages: with Retry-After) is counted apart from errors; any other 5xx is a failure.
        "5xx": sum(n for code, n in statuses.items() if code.startswith("5") and code != "503"),
        "refusals": dict(Counter(f"{s.status} {s.meta.get('error')}" for s in samples
                                 if s.status in (429, 503))),
        "lost": sum(1 for s in samples if s.status is None),
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies) if latencies else float("nan"),
        "lag_p99_ms": percentile([s.lag * 1000 for s in samples], 99),
        "not_hit": sum(1 for s in samples if s.meta and s.meta.get("cache_hit") is False),
        "degraded": sum(1 for s in samples if s.meta.get("degraded")),
        "errors": dict(Counter(s.error for s in samples if s.error)),
        "server_p99_ms": percentile([s.meta["response_time_ms"] for s in samples
                              if s.meta.get("response_time_ms") is not None], 99),
    }


def identity_check(samples: list[Sample]) -> dict[str, int]:
    """Every sent id answered exactly once, with its own id echoed."""
    ids = Counter(s.request_id for s in samples)
    return {
        "duplicate_ids_sent": sum(1 for n in ids.values() if n > 1),
        "unanswered": sum(1 for s in samples if s.status is None),
        "echo_mismatch": sum(1 for s in samples if s.status is not None and s.echoed != s.request_id),
    }


def models_env(tmp: Path) -> tuple[dict[str, str], str]:
    from app.ml.registry import inspect_model_set

    found = inspect_model_set(ROOT / "models", "demo")
    if found.loadable:
        return {"MODELS_DIR": str(ROOT / "models"), "MODEL_NAME": "demo"}, "the shipped set `models/demo_*`"
    build_random_set(tmp, "demo", standin_shape())
    why = found.problem or "not found"
    return {"MODELS_DIR": str(tmp), "MODEL_NAME": "demo"}, f"a random-weight stand-in (`models/demo_*` {why})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="idle + mixed rounds, alternating")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of mixed load per round")
    parser.add_argument("--idle", type=float, default=6.0, help="seconds of hits alone per round")
    parser.add_argument("--hit-rate", type=float, default=40.0, help="cache hits per second")
    parser.add_argument("--miss-rate", type=float, default=5.0, help="cache misses per second")
    parser.add_argument("--overload", type=float, default=4.0, help="analyses at this × one worker's rate")
    parser.add_argument("--capacity-runs", type=int, default=6)
    parser.add_argument("--torch-threads", type=int, default=0, help="ML_TORCH_THREADS of the API (0: default)")
    parser.add_argument("--slots", type=int, default=0, help="ANALYSIS_CONCURRENCY (0: the service default)")
    parser.add_argument("--queue-limit", type=int, default=-1, help="ANALYSIS_QUEUE_LIMIT (-1: default)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing it")
    args = parser.parse_args()
    command = "python -m bench.load" + "".join(
        f" --{key.replace('_', '-')} {value}"
        for key, value in vars(args).items()
        if key != "no_write" and value != parser.get_default(key)
    )
    random.seed(args.seed)
    rng = random.Random(args.seed)
    load_before = os.getloadavg()
    tag = uuid.uuid4().hex[:4]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp_name:
        tmp = Path(tmp_name)
        model_env, model_text = models_env(tmp / "models")
        with synthetic_naver(60) as naver_env:
            env = {
                **naver_env, **model_env,
                "ADMIN_API_KEY": ADMIN_KEY,
                "LOG_LEVEL": "WARNING",
                "RATE_LIMIT_SEARCH_PER_MINUTE": "0",
                "RATE_LIMIT_ANALYZE_PER_MINUTE": "0",
                "RATE_LIMIT_ADMIN_PER_MINUTE": "0",
            }
            if args.torch_threads:
                env["ML_TORCH_THREADS"] = str(args.torch_threads)
            if args.slots:
                env["ANALYSIS_CONCURRENCY"] = str(args.slots)
            if args.queue_limit >= 0:
                env["ANALYSIS_QUEUE_LIMIT"] = str(args.queue_limit)
            with run_api(env, tmp, redis_url=REDIS_URL) as api, httpx.Client(base_url=api.url, timeout=120) as c:
                model = c.get("/api/v1/system/health").json()["ml"]
                rate, cap_latencies, cap_articles = capacity(c, args.capacity_runs)
                print(f"capacity: {rate:.2f} analyses/s ({cap_articles} articles each), model {model}",
                      file=sys.stderr)
                for query in HOT_QUERIES:  # warm the hot set
                    c.post(NEWS, json={"query": query, "max_results": 10}).raise_for_status()

                analysis_rate = args.overload * rate
                idle: list[Sample] = []
                mixed: list[Sample] = []
                arrivals: list[Arrival] = []
                rounds: list[dict[str, float]] = []
                wall = 0.0
                before = request_counts(api.url)
                for round_no in range(args.rounds):
                    # Idle and loaded phases alternate, so a change in the machine's other load hits both.
                    calm = asyncio.run(run_open_loop(api.url, [
                        Arrival(t, "hit", *hit(n)) for n, t in enumerate(poisson(args.hit_rate, args.idle, rng))
                    ], DRAIN_LIMIT))
                    streams = [
                        [Arrival(t, "hit", *hit(n)) for n, t in
                         enumerate(poisson(args.hit_rate, args.duration, rng))],
                        [Arrival(t, "miss", *miss(n)) for n, t in
                         enumerate(poisson(args.miss_rate, args.duration, rng))],
                        [Arrival(t, "analysis", *analysis(n, f"{tag}{round_no}")) for n, t in
                         enumerate(poisson(analysis_rate, args.duration, rng))],
                    ]
                    batch = sorted((a for stream in streams for a in stream), key=lambda a: a.at)
                    started = time.perf_counter()
                    loaded = asyncio.run(run_open_loop(api.url, batch, DRAIN_LIMIT))
                    wall += time.perf_counter() - started
                    calm_p99 = summarise(calm)["p99_ms"]
                    hit_p99 = summarise([x for x in loaded if x.kind == "hit"])["p99_ms"]
                    rounds.append({"idle_p99_ms": calm_p99, "hit_p99_ms": hit_p99, "ratio": hit_p99 / calm_p99,
                                   "load_avg": os.getloadavg()[0]})
                    print(f"round {round_no + 1}: {rounds[-1]}", file=sys.stderr)
                    idle += calm
                    mixed += loaded
                    arrivals += batch
                after = request_counts(api.url)
                # Each analysed company must have exactly one history record: no analysis ran twice.
                histories: Counter[int] = Counter()
                analysed = [a for a, x in zip(arrivals, mixed, strict=True) if a.kind == "analysis"
                            and x.status == 200]
                for a in analysed:
                    company = a.path.split("/companies/")[1].removesuffix("/analyze")
                    got = c.get(f"/api/v1/dashboard/companies/{company}/history", params={"limit": 10})
                    histories[got.json()["count"] if got.status_code == 200 else -got.status_code] += 1
                log_tail = api.log()[-4000:]
    load_after = os.getloadavg()

    by_kind = {kind: summarise([s for s in mixed if s.kind == kind]) for kind in ("hit", "miss", "analysis")}
    idle_stats = summarise(idle)
    identity = identity_check(idle + mixed)
    server_delta = {route: after[route] - before[route] for route in (NEWS, ANALYZE)}
    client_counts = {route: sum(1 for s in idle + mixed if s.route == route and s.status is not None)
                     for route in (NEWS, ANALYZE)}
    result = {
        "capacity_per_s": rate, "capacity_latencies_ms": [x * 1000 for x in cap_latencies],
        "capacity_articles": cap_articles, "analysis_rate": analysis_rate,
        "idle": idle_stats, "mixed": by_kind, "identity": identity, "server_delta": server_delta,
        "client_counts": client_counts, "histories": dict(histories), "wall_s": wall, "model": model,
        "rounds": rounds,
        "load_avg": [load_before[0], load_after[0]],
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if any(v["5xx"] for v in by_kind.values()):
        print(log_tail, file=sys.stderr)
    write_report(args, command, result, model_text)


def write_report(args: argparse.Namespace, command: str, r: dict[str, Any], model_text: str) -> None:
    idle, mixed = r["idle"], r["mixed"]
    hits, misses, a = mixed["hit"], mixed["miss"], mixed["analysis"]
    ratio = hits["p99_ms"] / idle["p99_ms"]
    total_5xx = sum(v["5xx"] for v in mixed.values())
    sent = sum(v["sent"] for v in mixed.values()) + idle["sent"]
    answered = sent - sum(v["lost"] for v in mixed.values()) - idle["lost"]
    per_round = ", ".join(f"{x['ratio']:.1f}× ({x['hit_p99_ms']:.0f} vs {x['idle_p99_ms']:.0f} ms)" for x in r["rounds"])
    identity = r["identity"]
    lost_or_twice = identity["unanswered"] + identity["duplicate_ids_sent"] + identity["echo_mismatch"]
    server_ok = r["server_delta"] == r["client_counts"]
    once = r["histories"] == ({1: a["ok"]} if a["ok"] else {})
    refusals: Counter[str] = Counter()
    for v in mixed.values():
        refusals.update(v["refusals"])
    refused = a["statuses"].get("503", 0)

    def codes(v: dict[str, Any]) -> str:
        other = {k: n for k, n in v["statuses"].items() if k != "200"}
        return ", ".join(f"{k}: {n}" for k, n in sorted(other.items())) or "–"

    def row(label: str, v: dict[str, Any]) -> str:
        return (f"| {label} | {v['sent']} | {v['ok']} | {codes(v)} | {v['p50_ms']:.1f} | {v['p99_ms']:.1f} | "
                f"{v['max_ms']:.1f} |")

    rows = [
        row("cache hit, idle", idle),
        row("cache hit, under load", hits),
        row("cache miss (unique query)", misses),
        row(f"analysis ({r['capacity_articles']} new articles, force_refresh)", a),
    ]
    config = ", ".join(
        f"`{name}={value}`" for name, value in (
            ("ML_TORCH_THREADS", args.torch_threads or "default (physical cores)"),
            ("ANALYSIS_CONCURRENCY", args.slots or "default (2)"),
            ("ANALYSIS_QUEUE_LIMIT", args.queue_limit if args.queue_limit >= 0 else "default (16)"),
        )
    )
    shed = ", ".join(f"{n} × {k}" for k, n in sorted(refusals.items())) or "none"
    tuned = args.torch_threads or args.slots or args.queue_limit >= 0
    why = (" (the settings `docs/operations.md` recommends for a small host, where this run is compared with the"
           " defaults)") if tuned else ""
    body = f"""## Load: cache hits, misses and analyses together (`bench/load.py`)

`{command}` — one uvicorn worker, real Redis (127.0.0.1, db 12, fresh prefix), rate limits off, {config}{why};
the fake Naver in its own process (synthetic: every query has its own 60 articles); {model_text} on
{r['model']['device']} ({r['model']['ml_service_status']}). Load generator: one asyncio httpx process on the same
cores, open loop (seeded Poisson arrivals: a request goes out at its time whether or not earlier ones have
been answered), every request with its own `X-Request-ID`.

1. Capacity: {args.capacity_runs} analyses one after another (`force_refresh`, a new company each, so
   {r['capacity_articles']} new articles classified each, `similarity_threshold: 1.0`) → **{r['capacity_per_s']:.2f}
   analyses/s** for one worker (p50 {statistics.median(r['capacity_latencies_ms']):.0f} ms each).
2. Then {args.rounds} rounds, each: cache hits alone at {args.hit_rate:g}/s for {args.idle:g} s (idle), then
   {args.duration:g} s mixed: cache hits at {args.hit_rate:g}/s, misses at {args.miss_rate:g}/s and analyses at
   **{r['analysis_rate']:.2f}/s ({args.overload:g}× capacity)**, waiting for every answer before the next phase.
   Idle and loaded phases alternate so that other work on the shared machine falls on both. {sent} requests
   in all; the tables pool the rounds.

| requests | sent | 200 | other statuses | p50 (ms) | p99 (ms) | max (ms) |
|---|---:|---:|---|---:|---:|---:|
{chr(10).join(rows)}

- **5xx other than 503: {total_5xx}.** 429/503 (counted apart, each with `Retry-After`): {shed}. No 429: rate
  limits are off. The 503s are the analysis admission at work: at {args.overload:g}× capacity, once
  `ANALYSIS_QUEUE_LIMIT` analyses wait for a slot, further ones are refused at once instead of queueing without
  end ({refused} of {a['sent']} analyses); {a['ok']} were computed.
- **Cache-hit p99 under load {hits['p99_ms']:.1f} ms vs {idle['p99_ms']:.1f} ms idle = {ratio:.1f}×** (target ≤ 3×:
  **{"met" if ratio <= 3 else "not met"}**); p50 {hits['p50_ms']:.1f} vs {idle['p50_ms']:.1f} ms; per round: {per_round}.
  All {hits['ok']} loaded hits were answered from the cache ({hits['not_hit']} were not).
- **No request lost or answered twice:** {answered} of {sent} ids answered, each exactly once with its own
  `X-Request-ID` echoed ({identity['echo_mismatch']} mismatches, {identity['unanswered']} unanswered); the server's
  `news_http_requests_total` grew by exactly the requests sent per route ({"yes" if server_ok else "NO"}:
  {r['server_delta']}); every computed analysis left exactly one history record for its company
  ({"yes" if once else "NO: " + str(r['histories'])}).
- Computed analyses took p50 {a['p50_ms'] / 1000:.1f} s, p99 {a['p99_ms'] / 1000:.1f} s (mostly waiting for a slot);
  misses (fake Naver → dedup → cache) p50 {misses['p50_ms']:.1f} ms, p99 {misses['p99_ms']:.1f} ms.
- Throughput in the mixed phases: {(a['sent'] + hits['sent'] + misses['sent']) / r['wall_s']:.1f} responses/s,
  {a['ok'] / r['wall_s']:.2f} analyses/s
  ({a['ok'] * r['capacity_articles'] / r['wall_s']:.0f} articles classified per second) next to the hits and misses.
- Where a loaded hit's time goes: inside the search service (`response_time_ms`) p99 {hits['server_p99_ms']:.1f} ms
  (idle {idle['server_p99_ms']:.1f} ms); the rest is waiting for the event loop and for a core. The same 2 cores run
  the load generator (lag p99 {max(v['lag_p99_ms'] for v in mixed.values()):.1f} ms behind schedule), the fake Naver,
  Redis, the inference thread and the analyses' Python work, and other jobs on this shared machine (load average,
  1 min: {r['load_avg'][0]:.1f} before, {r['load_avg'][1]:.1f} after)."""
    verdict = total_5xx == 0 and lost_or_twice == 0 and server_ok and once
    print(f"\nverdict: {'ok' if verdict else 'FAILED'}; hit p99 ratio {ratio:.2f}", file=sys.stderr)
    if args.no_write:
        print(body)
    else:
        write_section("load", body)


if __name__ == "__main__":
    main()
