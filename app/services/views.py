"""What the dashboard's services return; the API declares the same models as its responses."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.domain.models import ModelInfo
from app.domain.summary import HistorySnapshot
from app.services.status_views import (
    CacheStats,
    CacheUnavailable,
    MonitoredState,
    NaverQuota,
    NaverQuotaUnavailable,
    QueueState,
    RedisState,
    WorkersState,
)


class Trend(BaseModel):
    """The latest analysis against the newest earlier run with the same parameters."""

    previous_run: str
    previous_articles: int
    previous_negative_ratio: float
    delta: float = Field(description="latest negative_ratio minus the previous run's")


class CompanyEntry(BaseModel):
    """A watched company, or another company analysed recently."""

    company: str
    watched: bool
    last_run: str | None = Field(description="analysis time of the company's latest (last served) analysis")
    articles: int | None = Field(None, description="stories in the latest analysis")
    negative_ratio: float | None = Field(None, description="부정 share of the latest; null with no articles")
    max_results: int | None = Field(None, description="max_results of the latest analysis")
    trend: Trend | None = Field(None, description="null without an earlier comparable run")


class CompaniesResponse(BaseModel):
    """The watch list (with latest and trend), then other companies analysed in the last 7 days (≤ 8)."""

    watchlist: list[str]
    companies: list[CompanyEntry]


class WatchResponse(BaseModel):
    """The watch list after a change."""

    company: str
    watched: bool
    added: bool | None = None
    removed: bool | None = None
    watchlist: list[str]


class HistoryResponse(BaseModel):
    """Newest-first history snapshots of a company."""

    company: str
    count: int
    limit: int
    since: str | None
    history: list[HistorySnapshot]


class TaskSummary(BaseModel):
    """The small result of a background analysis (the full analysis is in the store)."""

    task_id: str
    company: str
    analysis_time: str
    item_count: int
    total_found: int
    duplicates_removed: int
    esg_distribution: dict[str, int]
    sentiment_distribution: dict[str, int]
    negative_ratio: float
    model_name: str
    ml_service_status: str
    device: str
    newly_classified: int = Field(description="articles classified anew (the others came from the cache)")
    elapsed_ms: float


class RefreshQueued(BaseModel):
    """A watched company's analysis queued by a refresh, or the one already queued or running."""

    company: str
    task_id: str
    created: bool = Field(description="false when the company's earlier task was still queued or running")


class RefreshFailed(BaseModel):
    """A watched company a refresh could not queue."""

    company: str
    error: str


class StatusResponse(BaseModel):
    """The background machinery at a glance."""

    status: str = Field(description="ok, or degraded when Redis is unavailable or no worker answers")
    mode: str = Field(description="redis (Celery workers) or embedded (in-process jobs)")
    generated_at: str
    redis: RedisState
    workers: WorkersState
    queue: QueueState
    refresh_interval_minutes: int
    monitored_companies: MonitoredState
    cache: CacheStats | CacheUnavailable
    model: ModelInfo
    naver_quota: NaverQuota | NaverQuotaUnavailable


class CacheMemory(BaseModel):
    """Redis's memory use, from INFO memory."""

    used_memory: str | None = Field(description="used_memory_human, e.g. 1.05M")
    used_memory_bytes: int | None = Field(description="used_memory")
    maxmemory: str | None = Field(description="maxmemory_human; 0B means no limit")


class CacheInfoResponse(BaseModel):
    """This service's keys per kind, cache counters and Redis memory."""

    prefix: str
    keys: dict[str, int]
    cache_keys: int
    total_keys: int
    hits: int
    misses: int
    hit_rate: float | None = Field(description="hits / (hits + misses); null before the first lookup")
    memory: CacheMemory | None = Field(description="null in embedded mode")


class CacheClearResponse(BaseModel):
    """Deleted cache keys per kind."""

    deleted: dict[str, int]
    total: int


class CompanyCacheClearResponse(BaseModel):
    """Deleted cache keys of one company."""

    company: str
    deleted: int


class ArchiveCompany(BaseModel):
    """A company the offline archive's items are tagged with."""

    company: str
    items: int


class ArchiveInfo(BaseModel):
    """What the offline archive covers."""

    items: int
    companies: list[ArchiveCompany]
    first_published: str | None
    last_published: str | None


class SourceResponse(BaseModel):
    """The news source searches go to."""

    source: str = Field(description="naver or archive")
    archive: ArchiveInfo | None = Field(description="the archive's coverage; null when searching Naver")


class HealthResponse(BaseModel):
    """Liveness and the state of each dependency (the guide's health shape)."""

    status: str = Field(description="healthy, or degraded (Redis unavailable, or no usable model set)")
    service: str
    version: str
    mode: str
    news_source: str
    naver_api_provider: str
    redis: RedisState
    device: str
    ml: ModelInfo


class CheckResult(BaseModel):
    """One dependency exercised by the self-test."""

    name: str
    ok: bool | None = Field(description="null: not checked (the reason is in detail)")
    detail: str
    elapsed_ms: float


class SelfTestResponse(BaseModel):
    """The self-test: passed, partial (a check skipped) or failed."""

    status: str
    live: bool = Field(description="whether the news source was called live (admin callers only)")
    checks: list[CheckResult]
