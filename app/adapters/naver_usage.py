"""Naver quota accounting: upstream calls counted per KST day in Redis, shared by API and workers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone

from redis.asyncio import Redis

from app.adapters.keyspace import REDIS_ERRORS, Keyspace
from app.adapters.naver import NaverClient, seconds_until_kst_midnight
from app.domain.models import SortOrder, SourcePage
from app.errors import QuotaExhausted
from app.metrics import NAVER_QUOTA_LIMIT, NAVER_QUOTA_USED
from app.services.status_views import QuotaToday, QuotaUnavailable

log = logging.getLogger(__name__)

KST = timezone(timedelta(hours=9))
DAILY_LIMIT = 25_000  # Naver News Search: calls per application per day, reset at KST midnight
_KEEP_SECONDS = 3 * 24 * 3600


def kst_day(now: datetime | None = None) -> str:
    """The Korean calendar day Naver's quota is counted on, e.g. 2026-11-21."""
    return (now or datetime.now(UTC)).astimezone(KST).strftime("%Y-%m-%d")


class NaverUsage:
    """`UsageMeter`: one counter key per KST day (`<prefix>:v1:naver_calls:<day>`, kept three days)."""

    def __init__(self, redis: Redis, keyspace: Keyspace, daily_limit: int = DAILY_LIMIT):
        self._redis = redis
        self._key = keyspace.naver_calls
        self._limit = daily_limit
        NAVER_QUOTA_LIMIT.set(daily_limit)

    @property
    def limit(self) -> int:
        """Calls allowed per KST day."""
        return self._limit

    async def add(self, calls: int) -> None:
        """Count calls made just now; a Redis failure loses them (logged), never the request."""
        key = self._key(kst_day())
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.incrby(key, calls)
                pipe.expire(key, _KEEP_SECONDS)
                total, _ = await pipe.execute()
        except REDIS_ERRORS as exc:
            log.warning("could not count %d Naver calls: %s", calls, type(exc).__name__)
            return
        NAVER_QUOTA_USED.set(int(total))

    async def spent(self) -> bool:
        """Whether today's budget is used up; a Redis failure reads as not spent."""
        try:
            raw = await self._redis.get(self._key(kst_day()))
        except REDIS_ERRORS:
            return False
        used = int(raw or 0)
        NAVER_QUOTA_USED.set(used)
        return used >= self._limit

    async def today(self) -> QuotaToday | QuotaUnavailable:
        """Calls used today (KST), the daily limit and what remains; never raises."""
        day = kst_day()
        try:
            raw = await self._redis.get(self._key(day))
        except REDIS_ERRORS as exc:
            error = type(exc).__name__
            return QuotaUnavailable(date=day, status="unavailable", error=error, limit=self._limit)
        used = int(raw or 0)
        NAVER_QUOTA_USED.set(used)
        return QuotaToday(date=day, used=used, limit=self._limit, remaining=max(0, self._limit - used))


class MeteredNaver:
    """The Naver `NewsSource`, reporting how many HTTP calls each search made to `NaverUsage`."""

    name = "naver"

    def __init__(self, inner: NaverClient, usage: NaverUsage):
        self._inner = inner
        self._usage = usage
        self._reported = 0

    async def search(self, query: str, *, max_results: int, sort: SortOrder, offset: int = 0) -> SourcePage:
        """Search through the wrapped client; count the answered calls (retries and pages included)."""
        if await self._usage.spent():
            raise QuotaExhausted(
                f"the daily Naver budget (NAVER_DAILY_BUDGET={self._usage.limit} calls) is spent; "
                "it resets at midnight KST",
                retry_after=seconds_until_kst_midnight(),
            )
        try:
            return await self._inner.search(query, max_results=max_results, sort=sort, offset=offset)
        finally:
            # Calls that got an HTTP answer (any status) count against the quota; the running total
            # is diffed so concurrent searches never count a call twice.
            total = sum(n for outcome, n in self._inner.calls.items() if outcome.isdigit())
            delta, self._reported = total - self._reported, total
            if delta > 0:
                await self._usage.add(delta)
