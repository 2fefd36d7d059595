"""Embedded mode's beat: the periodic watch-list refresh, and stopping it stops the in-process queue."""

from __future__ import annotations

import asyncio
from collections.abc import Sized

from app.adapters.embedded_schedule import EmbeddedSchedule
from app.adapters.task_queue import EmbeddedTaskQueue
from app.services.status_views import EmbeddedWorker


class Jobs:
    def __init__(self) -> None:
        self.ran: list[str] = []

    async def run(self, task_id: str, company: str, max_results: int) -> dict[str, object]:
        self.ran.append(company)
        return {}


class Refresher:
    def __init__(self, fail_first: bool = False) -> None:
        self.calls = 0
        self.fail_first = fail_first

    async def refresh_watchlist(self) -> Sized:
        self.calls += 1
        if self.fail_first and self.calls == 1:
            raise RuntimeError("one bad round")
        return ["삼성전자"]


async def test_the_schedule_refreshes_every_interval_and_survives_a_failed_round() -> None:
    refresher = Refresher(fail_first=True)
    queue = EmbeddedTaskQueue(Jobs())
    async with EmbeddedSchedule(queue, refresher, interval_seconds=0.01):
        assert refresher.calls == 0  # the first run waits one interval, like beat's schedule
        for _ in range(500):
            if refresher.calls >= 3:
                break
            await asyncio.sleep(0.01)
    assert refresher.calls >= 3  # a failed round is logged and the next one still comes
    calls = refresher.calls
    await asyncio.sleep(0.05)
    assert refresher.calls == calls  # stopped with the block


async def test_stopping_the_schedule_stops_the_queue_worker() -> None:
    jobs, gate = Jobs(), asyncio.Event()

    async def slow_run(task_id: str, company: str, max_results: int) -> dict[str, object]:
        await gate.wait()
        return {}

    jobs.run = slow_run  # type: ignore[method-assign]
    queue = EmbeddedTaskQueue(jobs)
    schedule = EmbeddedSchedule(queue, Refresher(), interval_seconds=3600)
    await schedule.start(periodic=False)
    await queue.publish("t-1", "LG전자", 10)
    [node] = (await queue.workers()).nodes
    assert isinstance(node, EmbeddedWorker) and node.running
    await schedule.stop()
    [node] = (await queue.workers()).nodes
    assert isinstance(node, EmbeddedWorker) and not node.running
