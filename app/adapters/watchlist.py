"""The watch list (companies refreshed in the background), kept in Redis and seeded once from settings."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from redis.asyncio import Redis

from app.adapters.keyspace import Keyspace, redis_errors
from app.domain.text import normalize_query

# Seed only on the very first use: a list emptied on purpose must stay empty after a restart.
_SEED = """
if redis.call('SET', KEYS[2], ARGV[1], 'NX') then
  for i = 2, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
  return 1
end
return 0
"""


_CANNOT = "the watch list cannot be read or changed"


def _entry(company: str, added_at: float) -> str:
    return json.dumps({"company": company, "added_at": added_at}, ensure_ascii=False)


class WatchList:
    """A hash `normalised name → {company, added_at}` (store of record: no TTL)."""

    def __init__(self, redis: Redis, keyspace: Keyspace, seed: Sequence[str]):
        self._redis = redis
        self._key = keyspace.watchlist()
        self._seeded_key = keyspace.watchlist_seeded()
        self._seed = list(seed)
        self._seeded = False
        self._script = redis.register_script(_SEED)

    async def _ensure_seeded(self) -> None:
        if self._seeded:
            return
        now = time.time()
        args: list[str | float] = [now]
        for offset, company in enumerate(self._seed):
            args += [normalize_query(company), _entry(company, now + offset / 1000)]
        await self._script(keys=[self._key, self._seeded_key], args=args)
        self._seeded = True

    async def companies(self) -> list[str]:
        """The watch list, oldest entry first."""
        with redis_errors(_CANNOT):
            await self._ensure_seeded()
            raw = await self._redis.hgetall(self._key)
        entries = [json.loads(value) for value in raw.values()]
        return [e["company"] for e in sorted(entries, key=lambda e: (e["added_at"], e["company"]))]

    async def add(self, company: str) -> bool:
        """Watch a company; False if it was already watched (under any spelling with the same normal form)."""
        with redis_errors(_CANNOT):
            await self._ensure_seeded()
            entry = _entry(company, time.time())
            return bool(await self._redis.hsetnx(self._key, normalize_query(company), entry))

    async def remove(self, company: str) -> bool:
        """Stop watching a company; False if it was not watched."""
        with redis_errors(_CANNOT):
            await self._ensure_seeded()
            return bool(await self._redis.hdel(self._key, normalize_query(company)))
