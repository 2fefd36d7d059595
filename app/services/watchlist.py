"""The watch list and each company's stored results, as the dashboard shows them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from app.domain.models import AnalysisResult
from app.domain.text import normalize_query
from app.errors import NotFound
from app.services.ports import AnalysisHistory, WatchListRepository
from app.services.views import CompaniesResponse, CompanyEntry, HistoryResponse, Trend, WatchResponse

RECENT_DAYS = 7  # analysed companies off the watch list are listed this long
RECENT_LIMIT = 8
TREND_LOOKBACK = 50  # history records searched for a comparable earlier run


class WatchListService:
    """Which companies are watched, and what their latest analyses and histories say."""

    def __init__(self, *, store: AnalysisHistory, watchlist: WatchListRepository):
        self._store = store
        self._watchlist = watchlist

    async def companies(self) -> CompaniesResponse:
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
        return CompaniesResponse(watchlist=watched, companies=[*entries, *others])

    async def _watched_entry(self, company: str, meta: dict[str, Any]) -> CompanyEntry:
        entry = _entry(company, meta, watched=True)
        run = meta.get("run")
        if run is None or not meta.get("articles"):
            return entry
        latest = _parse_time(meta["last_run"])
        for record in await self._store.history(company, limit=TREND_LOOKBACK):
            if _parse_time(record.time) < latest and record.run_key() == run and record.total_analyzed:
                entry.trend = Trend(
                    previous_run=record.time,
                    previous_articles=record.total_analyzed,
                    previous_negative_ratio=record.negative_ratio,
                    delta=round(meta["negative_ratio"] - record.negative_ratio, 4),
                )
                break
        return entry

    async def watch(self, company: str) -> WatchResponse:
        """Add a company to the watch list (beat refreshes it from the next run on)."""
        added = await self._watchlist.add(company)
        watchlist = await self._watchlist.companies()
        return WatchResponse(company=company, watched=True, added=added, watchlist=watchlist)

    async def unwatch(self, company: str) -> WatchResponse:
        """Remove a company from the watch list; its stored results stay."""
        if not await self._watchlist.remove(company):
            raise NotFound(f"'{company}' is not on the watch list")
        watchlist = await self._watchlist.companies()
        return WatchResponse(company=company, watched=False, removed=True, watchlist=watchlist)

    async def latest(self, company: str) -> AnalysisResult:
        """The company's latest stored analysis."""
        raw = await self._store.latest(company)
        if raw is None:
            raise NotFound(_no_result(company))
        return AnalysisResult.model_validate_json(raw)

    async def history(self, company: str, *, limit: int, since: datetime | None) -> HistoryResponse:
        """Newest-first snapshots; 404 only when the company has never been analysed."""
        records = await self._store.history(company, limit=limit, since=since)
        if not records and await self._store.latest(company) is None:
            raise NotFound(_no_result(company))
        return HistoryResponse(
            company=company, count=len(records), limit=limit, since=since.isoformat() if since else None,
            history=records,
        )


def _parse_time(value: str | None) -> datetime:
    if not value:
        return datetime.min.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _entry(company: str, meta: dict[str, Any], *, watched: bool) -> CompanyEntry:
    articles = meta.get("articles")
    return CompanyEntry(
        company=company,
        watched=watched,
        last_run=meta.get("last_run"),
        articles=articles,
        # A share of nothing is not 0 %: companies without articles have no ratio.
        negative_ratio=meta.get("negative_ratio") if articles else None,
        max_results=meta.get("max_results"),
        trend=None,
    )


def _no_result(company: str) -> str:
    return (
        f"no analysis stored for '{company}' yet; queue one with "
        f"POST /api/v1/dashboard/companies/{company}/trigger"
    )
