"""The parts of the status and health reports: Redis, workers, queue, watched companies, cache, quota."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.domain.summary import HistorySnapshot


class RedisOk(BaseModel):
    """A Redis server that answered."""

    status: Literal["ok"]
    target: str = Field(description="the server's URL without its password")
    latency_ms: float = Field(description="round trip of a PING")
    used_memory: str | None = Field(description="used_memory_human of INFO memory, e.g. 1.05M")


class RedisEmbedded(BaseModel):
    """The in-process store of embedded mode (no Redis server)."""

    status: Literal["embedded"]
    target: str = Field(description="embedded")
    latency_ms: float = Field(description="round trip of a PING")


class RedisUnavailable(BaseModel):
    """A Redis server that did not answer."""

    status: Literal["unavailable"]
    target: str = Field(description="the server's URL without its password")
    error: str = Field(description="the exception's type, e.g. ConnectionError")


RedisState = Annotated[RedisOk | RedisEmbedded | RedisUnavailable, Field(discriminator="status")]


class WorkerNode(BaseModel):
    """A Celery worker that answered the ping."""

    name: str
    ok: bool = Field(description="whether its reply was pong")


class EmbeddedWorker(WorkerNode):
    """The in-process runner of embedded mode."""

    running: bool
    current_task: str | None = Field(description="id of the task it is running, if any")
    processed: int = Field(description="jobs finished since the process started")


class Workers(BaseModel):
    """The workers that answered."""

    status: Literal["ok", "none"] = Field(description="none: no worker answered")
    count: int
    nodes: list[EmbeddedWorker | WorkerNode]


class WorkersUnavailable(BaseModel):
    """No worker could be asked: the broker did not answer in time."""

    status: Literal["unavailable"]
    count: int = Field(description="0")
    nodes: list[WorkerNode] = Field(description="empty")
    error: str = Field(description="the exception's type")


WorkersState = Annotated[Workers | WorkersUnavailable, Field(discriminator="status")]


class QueueState(BaseModel):
    """The task queue."""

    depth: int | None = Field(description="tasks waiting; null when the queue cannot be read")


class MonitoredCompany(BaseModel):
    """A watched company: its newest history record and its queued or running task."""

    company: str
    last_run: str | None = Field(description="time of its newest history record")
    pending_task_id: str | None = Field(description="its queued or running task, if any")
    last_result: HistorySnapshot | None = Field(description="its newest history record")


class Monitored(BaseModel):
    """The watch list, each company with its newest record and pending task."""

    status: Literal["ok"]
    count: int
    companies: list[MonitoredCompany]


class MonitoredUnavailable(BaseModel):
    """The watch list or a company's records could not be read."""

    status: Literal["unavailable"]
    error: str = Field(description="the error's type and message")
    companies: list[MonitoredCompany] = Field(description="empty")


MonitoredState = Annotated[Monitored | MonitoredUnavailable, Field(discriminator="status")]


class CacheStats(BaseModel):
    """The shared cache hit and miss counters."""

    hits: int
    misses: int
    hit_rate: float | None = Field(description="hits / (hits + misses); null before the first lookup")


class CacheUnavailable(BaseModel):
    """The cache counters could not be read."""

    status: Literal["unavailable"]
    error: str = Field(description="the exception's type")


class QuotaToday(BaseModel):
    """Naver calls counted today (KST) against the daily budget."""

    date: str = Field(description="the KST day counted")
    used: int
    limit: int = Field(description="calls allowed per KST day (NAVER_DAILY_BUDGET)")
    remaining: int


class QuotaUnavailable(BaseModel):
    """Today's Naver calls could not be read."""

    date: str = Field(description="the KST day counted")
    status: Literal["unavailable"]
    error: str = Field(description="the exception's type")
    limit: int = Field(description="calls allowed per KST day (NAVER_DAILY_BUDGET)")


class _QuotaSource(BaseModel):
    """The news source in use, which status names first in its quota report."""

    source: str = Field(description="the news source in use; the quota is spent only by naver")


# `_QuotaSource` comes last among the bases so that `source` is the first field, as status reports it.
class NaverQuota(QuotaToday, _QuotaSource):
    """Today's Naver calls, after the news source in use."""


class NaverQuotaUnavailable(QuotaUnavailable, _QuotaSource):
    """Today's Naver calls could not be read; after the news source in use."""
