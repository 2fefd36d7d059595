"""Task leases (embedded store): a task whose worker died is reported lost and replaced, never run again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import fakeredis
import pytest
from dependency_injector import providers

from app.adapters.keyspace import Keyspace
from app.adapters.task_ledger import RedisTaskLedger
from app.container import resolve
from app.domain.models import Article
from app.errors import NotFound
from app.services.jobs import AnalysisJobs, TaskLost
from app.settings import CelerySettings
from app.workers.lease_keeper import LeaseKeeper
from tests.conftest import embedded_settings
from tests.service.test_dashboard_service import CeleryView, Env, env_for

LEASE = 1  # seconds, the smallest TASK_LEASE_SECONDS: a lease lapses in one second, is renewed every third


class LeaseEnv(Env):
    """The dashboard tests' parts, plus the lease and state of a task."""

    def lease_key(self, task_id: str) -> str:
        return Keyspace(self.prefix).lease(task_id)

    async def state(self, task_id: str) -> str | None:
        record = await self.ledger.get(task_id)
        return record.state if record else None


@pytest.fixture
async def env(articles: list[Article]) -> AsyncIterator[LeaseEnv]:
    base = embedded_settings()
    settings = base.model_copy(update={"celery": CelerySettings(_env_file=None, task_lease_seconds=LEASE)})
    # Kiwi warmed first: a cold load holds the loop for longer than these leases (a stalled heartbeat is a lost
    # task, which is not what these tests are about).
    async with env_for(settings, articles, LeaseEnv, warm_kiwi=True) as ready:
        yield ready


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """Until `check` holds (a state, not a time: `within` only stops a broken test from hanging)."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s")
        await asyncio.sleep(0.02)


async def test_a_trigger_replaces_a_task_whose_worker_died_and_the_dead_one_never_runs(env: LeaseEnv) -> None:
    dead = await env.ledger.claim("삼성전자", "dead", 10)
    assert await env.ledger.start(dead, "삼성전자") == 1  # a worker took it, then was killed: no heartbeat
    assert (await env.tasks.trigger("삼성전자", 10)).task_id == "dead"  # within its lease: deduplicated

    await eventually(lambda: _gone(env, env.lease_key("dead")))
    fresh = await env.tasks.trigger("삼성전자", 10)

    assert fresh.created and fresh.task_id != "dead"
    lost = await env.tasks.task("dead")
    assert lost.state == "FAILURE" and lost.error is not None
    assert lost.error.startswith("WorkerLost: ") and f"task {fresh.task_id} replaced it" in lost.error
    await asyncio.wait_for(env.queue.join(), 10)
    assert await env.state(fresh.task_id) == "SUCCESS"
    # The broker's late delivery of the dead task (after its visibility timeout) is refused.
    with pytest.raises(TaskLost):
        await env.jobs.run("dead", "삼성전자", 10)
    history = (await env.watchlist.history("삼성전자", limit=50, since=None)).model_dump()
    assert [r["id"] for r in history["history"]] == [fresh.task_id]
    assert (await env.tasks.task("dead")).error == lost.error


async def test_status_reports_a_task_whose_worker_died_as_lost(env: LeaseEnv) -> None:
    await env.ledger.claim("LG전자", "orphan", 10)
    await env.ledger.start("orphan", "LG전자")
    await eventually(lambda: _gone(env, env.lease_key("orphan")))

    record = await env.tasks.task("orphan")

    assert record.state == "FAILURE" and record.error is not None
    assert record.error.startswith("WorkerLost: ") and "trigger the company again" in record.error
    assert await env.ledger.pending("LG전자") is None
    companies = ((await env.status.status()).model_dump())["monitored_companies"]["companies"]
    assert [c["pending_task_id"] for c in companies if c["company"] == "LG전자"] == [None]


async def test_a_running_task_renews_its_lease_and_keeps_its_claim(env: LeaseEnv) -> None:
    env.source.delay = 3 * LEASE  # the analysis outlives three leases
    first = await env.tasks.trigger("삼성전자", 10)
    await eventually(lambda: _has_state(env, first.task_id, "STARTED"))
    await asyncio.sleep(1.5 * LEASE)  # without a heartbeat its lease would have lapsed by now

    again = await env.tasks.trigger("삼성전자", 10)

    assert not again.created and again.task_id == first.task_id
    assert 0 < await env.redis.pttl(env.lease_key(first.task_id)) <= LEASE * 1000
    await asyncio.wait_for(env.queue.join(), 10)
    record = await env.tasks.task(first.task_id)
    assert record.state == "SUCCESS" and record.deliveries == 1


async def test_a_run_found_lost_stops_and_stores_nothing(env: LeaseEnv) -> None:
    env.source.delay = 3 * LEASE
    running = await env.tasks.trigger("삼성전자", 10)
    await eventually(lambda: _has_state(env, running.task_id, "STARTED"))
    await env.redis.delete(env.lease_key(running.task_id))  # as if this worker had stalled for a whole lease

    lost = await env.tasks.task(running.task_id)  # whoever looks now records it as lost
    await asyncio.wait_for(env.queue.join(), 10)

    assert lost.state == "FAILURE"
    assert await env.tasks.task(running.task_id) == lost  # the run stopped without overwriting that
    with pytest.raises(NotFound):
        await env.watchlist.latest("삼성전자")


async def test_a_run_writes_its_record_and_claim_again_after_redis_lost_them(env: LeaseEnv) -> None:
    env.source.delay = 3 * LEASE
    running = await env.tasks.trigger("삼성전자", 10)
    await eventually(lambda: _has_state(env, running.task_id, "STARTED"))

    await env.redis.flushdb()  # Redis restarted without its data
    await eventually(lambda: _has_state(env, running.task_id, "STARTED"))  # the next heartbeat

    assert await env.ledger.pending("삼성전자") == running.task_id
    assert not (await env.tasks.trigger("삼성전자", 10)).created
    await asyncio.wait_for(env.queue.join(), 10)
    assert await env.state(running.task_id) == "SUCCESS"
    history = (await env.watchlist.history("삼성전자", limit=50, since=None)).model_dump()
    assert [r["id"] for r in history["history"]] == [running.task_id]


async def test_a_lost_task_that_celery_saw_fail_reports_celerys_reason(env: LeaseEnv) -> None:
    # The hard time limit killed the child: Celery recorded why, the ledger saw only the lease lapse.
    env.container.task_queue.override(providers.Object(CeleryView("FAILURE", "TimeLimitExceeded: 360")))
    env.container.task_service.reset()
    dashboard = await resolve(env.container.task_service)
    await env.ledger.claim("삼성전자", "killed", 10)
    await env.ledger.start("killed", "삼성전자")
    await eventually(lambda: _gone(env, env.lease_key("killed")))

    record = await dashboard.task("killed")

    assert (record.state, record.error, record.lost) == ("FAILURE", "TimeLimitExceeded: 360", True)
    # A refused late delivery fails in Celery as well, saying less than the ledger: the ledger's words stay.
    env.container.task_queue.override(providers.Object(CeleryView("FAILURE", "TaskLost: not rerun")))
    env.container.task_service.reset()
    dashboard = await resolve(env.container.task_service)
    error = (await dashboard.task("killed")).error
    assert error is not None and error.startswith("WorkerLost: ")


class CancelSwallowingLedger:
    """The real ledger, except that its first renewal swallows a cancellation (as asyncio.wait_for can, < 3.12)."""

    def __init__(self, inner: RedisTaskLedger) -> None:
        self._inner = inner
        self.swallowed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def renew(self, task_id: str, company: str, delivery: int) -> bool:
        if self.swallowed:
            return True
        try:
            await asyncio.sleep(3600)  # Redis answering only once the run is over...
        except asyncio.CancelledError:
            self.swallowed = True  # ...and the cancellation lost on the way back
        return True


async def test_a_heartbeat_stops_even_when_a_renewal_swallows_its_cancellation(env: LeaseEnv) -> None:
    env.source.delay = 0.5  # the heartbeat is inside a renewal when the analysis ends
    ledger = CancelSwallowingLedger(env.ledger)
    analysis = await resolve(env.container.analysis_service)
    jobs = AnalysisJobs(analysis, ledger, time_limit=30, lease_seconds=0.3)  # type: ignore[arg-type]
    task_id = await env.ledger.claim("삼성전자", "swallowed", 10)

    summary = await asyncio.wait_for(jobs.run(task_id, "삼성전자", 10), 10)  # before: waited for the heartbeat

    assert ledger.swallowed
    assert summary.task_id == "swallowed" and await env.state("swallowed") == "SUCCESS"


def test_the_worker_main_process_extends_the_leases_of_its_tasks_that_started() -> None:
    # While a killed child's task waits for a new child, only the main process holds it.
    client = fakeredis.FakeRedis()
    keys = Keyspace("p")
    client.set(keys.lease("redelivered"), "1", px=1000)
    keeper = LeaseKeeper(client, keys, lease_seconds=30, held=lambda: ["redelivered", "queued"])

    assert keeper.renew() == 1
    assert 1000 < client.pttl(keys.lease("redelivered")) <= 30_000
    assert not client.exists(keys.lease("queued"))  # never started (or found lost): no lease made up


async def _gone(env: LeaseEnv, key: str) -> bool:
    return not await env.redis.exists(key)


async def _has_state(env: LeaseEnv, task_id: str, state: str) -> bool:
    return await env.state(task_id) == state
