"""Cache hits while ten oversized-header requests arrive at once: `news-service serve` vs bare uvicorn.

    python -m bench.edge [--header-mb 50] [--floods 10] [--waves 3] [--rounds 2] [--no-write]

Two API processes of the same app in embedded mode (archive source, rate limits off, LOG_LEVEL=WARNING), on
loopback: `news-service serve` (request heads limited, app/http_server.py) and `uvicorn app.main:create_app`
with httptools and none of those limits. For each, in alternating rounds:

1. Idle: sequential cache hits (`POST /api/v1/search/news`, a warm query) → idle p50/p99.
2. Flood, `--waves` times: `--floods` connections at once each send `GET /api/v1/system/health` with one
   `--header-mb` MB header; meanwhile one client sends the same cache hits one after another until every
   flood connection has been answered or cut off. Reported: the hits' latency (all waves) against the idle
   p50, how long a wave lasted (median), what the oversized requests got, and how far the server's resident
   memory rose above what it was before the waves (its peak, VmHWM, reset through /proc/PID/clear_refs).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.load import pct
from bench.report import write_section
from tests.integration.apiserver import ApiServer, run_api

NEWS = "/api/v1/search/news"
HIT = {"query": "삼성전자", "max_results": 10}
ENV = {"NEWS_SOURCE": "archive", "LOG_LEVEL": "WARNING", "RATE_LIMIT_SEARCH_PER_MINUTE": "0"}
SERVERS = {"news-service serve (limits)": False, "bare uvicorn (no limits)": True}


@dataclass
class Round:
    """One server's figures in one round."""

    server: str
    idle: list[float]
    flood: list[float]
    wave_seconds: list[float]
    outcomes: list[str]
    rss_growth_mb: float


def memory_mb(pid: int, field: str) -> float:
    """`VmRSS` (resident now) or `VmHWM` (peak resident since the last reset) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field}")


def reset_peak(pid: int) -> float:
    """Make the peak start from the resident set now (Linux `clear_refs` 5); return that resident set in MB."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return memory_mb(pid, "VmRSS")


def oversized(api: ApiServer, request: bytes, outcomes: list[str]) -> None:
    """Send one oversized request; record the status answered, or how the connection ended."""
    answer = b""
    try:
        with socket.create_connection(("127.0.0.1", urlsplit(api.url).port or 80), timeout=300) as sock:
            sock.sendall(request)
            while chunk := sock.recv(65536):
                answer += chunk
        outcomes.append(answer.split(b" ", 2)[1].decode() if answer else "closed")
    except OSError as exc:
        outcomes.append(type(exc).__name__)


def hit(client: httpx.Client) -> float:
    """One cache hit; its latency in ms."""
    started = time.perf_counter()
    response = client.post(NEWS, json=HIT)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    assert response.json()["search_metadata"]["cache_hit"] is True
    return elapsed


