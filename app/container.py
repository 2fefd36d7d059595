"""The composition root: every client and service is built here, once per process."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import httpx
from dependency_injector import containers, providers
from redis.asyncio import Redis

from app.adapters.archive import ArchiveSource
from app.adapters.cache import Cache
from app.adapters.counters import BufferedCounters
from app.adapters.naver import NaverClient
from app.adapters.redis_client import RedisProbe, create_redis
from app.adapters.store import AnalysisStore, ArticleResultCache
from app.adapters.trending import TrendingStore
from app.domain.keywords import KeywordExtractor
from app.services.analysis import AnalysisService
from app.services.search import SearchService
from app.services.system import SystemService
from app.settings import MLSettings, NaverSettings, RedisSettings, Settings

if TYPE_CHECKING:
    from app.ml.manager import ModelManager

T = TypeVar("T")
ROUTER_MODULES = ["app.api.deps", "app.api.search", "app.api.system"]


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


async def _redis(settings: RedisSettings) -> AsyncIterator[Redis]:
    client = create_redis(settings)
    try:
        yield client
    finally:
        await client.aclose()


def _classifier(settings: MLSettings) -> ModelManager:
    # Imported here: torch and transformers load only when a process actually classifies.
    from app.ml.manager import ModelManager

    return ModelManager(settings)


class Container(containers.DeclarativeContainer):
    """Providers for one process (API server, worker or CLI command)."""

    wiring_config = containers.WiringConfiguration(modules=ROUTER_MODULES)

    settings = providers.Dependency(instance_of=Settings)

    redis = providers.Resource(_redis, settings=settings.provided.redis)
    http_client = providers.Resource(_http_client, settings=settings.provided.naver)

    naver = providers.Singleton(NaverClient, settings=settings.provided.naver, http=http_client)
    archive = providers.Singleton(ArchiveSource, path=settings.provided.news.archive_path)
    news_source = providers.Selector(settings.provided.news_source, naver=naver, archive=archive)

    counters = providers.Singleton(BufferedCounters, redis=redis)
    cache = providers.Singleton(
        Cache,
        redis=redis,
        settings=settings.provided.cache,
        prefix=settings.provided.redis.key_prefix,
        counters=counters,
    )
    trends = providers.Singleton(
        TrendingStore,
        redis=redis,
        prefix=settings.provided.redis.key_prefix,
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
    )
    classifier = providers.Singleton(_classifier, settings=settings.provided.ml)
    store = providers.Singleton(AnalysisStore, redis=redis, prefix=settings.provided.redis.key_prefix)
    article_cache = providers.Singleton(
        ArticleResultCache, redis=redis, prefix=settings.provided.redis.key_prefix
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
    )
    redis_probe = providers.Singleton(RedisProbe, redis=redis, settings=settings.provided.redis)
    system_service = providers.Singleton(
        SystemService,
        settings=settings,
        redis_probe=redis_probe,
        search=search_service,
        classifier=classifier,
    )


async def resolve(provider: Callable[[], T | Awaitable[T]]) -> T:
    """Call a provider; providers that depend on async resources return awaitables."""
    value = provider()
    if inspect.isawaitable(value):
        return await value
    return value


def create_container(settings: Settings) -> Container:
    """A container bound to one settings object."""
    return Container(settings=settings)
