"""Beat's job in embedded mode: the periodic watch-list refresh beside the in-process queue."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sized
from types import TracebackType
from typing import Protocol

from app.adapters.task_queue import EmbeddedTaskQueue

log = logging.getLogger(__name__)


class WatchlistRefresher(Protocol):
    """What the schedule triggers (`TaskService`)."""

    async def refresh_watchlist(self) -> Sized:
        """Trigger every watched company once."""
        ...


class EmbeddedSchedule:
    """Refreshes the watch list every interval (first run after one, like beat); stops the queue with it."""

    def __init__(self, queue: EmbeddedTaskQueue, refresher: WatchlistRefresher, interval_seconds: float):
        self._queue = queue
        self._refresher = refresher
        self._interval = interval_seconds
        self._ticker: asyncio.Task[None] | None = None

    async def start(self, *, periodic: bool = True) -> None:
        """Start the periodic refresh (`periodic=False`: only the queue, stopped with the schedule)."""
        if periodic and self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._refresh_forever())

    async def stop(self) -> None:
        """Stop the refresh and the queue's worker (queued jobs are dropped: embedded state is in-process)."""
        ticker, self._ticker = self._ticker, None
        if ticker is not None:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
        await self._queue.stop()

    async def __aenter__(self) -> EmbeddedSchedule:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                queued = await self._refresher.refresh_watchlist()
                log.info("watch-list refresh: %d companies", len(queued))
            except Exception as exc:  # keep refreshing; one failed round is logged
                log.warning("watch-list refresh failed: %s", type(exc).__name__)
