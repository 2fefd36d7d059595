"""The composition root: every client and service is built here, once per process."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import httpx
from dependency_injector import containers, providers
from redis.asyncio import Redis

from app.adapters.alert_store import AlertStore
from app.adapters.archive import ArchiveSource
from app.adapters.cache import Cache
from app.adapters.cache_admin import CacheAdmin
from app.adapters.counters import BufferedCounters
from app.adapters.embedded_schedule import EmbeddedSchedule
from app.adapters.embedded_store import EmbeddedPersistence, TrackedFakeRedis
from app.adapters.feedback_store import FeedbackStore
from app.adapters.keyspace import Keyspace
from app.adapters.model_choice import ModelChoice
from app.adapters.naver import NaverClient
from app.adapters.naver_usage import MeteredNaver, NaverUsage
from app.adapters.rate_limit import RateLimiter
from app.adapters.redis_client import RedisProbe, create_redis
from app.adapters.store import AnalysisStore, ArticleResultCache
from app.adapters.task_ledger import RedisTaskLedger
from app.adapters.task_queue import CeleryTaskQueue, EmbeddedTaskQueue
from app.adapters.trending import TrendingStore
from app.adapters.watchlist import WatchList
from app.adapters.webhook import WebhookSender
from app.domain.keywords import KeywordExtractor
from app.services.alerts import AlertService
from app.services.analysis import AnalysisService
from app.services.cache_service import CacheService
from app.services.feedback import FeedbackService
from app.services.jobs import AnalysisJobs
from app.services.model_selection import ModelSelection
from app.services.search import SearchService
from app.services.status import StatusService
from app.services.system import SystemService
from app.services.tasks import TaskService
from app.services.watchlist import WatchListService
from app.settings import MLSettings, NaverSettings, RedisSettings, Settings

if TYPE_CHECKING:
    from celery import Celery

    from app.ml.manager import ModelManager

T = TypeVar("T")


async def _http_client(settings: NaverSettings) -> AsyncIterator[httpx.AsyncClient]:
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.timeout_seconds),
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        follow_redirects=False,
    )
    try:
        yield client
    finally:
        await client.aclose()


def _data_dir(settings: RedisSettings) -> Path:
    return Path(settings.embedded_data_dir).expanduser().resolve()


async def _redis(settings: RedisSettings) -> AsyncIterator[Redis]:
    client = create_redis(settings)
    try:
        if isinstance(client, TrackedFakeRedis) and settings.embedded_data_dir:
            caches = Keyspace(settings.key_prefix).cache_prefixes()
            async with EmbeddedPersistence(client, _data_dir(settings), skip=caches):
                yield client
        else:
            yield client
    finally:
        await client.aclose()


def _classifier(settings: MLSettings) -> ModelManager:
    # Imported here: torch and transformers load only when a process actually classifies.
    from app.ml.manager import ModelManager

    return ModelManager(settings)


def _celery(settings: Settings) -> Celery:
    # Imported here: only Redis mode talks to Celery, and only when a task is queued or inspected.
    from app.workers.celery_app import create_celery

    return create_celery(settings, set_as_current=False)


def _mode(settings: Settings) -> str:
    return "embedded" if settings.redis.embedded else "redis"


def _refresh_seconds(settings: Settings) -> int:
    return settings.celery.refresh_interval_minutes * 60


class Container(containers.DeclarativeContainer):
    """Providers for one process (API server, worker or CLI command)."""

    settings = providers.Dependency(instance_of=Settings)

    redis = providers.Resource(_redis, settings=settings.provided.redis)
    keyspace = providers.Singleton(Keyspace, prefix=settings.provided.redis.key_prefix)
    http_client = providers.Resource(_http_client, settings=settings.provided.naver)

    naver = providers.Singleton(NaverClient, settings=settings.provided.naver, http=http_client)
    archive = providers.Singleton(ArchiveSource, path=settings.provided.news.archive_path)
    naver_usage = providers.Singleton(
        NaverUsage,
        redis=redis,
        keyspace=keyspace,
        daily_limit=settings.provided.naver.daily_budget,
    )
    metered_naver = providers.Singleton(MeteredNaver, inner=naver, usage=naver_usage)
    news_source = providers.Selector(settings.provided.news_source, naver=metered_naver, archive=archive)

    counters = providers.Singleton(BufferedCounters, redis=redis)
    rate_limiter = providers.Singleton(RateLimiter, redis=redis, keyspace=keyspace)
    cache = providers.Singleton(
        Cache,
        redis=redis,
        settings=settings.provided.cache,
        keyspace=keyspace,
        counters=counters,
    )
    trends = providers.Singleton(
        TrendingStore,
        redis=redis,
        keyspace=keyspace,
        max_window_hours=24 * 30,
        counters=counters,
    )
    keywords = providers.Singleton(KeywordExtractor)

    search_service = providers.Singleton(
        SearchService,
        source=news_source,
        cache=cache,
        trends=trends,
        keywords=keywords,
        cache_settings=settings.provided.cache,
        default_threshold=settings.provided.news.similarity_threshold,
        extend_seconds=settings.provided.naver.deadline_seconds,
    )
    classifier = providers.Singleton(_classifier, settings=settings.provided.ml)
    model_choice = providers.Singleton(ModelChoice, redis=redis, keyspace=keyspace)
    model_selection = providers.Singleton(
        ModelSelection,
        classifier=classifier,
        choice=model_choice,
        default_name=settings.provided.ml.model_name,
        embedded=settings.provided.redis.embedded,
    )
    store = providers.Singleton(AnalysisStore, redis=redis, keyspace=keyspace)
    article_cache = providers.Singleton(
        ArticleResultCache, redis=redis, keyspace=keyspace
    )
    analysis_service = providers.Singleton(
        AnalysisService,
        search=search_service,
        classifier=classifier,
        cache=cache,
        articles=article_cache,
        store=store,
        keywords=keywords,
        cache_settings=settings.provided.cache,
        concurrency=settings.provided.api.analysis_concurrency,
        queue_limit=settings.provided.api.analysis_queue_limit,
    )
    redis_probe = providers.Singleton(RedisProbe, redis=redis, settings=settings.provided.redis)
    system_service = providers.Singleton(
        SystemService,
        settings=settings,
        redis_probe=redis_probe,
        search=search_service,
        classifier=classifier,
        archive=archive,
    )

    # Background analyses and the dashboard (docs/background.md).
    task_ledger = providers.Singleton(
        RedisTaskLedger,
        redis=redis,
        keyspace=keyspace,
        claim_ttl=settings.provided.celery.task_time_limit,
        lease_seconds=settings.provided.celery.task_lease_seconds,
    )
    jobs = providers.Singleton(
        AnalysisJobs,
        analysis=analysis_service,
        ledger=task_ledger,
        time_limit=settings.provided.celery.task_soft_time_limit,
        lease_seconds=settings.provided.celery.task_lease_seconds,
    )
    celery = providers.Singleton(_celery, settings=settings)
    embedded_queue = providers.Singleton(EmbeddedTaskQueue, jobs=jobs)
    task_queue = providers.Selector(
        providers.Callable(_mode, settings),
        redis=providers.Singleton(CeleryTaskQueue, app=celery),
        embedded=embedded_queue,
    )
    watchlist = providers.Singleton(
        WatchList,
        redis=redis,
        keyspace=keyspace,
        seed=settings.provided.celery.companies,
    )
    cache_admin = providers.Singleton(
        CacheAdmin, redis=redis, cache=cache, keyspace=keyspace, embedded=settings.provided.redis.embedded
    )
    watchlist_service = providers.Singleton(WatchListService, store=store, watchlist=watchlist)
    task_service = providers.Singleton(TaskService, ledger=task_ledger, queue=task_queue, watchlist=watchlist)
    cache_service = providers.Singleton(CacheService, cache_admin=cache_admin)
    status_service = providers.Singleton(
        StatusService,
        settings=settings,
        store=store,
        watchlist=watchlist,
        ledger=task_ledger,
        queue=task_queue,
        cache_admin=cache_admin,
        redis_probe=redis_probe,
        classifier=classifier,
        usage=naver_usage,
    )
    # Embedded mode: beat's periodic refresh, beside the in-process queue (started by the API's lifespan).
    embedded_schedule = providers.Singleton(
        EmbeddedSchedule,
        queue=embedded_queue,
        refresher=task_service,
        interval_seconds=providers.Callable(_refresh_seconds, settings),
    )

    # Alerts after background refreshes, and analyst feedback (docs/dashboard.md).
    alert_store = providers.Singleton(
        AlertStore,
        redis=redis,
        keyspace=keyspace,
        deliveries_kept=settings.provided.alerts.deliveries_kept,
    )
    webhook_sender = providers.Singleton(
        WebhookSender,
        timeout_seconds=settings.provided.alerts.webhook_timeout_seconds,
        max_attempts=settings.provided.alerts.webhook_max_attempts,
        backoff_seconds=settings.provided.alerts.webhook_backoff_seconds,
    )
    alert_service = providers.Singleton(
        AlertService,
        store=alert_store,
        sender=webhook_sender,
        watchlist=watchlist,
        default_url=settings.provided.alerts.webhook_url,
    )
    jobs.add_kwargs(alerts=alert_service)  # every finished refresh evaluates the company's alert rules
    feedback_store = providers.Singleton(
        FeedbackStore, redis=redis, keyspace=keyspace
    )
    feedback_service = providers.Singleton(FeedbackService, store=feedback_store, results=store)


async def resolve(provider: Callable[[], T | Awaitable[T]]) -> T:
    """Call a provider; providers that depend on async resources return awaitables."""
    value = provider()
    if inspect.isawaitable(value):
        return await value
    return value


def create_container(settings: Settings) -> Container:
    """A container bound to one settings object."""
    return Container(settings=settings)


@contextlib.asynccontextmanager
async def running(container: Container, *, models: bool = False) -> AsyncIterator[Container]:
    """The container's clients for the block, and everything buffered written out after it.

    The one start and stop of every process: the API's lifespan, each worker process and the CLIs.
    `models`: load Kiwi and the active model set first (in threads: each holds the GIL for seconds) and
    stop the inference thread last.
    """
    await container.init_resources()  # type: ignore[misc]
    try:
        if models:
            await asyncio.to_thread(container.keywords().warmup)
            # Redis mode: a set activated before this restart stays active (the workers follow it too).
            await (await resolve(container.model_selection)).start()
            await asyncio.to_thread(container.classifier().warmup)
        yield container
    finally:
        try:
            await (await resolve(container.search_service)).drain()
            await (await resolve(container.counters)).flush()
        finally:
            if models:
                container.classifier().close()
            await container.shutdown_resources()  # type: ignore[misc]
