"""What the services need from the outside world; adapters implement these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from app.domain.model_sets import ModelSetInfo
from app.domain.models import Article, ArticleAnalysis, ModelInfo, SortOrder, SourcePage
from app.domain.summary import HistorySnapshot
from app.services.status_views import (
    CacheStats,
    CacheUnavailable,
    QuotaToday,
    QuotaUnavailable,
    RedisState,
    WorkersState,
)
from app.services.views import CacheInfoResponse, TaskSummary


class NewsSource(Protocol):
    """A place to search news (Naver, or the offline archive)."""

    name: str

    async def search(self, query: str, *, max_results: int, sort: SortOrder, offset: int = 0) -> SourcePage:
        """Up to `max_results` cleaned articles after the first `offset` matches; `AppError`s on failure."""
        ...


@dataclass(frozen=True)
class Classified:
    """Analyses together with the classifier that produced them (stable across a concurrent swap)."""

    info: ModelInfo
    fingerprint: str
    results: list[ArticleAnalysis]


class HealthProbe(Protocol):
    """Something whose state health and status report (Redis)."""

    async def check(self) -> RedisState:
        """Its state (reachable, embedded or unavailable); never raises."""
        ...


class Classifier(Protocol):
    """Assigns ESG category and sentiment to articles (transformer models or keyword rules)."""

    def info(self) -> ModelInfo:
        """Which model set is active, on which device, and why a fallback is used."""
        ...

    @property
    def fingerprint(self) -> str:
        """Identity of the exact weights or rules in use (article results are cached under it)."""
        ...

    async def classify(self, articles: Sequence[Article]) -> Classified:
        """One analysis per article, in input order, with the model set that made them."""
        ...


class SwappableClassifier(Classifier, Protocol):
    """A classifier whose model set can be loaded at start and swapped at run time (`ModelManager`)."""

    def load(self) -> ModelInfo:
        """Load `MODEL_NAME` (or fall back to keyword rules); never raises."""
        ...

    async def activate_async(self, name: str) -> ModelInfo:
        """Load and swap to another set; raises `AppError` subclasses and keeps the old set on failure."""
        ...

    def available(self) -> Sequence[ModelSetInfo]:
        """The model sets found, the active one marked."""
        ...

    @property
    def models_dir(self) -> Path:
        """Where model sets are looked for."""
        ...


class ModelChoiceStore(Protocol):
    """The model set last activated in this deployment (shared by the API and the workers)."""

    async def get(self) -> str | None:
        """The recorded set name, if one was recorded; raises `UpstreamUnavailable`."""
        ...

    async def put(self, name: str) -> None:
        """Record a set name; raises `UpstreamUnavailable`."""
        ...


@dataclass(frozen=True)
class CacheOutcome:
    """A cached (or freshly loaded) JSON value and how it was obtained."""

    value: str
    cache_hit: bool
    stale: bool = False
    degraded: bool = False


Loader = Callable[[], Awaitable[tuple[str, int]]]


class ResultCache(Protocol):
    """Cache-first storage of JSON text with single-flight loading (Redis, or the embedded store)."""

    def key(self, kind: str, query: str, **params: Any) -> str:
        """A hashed key for a query and its parameters."""
        ...

    async def fetch(self, key: str, loader: Loader, *, force_refresh: bool = False) -> CacheOutcome:
        """The cached value, or the loader's value (stored for `ttl` seconds)."""
        ...

    async def peek(self, key: str) -> str | None:
        """The cached value (fresh or stale) without loading."""
        ...


class TrendCounter(Protocol):
    """Windowed counts of searched queries and article keywords."""

    async def record(self, kind: str, terms: Iterable[str]) -> None:
        """Count each term once more in the current time bucket."""
        ...

    async def top(self, kind: str, *, window_hours: int, limit: int) -> list[tuple[str, float]]:
        """The most counted terms over the window."""
        ...


@dataclass(frozen=True, slots=True)
class ArchiveCoverage:
    """What an offline archive holds: items, the companies its items are tagged with, and the dates."""

    items: int
    companies: dict[str, int]
    first_published: datetime | None
    last_published: datetime | None


class AnalysisRepository(Protocol):
    """Latest analysis and history per company (Redis, or the embedded store)."""

    async def save(self, company: str, result_json: str, record: dict[str, Any]) -> bool:
        """Store latest and append a history record; False when the record id was already stored."""
        ...

    async def show(self, company: str, result_json: str, record: dict[str, Any]) -> bool:
        """Make an analysis served from the cache the company's latest (no history record)."""
        ...

    async def latest(self, company: str) -> str | None:
        """The latest analysis JSON."""
        ...


