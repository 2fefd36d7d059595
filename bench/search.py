"""Cache-hit path vs cold path of `POST /search/news` over real HTTP (uvicorn, real Redis, fake Naver).

    python -m bench.search [--duration 10] [--connections 8]

Needs `wrk` (Debian package) as the load generator and Redis on 127.0.0.1:6379 (db 12 is used,
keys under a fresh prefix, deleted afterwards). The fake Naver runs in its own process.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.report import write_section
from bench.servers import fake_naver_process
from bench.stats import percentile
from tests.integration.apiserver import run_api

REDIS_URL = "redis://127.0.0.1:6379/12"

HIT_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query": "삼성전자", "max_results": 10}'
"""
# Every request a new query: cache miss → Naver (fake) → dedup → cache write.
COLD_LUA = """
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"query": "삼성전자 %d-%d", "max_results": 10}', math.random(1, 1e9), counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"""


def wrk(url: str, script: str, duration: int, connections: int) -> dict[str, float]:
    """Run wrk with one thread; return req/s and latency percentiles in ms."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", handle.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not match:
            raise RuntimeError(f"no {label}% in wrk output:\n{out}")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "non2xx": float(errors.group(1)) if errors else 0.0}


def sequential(url: str, body_for: callable, n: int) -> dict[str, float]:  # type: ignore[valid-type]
    """One client, one request at a time: latency without queueing."""
    samples = []
    with httpx.Client(timeout=30) as client:
        for i in range(n):
            started = time.perf_counter()
            response = client.post(url, json=body_for(i))
            samples.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return {"p50": statistics.median(samples), "p99": percentile(samples, 99), "n": n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--sequential", type=int, default=500)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is required: apt-get install wrk")

    with fake_naver_process() as naver_env, tempfile.TemporaryDirectory() as tmp:
        env = {
            **naver_env,
            "LOG_LEVEL": "WARNING",
            "RATE_LIMIT_SEARCH_PER_MINUTE": "0",  # one client at 1,000 req/s: measure the service, not the limiter
        }
        with run_api(env, Path(tmp), redis_url=REDIS_URL) as api:
            url = f"{api.url}/api/v1/search/news"
            httpx.post(url, json={"query": "삼성전자", "max_results": 10}, timeout=30).raise_for_status()
            seq_hit = sequential(url, lambda _: {"query": "삼성전자", "max_results": 10}, args.sequential)
            seq_cold = sequential(
                url, lambda i: {"query": f"삼성전자 순차 {i}", "max_results": 10}, max(50, args.sequential // 5)
            )
            hit = wrk(url, HIT_LUA, args.duration, args.connections)
            cold = wrk(url, COLD_LUA, args.duration, args.connections)
            sample = httpx.post(url, json={"query": "삼성전자", "max_results": 10}).json()

    results = {"sequential_hit": seq_hit, "sequential_cold": seq_cold, "wrk_hit": hit, "wrk_cold": cold}
    print(json.dumps(results, indent=2))
    assert sample["search_metadata"]["cache_hit"] is True
    body = f"""## Search: cache hit vs cold path (`bench/search.py`)

`python -m bench.search --duration {args.duration} --connections {args.connections}` — one uvicorn worker,
real Redis (127.0.0.1), fake Naver in its own process (loopback), `POST /api/v1/search/news` with 10 results.
Load generator: wrk, 1 thread, {args.connections} connections, {args.duration} s per path, on the same 2 cores.

| path | p50 (ms) | p99 (ms) | requests/s | non-2xx |
|---|---:|---:|---:|---:|
| cache hit, sequential (1 client, {seq_hit['n']} req) | {seq_hit['p50']:.2f} | {seq_hit['p99']:.2f} | – | 0 |
| cold (miss → Naver → dedup → cache), sequential ({seq_cold['n']} req) | {seq_cold['p50']:.2f} | {seq_cold['p99']:.2f} | – | 0 |
| cache hit, wrk | {hit['p50']:.2f} | {hit['p99']:.2f} | {hit['rps']:.0f} | {hit['non2xx']:.0f} |
| cold, wrk | {cold['p50']:.2f} | {cold['p99']:.2f} | {cold['rps']:.0f} | {cold['non2xx']:.0f} |

Cache hit vs cold: {seq_cold['p50'] / seq_hit['p50']:.1f}× lower p50 (sequential), {hit['rps'] / max(cold['rps'], 1):.1f}× the
throughput. Target: hit p50 ≤ 2 ms and ≥ 1,000 req/s on one worker (the replaced system: 100 ms per hit)."""
    write_section("search", body)


if __name__ == "__main__":
    main()
