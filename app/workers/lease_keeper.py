"""The worker's main process keeps the leases of the tasks it holds, so that a pool child's death loses none.

A prefork child renews the lease of the task it runs (`AnalysisJobs`). When the child is killed, Celery puts
the task back on the queue and this process takes it again while a new child starts, which takes seconds
(minutes with large models): renewing here meanwhile keeps the task from being reported lost and replaced
while its redelivery is on the way. When the main process dies as well, nothing renews the lease and it
lapses within TASK_LEASE_SECONDS.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

import redis

from app.adapters.keyspace import REDIS_ERRORS, Keyspace
from app.settings import Settings

log = logging.getLogger(__name__)


class LeaseKeeper:
    """A daemon thread renewing, every third of the lease, the leases of the tasks `held()` names."""

    def __init__(
        self, client: redis.Redis, keyspace: Keyspace, lease_seconds: float, held: Callable[[], Iterable[str]]
    ):
        self._client = client
        self._lease_key = keyspace.lease
        self._lease_ms = max(1, round(lease_seconds * 1000))
        self._held = held
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def renew(self) -> int:
        """Extend the leases that still exist (a run started them); how many were extended."""
        task_ids = list(self._held())
        if not task_ids:
            return 0
        pipe = self._client.pipeline(transaction=False)
        for task_id in task_ids:
            # PEXPIRE never creates a key: a task not yet started, or already recorded as lost, stays so.
            pipe.pexpire(self._lease_key(task_id), self._lease_ms)
        return sum(bool(done) for done in pipe.execute())

    def start(self) -> None:
        """Renew in the background until `stop`."""
        self._thread = threading.Thread(target=self._run, name="news-lease-keeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop renewing and close the connection."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._client.close()

    def _run(self) -> None:
        while not self._stop.wait(self._lease_ms / 3000):
            try:
                self.renew()
            except REDIS_ERRORS as exc:  # the next beat tries again; the lease outlasts two misses
                log.warning("could not renew the leases of this worker's tasks: %s", type(exc).__name__)
            except RuntimeError:  # Celery changed its request set while we copied it: next beat
                continue


def keeper_for(settings: Settings) -> LeaseKeeper:
    """A keeper for this worker's tasks, on its own short-timeout connection to REDIS_URL."""
    client = redis.Redis.from_url(
        settings.redis.url, socket_timeout=1.0, socket_connect_timeout=1.0, retry_on_timeout=False
    )
    lease = settings.celery.task_lease_seconds
    return LeaseKeeper(client, Keyspace(settings.redis.key_prefix), lease, held_by_this_worker)


def held_by_this_worker() -> list[str]:
    """Ids of the tasks this worker process has received and not finished (queued for a child or running)."""
    from celery.worker import state

    return list(state.requests)