class ArticleCache(Protocol):
    """Per-article analyses keyed by model set and content."""

    async def get_many(self, model_key: str, contents: list[str]) -> list[str | None]:
        """Cached values in input order."""
        ...

    async def put_many(self, model_key: str, values: dict[str, str]) -> None:
        """Store values by content."""
        ...


# -- background work and the dashboard ---------------------------------------------------------------


@dataclass(frozen=True)
class TaskRecord:
    """What is known about one background analysis task."""

    task_id: str
    company: str
    state: str  # PENDING, STARTED, SUCCESS or FAILURE (Celery's names)
    submitted_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    deliveries: int = 0
    max_results: int | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    lost: bool = False  # FAILURE because its worker stopped renewing its lease (the ledger's own verdict)


class TaskLedger(Protocol):
    """Per-company pending-task claims and per-task records (Redis, or the embedded store)."""

    async def claim(self, company: str, task_id: str, max_results: int) -> str:
        """The company's pending task id: `task_id` (recorded as PENDING) unless a live one was pending."""
        ...

    async def abandon(self, company: str, task_id: str) -> None:
        """Forget a claimed task that could not be queued."""
        ...

    async def start(self, task_id: str, company: str) -> int:
        """Mark the task STARTED with a fresh lease; its deliveries so far, or 0 if it was found lost."""
        ...

    async def renew(self, task_id: str, company: str, delivery: int) -> bool:
        """Renew this delivery's lease; False once the task was found lost or finished elsewhere."""
        ...

    async def finish(
        self,
        task_id: str,
        company: str,
        state: str,
        *,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """Record the outcome and release the company's pending claim."""
        ...

    async def get(self, task_id: str) -> TaskRecord | None:
        """The task's record, if it is known; a STARTED task whose lease lapsed is recorded as lost first."""
        ...

    async def pending(self, company: str) -> str | None:
        """The company's queued or running task id, if any (not one that lost its worker)."""
        ...


class TaskQueue(Protocol):
    """Where analysis tasks run: Celery workers, or in-process jobs in embedded mode."""

    mode: str  # "redis" (Celery) or "embedded"

    async def publish(self, task_id: str, company: str, max_results: int) -> None:
        """Queue one analysis; raise `UpstreamUnavailable` quickly when the queue cannot be reached."""
        ...

    async def backend_state(self, task_id: str) -> tuple[str, str | None] | None:
        """The queue's own view of a task (state, error message), where it keeps one."""
        ...

    async def workers(self) -> WorkersState:
        """Which workers answer, within a short timeout; never raises."""
        ...

    async def depth(self) -> int | None:
        """Tasks waiting in the queue (None when it cannot be read)."""
        ...


class JobRunner(Protocol):
    """Runs one analysis task to completion and records its outcome."""

    async def run(self, task_id: str, company: str, max_results: int) -> TaskSummary:
        """The result summary; raises when the task failed (the failure is recorded first)."""
        ...


class WatchListRepository(Protocol):
    """The companies refreshed in the background, changeable at run time."""

    async def companies(self) -> list[str]:
        """The watch list, oldest entry first."""
        ...

    async def add(self, company: str) -> bool:
        """Watch a company; False if it was already watched."""
        ...

    async def remove(self, company: str) -> bool:
        """Stop watching a company; False if it was not watched."""
        ...


class AnalysisHistory(AnalysisRepository, Protocol):
    """The store of record as the dashboard reads it."""

    async def history(
        self, company: str, *, limit: int = 20, since: datetime | None = None
    ) -> list[HistorySnapshot]:
        """Newest-first snapshots."""
        ...

    async def companies(self) -> dict[str, dict[str, Any]]:
        """Every company with a stored analysis and what its latest shows."""
        ...


class CacheMaintenance(Protocol):
    """Inspection and removal of this service's cache keys (never the store of record)."""

    async def info(self) -> CacheInfoResponse:
        """Keys per kind, hit and miss counters, memory."""
        ...

    async def stats(self) -> CacheStats | CacheUnavailable:
        """Hit and miss counters and the hit rate; never raises."""
        ...

    async def clear(self) -> dict[str, int]:
        """Delete every cache key of this service; deleted keys per kind."""
        ...

    async def clear_company(self, company: str) -> int:
        """Delete the company's cached searches and analyses (any parameters); how many keys went."""
        ...


class UsageMeter(Protocol):
    """Upstream (Naver) calls counted per KST day."""

    async def today(self) -> QuotaToday | QuotaUnavailable:
        """Calls used today, the daily limit and what remains."""
        ...
