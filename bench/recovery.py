"""Recovery after a dead worker or a Redis restart, with the default settings.

    python -m bench.recovery [--rounds 3]

A private `redis-server` on a free port (no persistence), the fake Naver (4 s per search while the task
is under way, then none), one `news-service worker` (prefork, concurrency 1, the shipped models, every
setting at its default) and, in this process, an analyst's analysis of the same company (keyword
classifier: its search has the worker's cache key, so it waits on the worker's single-flight lock).
Each round of each scenario starts a fresh worker and triggers one analysis; once the worker's child is
inside its Naver call (holding its locks) the analyst asks too, and then:

* `child`: `kill -9` of the pool child;
* `main`: `kill -9` of the worker's main process (the child dies with it); a second worker is started;
* `redis`: `redis-server` stopped and started again, empty, on the same port.

Times are seconds from the fault (for `redis`, from the moment the server answered again).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import signal
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.container import Container, create_container, resolve
from app.settings import (
    CacheSettings,
    CelerySettings,
    MLSettings,
    NaverSettings,
    NewsSettings,
    RedisSettings,
    Settings,
)
from app.workers.celery_app import time_limits, visibility_timeout
from bench.report import write_section
from tests.fakes.naver_server import FakeNaver
from tests.faults.conftest import RedisServer
from tests.integration.conftest import NAVER_ID, NAVER_SECRET, naver_env
from tests.integration.test_worker import WORKER_READY, kill_group, run_celery, service_env, wait_for_log
from tests.integration.test_worker_recovery import child_pids

COMPANY = "삼성전자"
Times = dict[str, float | str]


class Round:
    """One scenario's processes and clocks."""

    def __init__(self, server: RedisServer, naver: FakeNaver, tmp: Path):
        self.server, self.naver, self.tmp = server, naver, tmp
        self.prefix = f"bench-recovery-{uuid.uuid4().hex[:6]}"
        self.settings = Settings(
            naver=NaverSettings(_env_file=None, api_url=naver.url, client_id=NAVER_ID, client_secret=NAVER_SECRET),
            news=NewsSettings(_env_file=None, source="naver"),
            redis=RedisSettings(_env_file=None, url=server.url(), key_prefix=self.prefix),
            ml=MLSettings(_env_file=None, model_name="missing-on-purpose"),
            celery=CelerySettings(_env_file=None),
        )
        self.env = service_env(server.url(), self.prefix, naver_env(naver))
        self.container: Container = create_container(self.settings)

    async def __aenter__(self) -> Round:
        await self.container.init_resources()  # type: ignore[misc]
        # As the API does at start-up: loading Kiwi on a request holds the GIL (and the loop) for seconds.
        await asyncio.to_thread(self.container.keywords().warmup)
        return self

    async def __aexit__(self, *_: object) -> None:
        self.container.classifier().close()
        await self.container.shutdown_resources()  # type: ignore[misc]

    async def stored(self, task_id: str, field: str) -> str | None:
        """A field of the task's record as stored (reading it this way records nothing)."""
        key = f"{self.prefix}:v1:task:{hashlib.sha256(task_id.encode()).hexdigest()}"
        try:
            raw = await (await resolve(self.container.redis)).hget(key, field)
        except Exception:  # Redis restarting
            return None
        return raw.decode() if isinstance(raw, bytes) else None

    async def locks_held(self) -> bool:
        redis = await resolve(self.container.redis)
        return bool([k async for k in redis.scan_iter(match=f"{self.prefix}:v1:search:*:lock")])

    async def start_task(self) -> tuple[str, asyncio.Task[Any], dict[str, float]]:
        """Trigger; once the child holds its search lock, start the analyst's analysis (timed on completion)."""
        self.naver.set_latency(4.0)
        dashboard = await resolve(self.container.task_service)
        task_id = (await dashboard.trigger(COMPANY, 10)).task_id
        await until(self.locks_held, 60)
        analysis = await resolve(self.container.analysis_service)
        done: dict[str, float] = {}
        analyst = asyncio.create_task(analysis.analyze(COMPANY, max_results=10))
        analyst.add_done_callback(lambda _: done.setdefault("at", time.monotonic()))
        return task_id, analyst, done


