"""The dashboard: machinery status, watch list, stored results, background triggers, cache administration."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from app.domain.models import AnalysisResult
from app.domain.summary import run_key
from app.domain.text import normalize_query
from app.errors import AppError, NotFound
from app.services.jobs import TaskLost, describe
from app.services.ports import (
    AnalysisHistory,
    CacheMaintenance,
    Classifier,
    TaskLedger,
    TaskQueue,
    TaskRecord,
    UsageMeter,
    WatchListRepository,
)
from app.settings import Settings

DEFAULT_MAX_RESULTS = 50
TERMINAL = frozenset({"SUCCESS", "FAILURE", "REVOKED"})
RECENT_DAYS = 7  # analysed companies off the watch list are listed this long
RECENT_LIMIT = 8
TREND_LOOKBACK = 50  # history records searched for a comparable earlier run


class HealthProbe(Protocol):
    """Something whose state status reports (Redis)."""

    async def check(self) -> dict[str, object]:
        """A JSON-able state; never raises."""
        ...


@dataclass(frozen=True)
class Triggered:
    """The answer to a trigger: the task that will produce the company's next analysis."""

    task_id: str
    company: str
    state: str
    created: bool


class DashboardService:
    """Reads the store of record and the background machinery; queues analyses."""

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

    @property
    def mode(self) -> str:
        """`redis` (Celery workers) or `embedded` (in-process jobs)."""
        return self._queue.mode

    # -- status ------------------------------------------------------------------------------------

    async def status(self) -> dict[str, Any]:
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
        healthy = redis["status"] != "unavailable" and workers.get("count", 0) > 0
        return {
            "status": "ok" if healthy else "degraded",
            "mode": self.mode,
            "generated_at": datetime.now(UTC).isoformat(),
            "redis": redis,
            "workers": workers,
            "queue": {"depth": depth},
            "refresh_interval_minutes": self._settings.celery.refresh_interval_minutes,
            "monitored_companies": monitored,
            "cache": cache,
            "model": model.model_dump(),
            "naver_quota": {"source": self._settings.news_source, **quota},
        }

    async def _monitored(self) -> dict[str, Any]:
        try:
            companies = await self._watchlist.companies()
            entries = await asyncio.gather(*(self._company_state(c) for c in companies))
        except AppError as exc:
            return {"status": "unavailable", "error": describe(exc), "companies": []}
        return {"status": "ok", "count": len(entries), "companies": list(entries)}

    async def _company_state(self, company: str) -> dict[str, Any]:
        last, pending = await asyncio.gather(
            self._store.history(company, limit=1), self._ledger.pending(company)
        )
        return {
            "company": company,
            "last_run": last[0]["time"] if last else None,
            "pending_task_id": pending,
            "last_result": last[0] if last else None,
        }

    # -- companies, results ------------------------------------------------------------------------

    async def companies(self) -> dict[str, Any]:
        """The watch list with each company's latest and trend, then recently analysed other companies.

        A company's figures are those of its latest analysis (the one last served, cache hits included);
        its trend compares that analysis only with the newest earlier run with the same parameters (source,
        max_results, threshold, model set). Other companies appear while analysed in the last
        RECENT_DAYS with at least one article, RECENT_LIMIT at most, newest first.
        """
        watched = await self._watchlist.companies()
        stored = await self._store.companies()
        by_norm = {normalize_query(name): (name, meta) for name, meta in stored.items()}
        metas = [by_norm.pop(normalize_query(name), (name, {}))[1] for name in watched]
        entries = await asyncio.gather(
            *(self._watched_entry(n, m) for n, m in zip(watched, metas, strict=True))
        )
        horizon = datetime.now(UTC) - timedelta(days=RECENT_DAYS)
        recent = sorted(
            (
                (name, meta)
                for name, meta in by_norm.values()
                if meta.get("articles") and _parse_time(meta.get("last_run")) >= horizon
            ),
            key=lambda pair: _parse_time(pair[1].get("last_run")),
            reverse=True,
        )[:RECENT_LIMIT]
        others = [_entry(name, meta, watched=False) for name, meta in recent]
        return {"watchlist": watched, "companies": [*entries, *others]}

    async def _watched_entry(self, company: str, meta: dict[str, Any]) -> dict[str, Any]:
        entry = _entry(company, meta, watched=True)
        run = meta.get("run")
        if run is None or not meta.get("articles"):
            return entry
        latest = _parse_time(meta["last_run"])
        for record in await self._store.history(company, limit=TREND_LOOKBACK):
            if _parse_time(record["time"]) < latest and run_key(record) == run and record["total_analyzed"]:
                entry["trend"] = {
                    "previous_run": record["time"],
                    "previous_articles": record["total_analyzed"],
                    "previous_negative_ratio": record["negative_ratio"],
                    "delta": round(meta["negative_ratio"] - record["negative_ratio"], 4),
                }
                break
        return entry

    async def watch(self, company: str) -> dict[str, Any]:
        """Add a company to the watch list (beat refreshes it from the next run on)."""
        added = await self._watchlist.add(company)
        watchlist = await self._watchlist.companies()
        return {"company": company, "watched": True, "added": added, "watchlist": watchlist}

    async def unwatch(self, company: str) -> dict[str, Any]:
        """Remove a company from the watch list; its stored results stay."""
        if not await self._watchlist.remove(company):
            raise NotFound(f"'{company}' is not on the watch list")
        return {"company": company, "watched": False, "removed": True,
                "watchlist": await self._watchlist.companies()}

    async def latest(self, company: str) -> AnalysisResult:
        """The company's latest stored analysis."""
        raw = await self._store.latest(company)
        if raw is None:
            raise NotFound(_no_result(company))
        return AnalysisResult.model_validate_json(raw)

    async def history(self, company: str, *, limit: int, since: datetime | None) -> dict[str, Any]:
        """Newest-first snapshots; 404 only when the company has never been analysed."""
        records = await self._store.history(company, limit=limit, since=since)
        if not records and await self._store.latest(company) is None:
            raise NotFound(_no_result(company))
        return {
            "company": company,
            "count": len(records),
            "limit": limit,
            "since": since.isoformat() if since else None,
            "history": records,
        }

    # -- background tasks --------------------------------------------------------------------------

    async def trigger(self, company: str, max_results: int = DEFAULT_MAX_RESULTS) -> Triggered:
        """Queue an analysis, or return the company's task that is already queued or running."""
        new_id = str(uuid.uuid4())
        task_id = await self._ledger.claim(company, new_id, max_results)
        if task_id != new_id:
            record = await self._ledger.get(task_id)
            return Triggered(task_id, company, record.state if record else "PENDING", created=False)
        try:
            await self._queue.publish(task_id, company, max_results)
        except AppError:
            await self._ledger.abandon(company, task_id)
            raise
        return Triggered(task_id, company, "PENDING", created=True)

    async def refresh_watchlist(self, max_results: int = DEFAULT_MAX_RESULTS) -> list[dict[str, Any]]:
        """Trigger every watched company once (companies with a task in flight keep theirs)."""
        results: list[dict[str, Any]] = []
        for company in await self._watchlist.companies():
            try:
                done = await self.trigger(company, max_results)
            except AppError as exc:
                results.append({"company": company, "error": describe(exc)})
                continue
            results.append({"company": company, "task_id": done.task_id, "created": done.created})
        return results

    async def task(self, task_id: str) -> TaskRecord:
        """The task's record; Celery's terminal state wins over a record its worker could not finish."""
        record, backend = await asyncio.gather(self._ledger.get(task_id), self._queue.backend_state(task_id))
        if record is None:
            if backend is None or backend[0] == "PENDING":
                raise NotFound(f"no task '{task_id}' (unknown, or its record expired after 24 hours)")
            return TaskRecord(task_id=task_id, company="", state=backend[0], error=backend[1])
        if backend is not None and record.state not in TERMINAL and backend[0] in TERMINAL:
            # Either the task finished between the two reads, or its worker died without a word
            # (hard time limit): read the record again before trusting Celery's state alone.
            record = await self._ledger.get(task_id) or record
            if record.state not in TERMINAL:
                record = replace(record, state=backend[0], error=backend[1] or record.error)
        if record.lost and backend is not None and backend[0] == "FAILURE" and _known_cause(backend[1]):
            # Celery saw why the worker stopped (the hard time limit killed it): say that, not just "lost".
            record = replace(record, error=backend[1])
        return record

    # -- cache -------------------------------------------------------------------------------------

    async def cache_info(self) -> dict[str, Any]:
        """Keys per kind, hits, misses, hit rate, memory."""
        return await self._cache_admin.info()

    async def clear_cache(self) -> dict[str, Any]:
        """Delete every cached search, analysis and article result of this service."""
        deleted = await self._cache_admin.clear()
        return {"deleted": deleted, "total": sum(deleted.values())}

    async def clear_company_cache(self, company: str) -> dict[str, Any]:
        """Delete the company's cached searches and analyses (every parameter set; docs/background.md)."""
        return {"company": company, "deleted": await self._cache_admin.clear_company(company)}


def _known_cause(error: str | None) -> bool:
    # A refused late delivery of a lost task fails in Celery too, but only repeats what the record says.
    return bool(error) and not str(error).startswith(f"{TaskLost.__name__}:")


def _parse_time(value: str | None) -> datetime:
    if not value:
        return datetime.min.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _entry(company: str, meta: dict[str, Any], *, watched: bool) -> dict[str, Any]:
    articles = meta.get("articles")
    return {
        "company": company,
        "watched": watched,
        "last_run": meta.get("last_run"),
        "articles": articles,
        # A share of nothing is not 0 %: companies without articles have no ratio.
        "negative_ratio": meta.get("negative_ratio") if articles else None,
        "max_results": meta.get("max_results"),
        "trend": None,
    }


def _no_result(company: str) -> str:
    return (
        f"no analysis stored for '{company}' yet; queue one with "
        f"POST /api/v1/dashboard/companies/{company}/trigger"
    )