def measure(name: str, api: ApiServer, request: bytes, args: argparse.Namespace) -> Round:
    """Idle hits, then hits during waves of oversized requests."""
    with httpx.Client(base_url=api.url, timeout=300) as client:
        idle = [hit(client) for _ in range(args.idle_hits)]
        rss_before = reset_peak(api.process.pid)
        outcomes: list[str] = []
        flood: list[float] = []
        waves = []
        for _ in range(args.waves):
            threads = [
                threading.Thread(target=oversized, args=(api, request, outcomes)) for _ in range(args.floods)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            flood.append(hit(client))
            while any(thread.is_alive() for thread in threads):
                flood.append(hit(client))
            waves.append(time.perf_counter() - started)
            for thread in threads:
                thread.join()
    return Round(name, idle, flood, waves, outcomes, memory_mb(api.process.pid, "VmHWM") - rss_before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--header-mb", type=float, default=50)
    parser.add_argument("--floods", type=int, default=10)
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--idle-hits", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    header = b"X-Big: " + b"a" * int(args.header_mb * 1_000_000) + b"\r\n"
    request = b"GET /api/v1/system/health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n" + header + b"\r\n"

    rounds: list[Round] = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        servers = {
            name: stack.enter_context(run_api(ENV, Path(tmp), bare_uvicorn=bare)) for name, bare in SERVERS.items()
        }
        for api in servers.values():
            httpx.post(f"{api.url}{NEWS}", json=HIT, timeout=60).raise_for_status()  # the miss that fills the cache
        for index in range(args.rounds):
            order = list(servers) if index % 2 == 0 else list(reversed(servers))  # drift falls on both alike
            for name in order:
                rounds.append(measure(name, servers[name], request, args))
                print(json.dumps(summary(rounds[-1])), flush=True)
    report(rounds, args)


def summary(r: Round) -> dict[str, object]:
    """The figures of one round."""
    idle_p50 = statistics.median(r.idle)
    return {
        "server": r.server,
        "idle_p50_ms": round(idle_p50, 2),
        "idle_p99_ms": round(pct(r.idle, 99), 2),
        "flood_hits": len(r.flood),
        "flood_p50_ms": round(statistics.median(r.flood), 2),
        "flood_max_ms": round(max(r.flood), 2),
        "p50_ratio": round(statistics.median(r.flood) / idle_p50, 1),
        "max_ratio": round(max(r.flood) / idle_p50, 1),
        "wave_s": round(statistics.median(r.wave_seconds), 2),
        "outcomes": dict(sorted((o, r.outcomes.count(o)) for o in set(r.outcomes))),
        "rss_growth_mb": round(r.rss_growth_mb),
    }


def report(rounds: list[Round], args: argparse.Namespace) -> None:
    rows = []
    for index, r in enumerate(rounds):
        s = summary(r)
        got = ", ".join(f"{count}× {outcome}" for outcome, count in s["outcomes"].items())  # type: ignore[attr-defined]
        rows.append(
            f"| {index // len(SERVERS) + 1} | {r.server} | {s['idle_p50_ms']:.2f} | {s['flood_hits']} | "
            f"{s['flood_p50_ms']:.2f} | {s['flood_max_ms']:.1f} | **{s['p50_ratio']}×** | **{s['max_ratio']}×** | "
            f"{s['wave_s']:.2f} | {got} | {s['rss_growth_mb']} |"
        )
    command = f"python -m bench.edge --header-mb {args.header_mb:g} --floods {args.floods} --waves {args.waves} "
    command += f"--rounds {args.rounds} --idle-hits {args.idle_hits}"
    body = f"""## Oversized request heads: cache hits during a header flood (`bench/edge.py`)

`{command}` — the same app twice, embedded mode, archive source, `LOG_LEVEL=WARNING`, loopback:
`news-service serve` (request heads limited: `MAX_HEADER_BYTES` 16 KiB, `app/http_server.py`) and bare
`uvicorn app.main:create_app` (httptools, no limits). Per round and server: {args.idle_hits} sequential cache hits
(`POST {NEWS}`) idle, then {args.waves} waves of {args.floods} connections at once, each sending one {args.header_mb:g} MB
header, while one client keeps sending the same cache hit until every one of them has been answered or cut
off (one hit goes out as each wave starts, more only while the wave lasts). Rounds alternate the order of the
servers. Ratios: a hit's latency during the waves ÷ the idle p50 of the same server in the same round.

| round | server | idle p50 (ms) | hits during waves | p50 (ms) | max (ms) | p50 ÷ idle | max ÷ idle | a wave lasted (s, median) | oversized requests got | peak memory growth (MB) |
|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|
{chr(10).join(rows)}

With the limits each oversized request is answered 431 (or, while it is still pushing its header after the
server has drained 1 MiB of it, cut off: `ConnectionResetError`/`BrokenPipeError`) within one read of the
limit, having held at most one read (256 KiB) of it; without them every one is read whole, joined read by read
(httptools copies the whole header again for each 256 KiB read), and answered 200, and cache hits wait
behind that copying for seconds."""
    print(body)
    if not args.no_write:
        write_section("edge", body)


if __name__ == "__main__":
    main()