async def until(check: Callable[[], Any], within: float) -> float:
    """Poll `check` (sync or async) every 50 ms; the monotonic time it first held."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return time.monotonic()
        await asyncio.sleep(0.05)
    raise RuntimeError(f"not within {within} s")


async def analyst_answer(analyst: asyncio.Task[Any], done: dict[str, float], t0: float) -> float:
    outcome = await asyncio.wait_for(analyst, 120)
    assert outcome.result.items, "the analyst got no articles"
    return done["at"] - t0


async def child_killed(server: RedisServer, naver: FakeNaver, tmp: Path) -> Times:
    async with Round(server, naver, tmp) as r:
        with run_celery("worker", r.env, tmp) as worker:
            wait_for_log(worker, WORKER_READY, timeout=120)
            task_id, analyst, done = await r.start_task()
            (child,) = child_pids(worker.process.pid)
            os.kill(child, signal.SIGKILL)
            t0 = time.monotonic()
            naver.set_latency(0)
            answered = await analyst_answer(analyst, done, t0)
            finished = await until(lambda: _in(r.stored(task_id, "state"), {"SUCCESS", "FAILURE"}), 300) - t0
            return {
                "analyst answered": answered,
                "task finished (redelivered)": finished,
                "outcome": f"{await r.stored(task_id, 'state')}, delivery {await r.stored(task_id, 'deliveries')}",
            }


async def main_killed(server: RedisServer, naver: FakeNaver, tmp: Path) -> Times:
    async with Round(server, naver, tmp) as r:
        with run_celery("worker", r.env, tmp) as worker:
            wait_for_log(worker, WORKER_READY, timeout=120)
            task_id, analyst, done = await r.start_task()
            os.kill(worker.process.pid, signal.SIGKILL)
            t0 = time.monotonic()
            naver.set_latency(0)
            answered = await analyst_answer(analyst, done, t0)
            kill_group(worker)
        dashboard = await resolve(r.container.task_service)
        lost = await until(lambda: _state_is(dashboard, task_id, "FAILURE"), 300) - t0
        replacement = await dashboard.trigger(COMPANY, 10)
        assert replacement.created, "the trigger attached to the dead task"
        with run_celery("worker", r.env, tmp):
            replaced = await until(
                lambda: _in(r.stored(replacement.task_id, "state"), {"SUCCESS", "FAILURE"}), 300
            ) - t0
        return {
            "analyst answered": answered,
            "task reported lost, a trigger queues anew": lost,
            "new task finished (fresh worker)": replaced,
            "outcome": str(await r.stored(replacement.task_id, "state")),
        }


async def redis_restarted(server: RedisServer, naver: FakeNaver, tmp: Path) -> Times:
    async with Round(server, naver, tmp) as r:
        with run_celery("worker", r.env, tmp) as worker:
            wait_for_log(worker, WORKER_READY, timeout=120)
            task_id, analyst, done = await r.start_task()
            server.stop()
            server.start()  # same port, no data
            t0 = time.monotonic()
            naver.set_latency(0)
            answered = await analyst_answer(analyst, done, t0)
            back = await until(lambda: _in(r.stored(task_id, "state"), {"STARTED", "SUCCESS"}), 120) - t0
            finished = await until(lambda: _in(r.stored(task_id, "state"), {"SUCCESS", "FAILURE"}), 300) - t0
            return {
                "analyst answered": answered,
                "task's record back": back,
                "task finished": finished,
                "outcome": str(await r.stored(task_id, "state")),
            }


async def _in(value: Any, states: set[str]) -> bool:
    return await value in states


async def _state_is(dashboard: Any, task_id: str, state: str) -> bool:
    try:
        return (await dashboard.task(task_id)).state == state
    except Exception:
        return False


SCENARIOS = {"child": child_killed, "main": main_killed, "redis": redis_restarted}
TITLES = {
    "child": "pool child killed (`kill -9`)",
    "main": "main worker process killed (`kill -9`)",
    "redis": "Redis restarted empty",
}


def table(results: dict[str, list[Times]]) -> str:
    lines = ["| fault | what | median (s) | worst (s) | outcomes |", "|---|---|---:|---:|---|"]
    for name, rounds in results.items():
        outcomes = ", ".join(sorted({str(r["outcome"]) for r in rounds}))
        for what in [k for k in rounds[0] if k != "outcome"]:
            values = [float(r[what]) for r in rounds]
            lines.append(
                f"| {TITLES[name]} | {what} | {statistics.median(values):.1f} | {max(values):.1f} | {outcomes} |"
            )
    return "\n".join(lines)


async def run(rounds: int, only: list[str]) -> dict[str, list[Times]]:
    results: dict[str, list[Times]] = {}
    with tempfile.TemporaryDirectory() as tmp, FakeNaver(client_id=NAVER_ID, client_secret=NAVER_SECRET) as naver:
        server = RedisServer(Path(tmp)).start()
        try:
            for name in only:
                for n in range(rounds):
                    times = await SCENARIOS[name](server, naver, Path(tmp))
                    print(name, n + 1, times, flush=True)
                    results.setdefault(name, []).append(times)
        finally:
            server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=sorted(SCENARIOS), default=list(SCENARIOS))
    args = parser.parse_args()
    results = asyncio.run(run(args.rounds, args.only))
    defaults = Settings(
        cache=CacheSettings(_env_file=None), celery=CelerySettings(_env_file=None), redis=RedisSettings(_env_file=None)
    )
    _, hard = time_limits(defaults)
    body = f"""## Recovery after a dead worker or a Redis restart (`bench/recovery.py`)

`python -m bench.recovery --rounds {args.rounds}` — defaults: `CACHE_LOCK_LEASE_MS` {defaults.cache.lock_lease_ms},
`CACHE_LOCK_TTL_MS` {defaults.cache.lock_ttl_ms}, `TASK_LEASE_SECONDS` {defaults.celery.task_lease_seconds},
visibility timeout {visibility_timeout(hard)} s. One worker (prefork, concurrency 1, shipped models), a
private `redis-server` without persistence, the fake Naver; an analyst's analysis of the same company from
another process waits on the worker's search lock. Seconds from the fault ({args.rounds} rounds each).

{table(results)}

Before leases, the analyst waited for the dead holder's lock to reach its 30 s TTL (29 s measured), and a
task whose main process died stayed STARTED, with triggers deduplicated onto it, until the visibility
timeout ({visibility_timeout(hard)} s, then up to a minute for the restore sweep)."""
    print(body)
    write_section("recovery", body)


if __name__ == "__main__":
    main()
