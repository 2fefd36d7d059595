"""Embedded mode's records on disk: what is saved, how it comes back, and what a damaged file does."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from fakeredis import FakeServer

from app.adapters.embedded_store import SNAPSHOT, EmbeddedPersistence, TrackedFakeRedis
from app.container import create_container, resolve
from tests.conftest import embedded_settings


def store() -> TrackedFakeRedis:
    return TrackedFakeRedis(server=FakeServer(), decode_responses=False)


async def fill(redis: TrackedFakeRedis) -> None:
    await redis.set("p:v1:latest:abc", "{\"company\": \"삼성전자\"}".encode())
    await redis.hset("p:v1:watchlist", mapping={"삼성전자": b"{}", "lg\xec": b"\x00\xff"})
    await redis.zadd("p:v1:history:abc", {b"record-1": 1.5, b"record-2": 2.5})
    await redis.rpush("p:v1:alerts:deliveries", b"a", b"b")
    await redis.sadd("p:v1:set", b"x")
    await redis.set("p:v1:search:cache", b"cached", ex=600)  # caches expire: never saved


async def test_records_survive_a_restart_and_caches_do_not(tmp_path: Path) -> None:
    first = store()
    async with EmbeddedPersistence(first, tmp_path) as persistence:
        await fill(first)
    assert persistence.path.exists() and not list(tmp_path.glob(".*.tmp"))

    second = store()
    async with EmbeddedPersistence(second, tmp_path):
        assert await second.get("p:v1:latest:abc") == "{\"company\": \"삼성전자\"}".encode()
        assert await second.hgetall("p:v1:watchlist") == {"삼성전자".encode(): b"{}", "lg\xec".encode(): b"\x00\xff"}
        assert await second.zrange("p:v1:history:abc", 0, -1, withscores=True) == [(b"record-1", 1.5), (b"record-2", 2.5)]
        assert await second.lrange("p:v1:alerts:deliveries", 0, -1) == [b"a", b"b"]
        assert await second.smembers("p:v1:set") == {b"x"}
        assert await second.get("p:v1:search:cache") is None
        assert await second.ttl("p:v1:latest:abc") == -1


async def test_skipped_prefixes_are_never_read_or_saved(tmp_path: Path) -> None:
    redis = store()
    async with EmbeddedPersistence(redis, tmp_path, skip=("p:v1:article:",)):
        await redis.set("p:v1:article:abc", b"a cached copy, even without an expiry")
        await redis.set("p:v1:latest:abc", b"a record")
    saved = json.loads((tmp_path / SNAPSHOT).read_text())["keys"]
    assert [base64.b64decode(key) for key in saved] == [b"p:v1:latest:abc"]


async def test_changes_are_saved_while_running_not_only_at_stop(tmp_path: Path) -> None:
    redis = store()
    async with EmbeddedPersistence(redis, tmp_path, interval=0.01) as persistence:
        await redis.set("p:v1:latest:x", b"1")
        for _ in range(200):
            if persistence.path.exists():
                break
            await __import__("asyncio").sleep(0.01)
        saved = json.loads(persistence.path.read_text())
        assert len(saved["keys"]) == 1
        assert await persistence.save() is False  # nothing changed since


async def test_a_damaged_snapshot_is_kept_aside_and_the_store_starts_empty(tmp_path: Path) -> None:
    (tmp_path / SNAPSHOT).write_text("{\"format\": 1, \"keys\": ")  # cut off mid-write by something else
    redis = store()
    async with EmbeddedPersistence(redis, tmp_path):
        assert await redis.dbsize() == 0
    damaged = list(tmp_path.glob(f"{SNAPSHOT}.damaged-*"))
    assert len(damaged) == 1 and damaged[0].read_text().endswith("\"keys\": ")


async def test_a_second_process_reads_but_does_not_write(tmp_path: Path) -> None:
    owner = store()
    async with EmbeddedPersistence(owner, tmp_path):
        await owner.set("p:v1:latest:a", b"owner")
    async with EmbeddedPersistence(owner, tmp_path) as holding:
        other = store()
        async with EmbeddedPersistence(other, tmp_path) as reader:
            assert holding.writing and not reader.writing
            assert await other.get("p:v1:latest:a") == b"owner"
            await other.set("p:v1:latest:a", b"intruder")
    assert json.loads((tmp_path / SNAPSHOT).read_text())["keys"]  # the owner's last save stands
    check = store()
    async with EmbeddedPersistence(check, tmp_path):
        assert await check.get("p:v1:latest:a") == b"owner"


async def test_the_container_keeps_the_watch_list_in_the_data_directory(tmp_path: Path) -> None:
    settings = embedded_settings()
    settings.redis.embedded_data_dir = str(tmp_path)
    for step in ("write", "read"):
        container = create_container(settings)
        await container.init_resources()  # type: ignore[misc]
        try:
            watchlist = await resolve(container.watchlist)
            if step == "write":
                await watchlist.remove("LG전자")
                await watchlist.add("SK하이닉스")
            else:
                assert await watchlist.companies() == ["삼성전자", "SK하이닉스"]
        finally:
            await container.shutdown_resources()  # type: ignore[misc]
