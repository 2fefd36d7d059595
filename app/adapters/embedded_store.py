"""Embedded mode's store of record on disk: keys without expiry survive restarts, caches do not.

The in-process store (fakeredis) keeps everything in memory. Its records — latest results and history,
the watch list, alert rules and deliveries, analyst labels, the chosen model set — are exactly the keys
with no expiry: every cache, lock, rate-limit and task key expires. Those keys are written to one JSON file
after changes (at most every `interval` seconds, and on shutdown) and read back at start. Writes go to a
temporary file that is fsynced and renamed over the old one, so a crash leaves either the old or the new
snapshot, never half of one. One process at a time owns the directory (an flock); another process
embedded on the same directory reads the snapshot but does not write it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any, BinaryIO

from fakeredis.aioredis import FakeRedis

log = logging.getLogger(__name__)

SNAPSHOT = "store.json"
FORMAT = 1
# Commands that only read: anything else may have changed a key.
_READS = frozenset(
    b"""GET MGET STRLEN EXISTS TYPE TTL PTTL SCAN KEYS DBSIZE PING INFO ECHO TIME HGET HGETALL HMGET HLEN
    HEXISTS HKEYS HVALS HSCAN ZRANGE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZSCORE ZCARD ZCOUNT ZRANK
    ZREVRANK ZSCAN SMEMBERS SISMEMBER SCARD SSCAN LRANGE LLEN LINDEX DUMP MEMORY OBJECT""".split()
)


class TrackedFakeRedis(FakeRedis):
    """The in-process store, noting when a command may have changed something worth saving."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changed = asyncio.Event()

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        """Run a command; a write sets `changed`."""
        name = args[0] if args else b""
        name = name.encode() if isinstance(name, str) else name
        if name.upper() not in _READS:
            self.changed.set()
        return await super().execute_command(*args, **options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        """A pipeline; assumed to write (this service batches writes that way)."""
        self.changed.set()
        return super().pipeline(transaction, shard_hint)


def _text(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _bytes(value: str) -> bytes:
    return base64.b64decode(value.encode("ascii"))


class EmbeddedPersistence:
    """Restore the store of record at start, save it after changes and at stop (async context manager)."""

    def __init__(
        self, redis: TrackedFakeRedis, directory: Path, *, interval: float = 1.0, skip: tuple[str, ...] = ()
    ) -> None:
        self._redis = redis
        # Key prefixes never worth saving (the caches): skipped by name, so a save costs a round trip per
        # record, not per cached copy (5,000 cached articles made each save take ~0.4 s on the event loop).
        self._skip = skip
        self._directory = directory
        self._path = directory / SNAPSHOT
        self._interval = interval
        self._lock_file: BinaryIO | None = None
        self._task: asyncio.Task[None] | None = None
        self._digest = ""
        self._saving = asyncio.Lock()

    @property
    def path(self) -> Path:
        """The snapshot file."""
        return self._path

    @property
    def writing(self) -> bool:
        """Whether this process owns the directory and saves to it."""
        return self._lock_file is not None

    async def __aenter__(self) -> EmbeddedPersistence:
        self._directory.mkdir(parents=True, exist_ok=True)
        self._lock_file = self._lock()
        restored = await self.restore()
        log.info(
            "Embedded store: %d records restored from %s%s",
            restored, self._path, "" if self.writing else " (read-only: another process owns it)",
        )
        if self.writing:
            self._redis.changed.clear()
            self._task = asyncio.create_task(self._save_after_changes(), name="embedded-store-saver")
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            async with self._saving:  # a save in progress finishes first: its thread cannot be cancelled
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            if self.writing:
                await self.save()
        finally:
            if self._lock_file is not None:
                self._lock_file.close()  # releases the flock
                self._lock_file = None

    def _lock(self) -> BinaryIO | None:
        handle = (self._directory / "store.lock").open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            log.warning("Embedded store %s is in use by another process: this one will not save", self._path)
            return None
        return handle

    async def _save_after_changes(self) -> None:
        while True:
            await self._redis.changed.wait()
            self._redis.changed.clear()
            try:
                async with self._saving:
                    await self.save()
            except OSError as exc:  # a full disk must not stop the service; the next change retries
                log.error("Embedded store could not be saved to %s: %s", self._path, exc)
            await asyncio.sleep(self._interval)

    async def restore(self) -> int:
        """Load the snapshot into the store; a damaged file is set aside (never deleted) and skipped."""
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return 0
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError(f"unknown format {data.get('format')!r}")
            records: dict[str, dict[str, Any]] = data["keys"]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            aside = self._path.with_name(f"{SNAPSHOT}.damaged-{int(time.time())}")
            if self.writing:
                self._path.replace(aside)
            log.error("Embedded store %s is unreadable (%s); starting empty, the file is kept as %s",
                      self._path, exc, aside if self.writing else self._path)
            return 0
        async with self._redis.pipeline(transaction=False) as pipe:
            for encoded, record in records.items():
                _restore(pipe, _bytes(encoded), record)
            await pipe.execute()
        self._digest = hashlib.sha256(raw).hexdigest()
        return len(records)

    async def save(self) -> bool:
        """Write every key without expiry to the snapshot file; False when nothing changed since the last."""
        records = await self._records()
        body = json.dumps({"format": FORMAT, "keys": records}, sort_keys=True).encode("ascii")
        digest = hashlib.sha256(body).hexdigest()
        if digest == self._digest:
            return False
        await asyncio.to_thread(_write_atomically, self._path, body)
        self._digest = digest
        return True

    async def _records(self) -> dict[str, dict[str, Any]]:
        skip = tuple(prefix.encode() for prefix in self._skip)
        keys = [key async for key in self._redis.scan_iter(count=1000) if not key.startswith(skip)]
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.type(key).pttl(key)
            kinds = await pipe.execute()
        durable = [
            (key, kind.decode() if isinstance(kind, bytes) else kind)
            for key, kind, ttl in zip(keys, kinds[::2], kinds[1::2], strict=True)
            if ttl == -1
        ]
        async with self._redis.pipeline(transaction=False) as pipe:
            for key, kind in durable:
                _read(pipe, key, kind)
            values = await pipe.execute()
        return {
            _text(key): _record(kind, value) for (key, kind), value in zip(durable, values, strict=True)
        }


def _read(pipe: Any, key: bytes, kind: str) -> None:
    if kind == "string":
        pipe.get(key)
    elif kind == "hash":
        pipe.hgetall(key)
    elif kind == "zset":
        pipe.zrange(key, 0, -1, withscores=True)
    elif kind == "set":
        pipe.smembers(key)
    elif kind == "list":
        pipe.lrange(key, 0, -1)
    else:
        pipe.type(key)  # a kind this service never writes (streams): recorded as unsupported


def _record(kind: str, value: Any) -> dict[str, Any]:
    if kind == "string":
        return {"type": kind, "value": _text(value)}
    if kind == "hash":
        return {"type": kind, "value": {_text(k): _text(v) for k, v in value.items()}}
    if kind == "zset":
        return {"type": kind, "value": [[_text(member), score] for member, score in value]}
    if kind in ("set", "list"):
        return {"type": kind, "value": [_text(member) for member in value]}
    return {"type": kind, "value": None}


def _restore(pipe: Any, key: bytes, record: dict[str, Any]) -> None:
    kind, value = record["type"], record["value"]
    pipe.delete(key)
    if kind == "string":
        pipe.set(key, _bytes(value))
    elif kind == "hash" and value:
        pipe.hset(key, mapping={_bytes(k): _bytes(v) for k, v in value.items()})
    elif kind == "zset" and value:
        pipe.zadd(key, {_bytes(member): score for member, score in value})
    elif kind == "set" and value:
        pipe.sadd(key, *(_bytes(member) for member in value))
    elif kind == "list" and value:
        pipe.rpush(key, *(_bytes(member) for member in value))


def _write_atomically(path: Path, body: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        handle.write(body)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself reaches the disk
    finally:
        os.close(directory)
