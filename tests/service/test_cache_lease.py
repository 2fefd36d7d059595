"""Single-flight locks with short leases (fakeredis): a dead holder is taken over, a live one keeps its lock."""

from __future__ import annotations

import asyncio

import fakeredis
import fakeredis.aioredis
import pytest

from app.adapters.cache import Cache
from app.adapters.counters import BufferedCounters
from app.adapters.keyspace import Keyspace
from app.errors import UpstreamError
from app.settings import CacheSettings

LEASE_MS = 500  # renewed every 167 ms: a loop stalled for over 333 ms would lose it (a loaded test host)


class Upstream:
    """A loader that counts its calls, takes `delay` seconds and can be told to fail."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls = 0
        self.running = self.most_at_once = 0
        self.delay = delay
        self.error: Exception | None = None
        self.started = asyncio.Event()

    async def __call__(self) -> tuple[str, int]:
        self.calls += 1
        self.started.set()
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.running -= 1
        if self.error is not None:
            raise self.error
        return '{"answer": 42}', 60


@pytest.fixture
def redis() -> fakeredis.aioredis.FakeRedis:
    return fakeredis.aioredis.FakeRedis(server=fakeredis.FakeServer())


def make_cache(redis: fakeredis.aioredis.FakeRedis, **overrides: int) -> Cache:
    settings = CacheSettings(_env_file=None, lock_lease_ms=LEASE_MS, **overrides)  # type: ignore[arg-type]
    return Cache(redis, settings, Keyspace("t"), counters=BufferedCounters(redis))


async def test_a_dead_holders_lock_is_taken_over_by_one_follower(redis: fakeredis.aioredis.FakeRedis) -> None:
    cache = make_cache(redis)
    key = cache.key("analysis", "삼성전자")
    # What a process killed mid-load leaves behind: its lock with the lease it last set, and no heartbeat.
    await redis.set(f"{key}:lock", "token-of-a-dead-process", px=LEASE_MS)
    upstream = Upstream(delay=0.05)

    outcomes = await asyncio.gather(*(cache.fetch(key, upstream) for _ in range(50)))

    assert upstream.calls == 1  # one follower took the lock over; the other 49 waited for it
    assert sum(not o.cache_hit for o in outcomes) == 1
    assert {o.value for o in outcomes} == {'{"answer": 42}'}
    assert await redis.get(f"{key}:lock") is None  # the new leader let go when done


async def test_a_live_holder_slower_than_its_lease_keeps_the_lock(redis: fakeredis.aioredis.FakeRedis) -> None:
    cache = make_cache(redis)
    key = cache.key("analysis", "LG전자")
    upstream = Upstream(delay=4 * LEASE_MS / 1000)  # four leases: only the heartbeat keeps the lock alive

    leader = asyncio.create_task(cache.fetch(key, upstream))
    await upstream.started.wait()
    ttl = await redis.pttl(f"{key}:lock")
    followers = await asyncio.gather(*(cache.fetch(key, upstream) for _ in range(20)))

    assert 0 < ttl <= LEASE_MS  # a holder that died now would block the key for one lease at most
    assert upstream.calls == 1
    assert (await leader).cache_hit is False and all(o.cache_hit for o in followers)


async def test_followers_of_a_failed_leader_each_try_once_themselves(redis: fakeredis.aioredis.FakeRedis) -> None:
    cache = make_cache(redis)
    key = cache.key("search", "카카오")
    upstream = Upstream(delay=0.1)
    upstream.error = UpstreamError("Naver answered 500")

    results = await asyncio.gather(*(cache.fetch(key, upstream) for _ in range(3)), return_exceptions=True)

    assert all(isinstance(r, UpstreamError) for r in results)
    # The leader failed, then both followers tried at once, neither queued behind the other's failure.
    assert (upstream.calls, upstream.most_at_once) == (3, 2)
    # What tells them: a failed leader leaves a marker for a second instead of an empty lock.
    other = cache.key("search", "카카오뱅크")
    with pytest.raises(UpstreamError):
        await cache.fetch(other, upstream)
    assert await redis.get(f"{other}:lock") == b"gave-up"
    assert 0 < await redis.pttl(f"{other}:lock") <= 1000


async def test_a_lock_that_never_expires_holds_followers_only_for_the_lock_ttl(
    redis: fakeredis.aioredis.FakeRedis,
) -> None:
    cache = make_cache(redis, lock_ttl_ms=400)
    key = cache.key("search", "네이버")
    await redis.set(f"{key}:lock", "stuck")  # no expiry at all: only the follower's own bound ends the wait
    upstream = Upstream()

    outcome = await cache.fetch(key, upstream)

    assert outcome.cache_hit is False and upstream.calls == 1
