"""The background machinery at a glance: Redis, workers, queue, watched companies, cache, model, quota."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from app.errors import AppError
from app.services.jobs import describe
from app.services.ports import (
    AnalysisHistory,
    CacheMaintenance,
    Classifier,
    HealthProbe,
    TaskLedger,
    TaskQueue,
    UsageMeter,
    WatchListRepository,
)
from app.services.status_views import (
    Monitored,
    MonitoredCompany,
    MonitoredUnavailable,
    NaverQuota,
    NaverQuotaUnavailable,
    QueueState,
    QuotaToday,
    QuotaUnavailable,
)
from app.services.views import StatusResponse
from app.settings import Settings


class StatusService:
    """Reads every part the dashboard's status line and `GET /dashboard/status` report; never raises."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: AnalysisHistory,
        watchlist: WatchListRepository,
        ledger: TaskLedger,
        queue: TaskQueue,
        cache_admin: CacheMaintenance,
        redis_probe: HealthProbe,
        classifier: Classifier,
        usage: UsageMeter,
    ):
        self._settings = settings
        self._store = store
        self._watchlist = watchlist
        self._ledger = ledger
        self._queue = queue
        self._cache_admin = cache_admin
        self._redis = redis_probe
        self._classifier = classifier
        self._usage = usage

    async def status(self) -> StatusResponse:
        """Redis, workers, queue depth, watched companies, cache, model and Naver quota; never raises."""
        redis, workers, depth, monitored, cache, quota = await asyncio.gather(
            self._redis.check(),
            self._queue.workers(),
            self._queue.depth(),
            self._monitored(),
            self._cache_admin.stats(),
            self._usage.today(),
        )
        model = self._classifier.info()
        healthy = redis.status != "unavailable" and workers.count > 0
        return StatusResponse(
            status="ok" if healthy else "degraded",
            mode=self._queue.mode,
            generated_at=datetime.now(UTC).isoformat(),
            redis=redis,
            workers=workers,
            queue=QueueState(depth=depth),
            refresh_interval_minutes=self._settings.celery.refresh_interval_minutes,
            monitored_companies=monitored,
            cache=cache,
            model=model,
            naver_quota=_quota(self._settings.news_source, quota),
        )

    async def _monitored(self) -> Monitored | MonitoredUnavailable:
        try:
            companies = await self._watchlist.companies()
            entries = await asyncio.gather(*(self._company_state(c) for c in companies))
        except AppError as exc:
            return MonitoredUnavailable(status="unavailable", error=describe(exc), companies=[])
        return Monitored(status="ok", count=len(entries), companies=list(entries))

    async def _company_state(self, company: str) -> MonitoredCompany:
        last, pending = await asyncio.gather(
            self._store.history(company, limit=1), self._ledger.pending(company)
        )
        newest = last[0] if last else None
        return MonitoredCompany(
            company=company,
            last_run=newest.time if newest else None,
            pending_task_id=pending,
            last_result=newest,
        )


def _quota(source: str, today: QuotaToday | QuotaUnavailable) -> NaverQuota | NaverQuotaUnavailable:
    """Today's Naver calls, led by the news source in use."""
    if isinstance(today, QuotaUnavailable):
        return NaverQuotaUnavailable(source=source, **today.model_dump())
    return NaverQuota(source=source, **today.model_dump())
