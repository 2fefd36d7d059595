"""Search service over fakeredis: cache hit/miss, force refresh, stale copies, single flight, Redis faults."""

from __future__ import annotations

import asyncio

import fakeredis
import fakeredis.aioredis
import pytest

from app.adapters.cache import Cache
from app.adapters.counters import BufferedCounters
from app.adapters.keyspace import Keyspace
from app.adapters.trending import TrendingStore
from app.domain.keywords import KeywordExtractor
from app.domain.models import Article
from app.errors import UpstreamError, UpstreamUnavailable
from app.services.search import SearchService
from app.settings import CacheSettings
from tests.conftest import MemorySource


@pytest.fixture(scope="module")
def keywords() -> KeywordExtractor:
    return KeywordExtractor()


@pytest.fixture
def server() -> fakeredis.FakeServer:
    return fakeredis.FakeServer()


def make_service(source, server, keywords, **cache_overrides) -> SearchService:
    redis = fakeredis.aioredis.FakeRedis(server=server)
    counters = BufferedCounters(redis)
    cache_settings = CacheSettings(_env_file=None, **cache_overrides)
    return SearchService(
        source=source,
        cache=Cache(redis, cache_settings, Keyspace("t"), counters=counters),
        trends=TrendingStore(redis, Keyspace("t"), max_window_hours=24, counters=counters),
        keywords=keywords,
        cache_settings=cache_settings,
        default_threshold=0.75,
    )


async def test_miss_then_hit_calls_upstream_once(articles, server, keywords):
    source = MemorySource(articles)
    service = make_service(source, server, keywords)

    first = await service.search("삼성전자", max_results=10)
    second = await service.search(" 삼성전자 ", max_results=10)

    assert (first.cache_hit, second.cache_hit) == (False, True)
    assert source.calls == 1
    assert [a.id for a in second.result.items] == [a.id for a in first.result.items]
    assert first.result.duplicates_removed == 2


async def test_different_parameters_miss(articles, server, keywords):
    source = MemorySource(articles)
    service = make_service(source, server, keywords)
    calls = []
    for options in ({"max_results": 10}, {"max_results": 5}, {"max_results": 10, "sort": "date"}):
        await service.search("삼성전자", **options)
        calls.append(source.calls)
    assert calls[0] >= 1 and calls[0] < calls[1] < calls[2]  # each new set of parameters goes upstream


async def test_force_refresh_goes_upstream_and_updates_the_copy(articles, server, keywords):
    source = MemorySource(articles)
    service = make_service(source, server, keywords)
    await service.search("삼성전자")
    source.articles = articles[:1]
    refreshed = await service.search("삼성전자", force_refresh=True)
    after = await service.search("삼성전자")
    assert source.calls == 2
    assert refreshed.cache_hit is False
    assert after.cache_hit is True and len(after.result.items) == 1


async def test_stale_copy_served_when_upstream_fails(articles, server, keywords):
    source = MemorySource(articles)
    service = make_service(source, server, keywords)
    await service.search("삼성전자")
    source.error = UpstreamError("Naver answered 500")

    outcome = await service.search("삼성전자", force_refresh=True)

    assert outcome.stale is True
    assert outcome.cache_hit is True
    assert len(outcome.result.items) == 4


async def test_upstream_failure_without_copy_raises_and_is_not_cached(articles, server, keywords):
    source = MemorySource(articles)
    source.error = UpstreamUnavailable("Naver timed out", retry_after=10)
    service = make_service(source, server, keywords)
    with pytest.raises(UpstreamUnavailable):
        await service.search("삼성전자")
    source.error = None
    outcome = await service.search("삼성전자")
    assert outcome.cache_hit is False and source.calls == 2


async def test_fifty_concurrent_cold_requests_make_one_upstream_call(articles, server, keywords):
    source = MemorySource(articles)
    source.delay = 0.2
    service = make_service(source, server, keywords)

    outcomes = await asyncio.gather(*(service.search("삼성전자") for _ in range(50)))

    assert source.calls == 1
    assert sum(not o.cache_hit for o in outcomes) == 1
    assert {len(o.result.items) for o in outcomes} == {4}


async def test_single_flight_holds_across_processes_sharing_redis(articles, server, keywords):
    # Two services = two processes: separate clients, same Redis server.
    source = MemorySource(articles)
    source.delay = 0.2
    a, b = make_service(source, server, keywords), make_service(source, server, keywords)
    await asyncio.gather(*(svc.search("LG전자") for svc in [a, b] * 10))
    assert source.calls == 1


async def test_followers_retry_after_the_leader_fails(articles, server, keywords):
    source = MemorySource(articles)
    source.delay = 0.1
    source.error = UpstreamError("boom")
    service = make_service(source, server, keywords)
    results = await asyncio.gather(*(service.search("카카오") for _ in range(3)), return_exceptions=True)
    assert all(isinstance(r, UpstreamError) for r in results)


async def test_empty_results_cached_briefly(server, keywords):
    source = MemorySource([])
    service = make_service(source, server, keywords, empty_ttl=1, jitter=0)
    await service.search("없는회사")
    assert (await service.search("없는회사")).cache_hit is True
    await asyncio.sleep(1.1)
    assert (await service.search("없는회사")).cache_hit is False
    assert source.calls == 2


async def test_redis_down_serves_live_with_degraded_flag(articles, server, keywords):
    source = MemorySource(articles)
    service = make_service(source, server, keywords)
    server.connected = False

    outcome = await service.search("삼성전자")

    assert outcome.degraded is True and outcome.cache_hit is False
    assert len(outcome.result.items) == 4


async def test_trending_counts_queries_and_article_keywords(articles, server, keywords):
    service = make_service(MemorySource(articles), server, keywords)
    for _ in range(3):
        await service.search("삼성전자")
    await service.search("LG전자")
    await service.drain()

    trending = await service.trending(window_hours=24, limit=5)

    assert trending.queries[0] == ("삼성전자", 3.0)
    assert ("LG전자", 1.0) in trending.queries
    keyword_terms = [k for k, _ in trending.keywords]
    assert "RE100" in keyword_terms or "임금협상" in keyword_terms


async def test_batch_reports_failures_per_query(articles, server, keywords):
    class PickySource(MemorySource):
        async def search(self, query, *, max_results, sort, offset=0):
            if query == "나쁜":
                raise UpstreamError("refused")
            return await super().search(query, max_results=max_results, sort=sort)

    service = make_service(PickySource(articles), server, keywords)
    entries = await service.batch(["삼성전자", "나쁜", "LG전자"], max_results=5, sort="sim")
    assert [e.query for e in entries] == ["삼성전자", "나쁜", "LG전자"]
    assert entries[1].error is not None and entries[1].outcome is None
    assert entries[0].outcome is not None and entries[2].outcome is not None


def _reported(event: int, outlet: int, hours_ago: int) -> Article:
    """One outlet's report of one of several distinct events (each with its own place and figure)."""
    from tests.conftest import make_article

    places = ["여수", "울산", "당진", "평택", "구미", "창원", "광양", "대산", "이천", "화성", "아산", "청주"]
    amounts = [1628, 2375, 412, 987, 3140, 56, 733, 1905, 268, 4410, 1377, 845]
    place, amount = places[event], amounts[event]
    titles = [f"{place} 공장 설비 증설에 {amount}억원 투자", f"'{place}에 {amount}억' 생산라인 늘린다",
              f"{place} 공장 {amount}억 증설…신규 채용도"]
    lead = f"{place} 공장에 {amount}억원을 들여 생산 설비를 늘리기로 했다고 밝혔다. {place}시는 환영했다."
    return make_article(titles[outlet % 3], lead, hours_ago=hours_ago + event * 96)


async def test_max_results_counts_stories_and_reads_further_pages(server, keywords):
    # 12 events, each reported by 3 outlets, in source order: 10 articles hold only 4 stories.
    articles = [_reported(event, outlet, outlet) for event in range(12) for outlet in range(3)]
    source = MemorySource(articles)
    service = make_service(source, server, keywords)

    outcome = await service.search("삼성전자", max_results=10)

    result = outcome.result
    assert len(result.items) == 10
    # Every story read in full is folded whole (the last one read may still miss a later outlet).
    assert [len(item.sources) for item in result.items[:9]] == [3] * 9
    assert all(item.duplicate_count == len(item.sources) - 1 for item in result.items)
    assert source.calls >= 2
    assert result.articles_read == result.original_count > 10  # read on until ten stories
    assert result.stories_found >= 10


async def test_a_source_with_fewer_stories_returns_them_all(server, keywords):
    articles = [_reported(event, outlet, outlet) for event in range(3) for outlet in range(3)]
    source = MemorySource(articles)
    result = (await make_service(source, server, keywords).search("삼성전자", max_results=10)).result
    assert len(result.items) == 3 and result.articles_read == 9


async def test_a_failing_further_page_keeps_the_stories_already_found(server, keywords):
    class FailsLater(MemorySource):
        async def search(self, query, *, max_results, sort, offset=0):
            if offset:
                raise UpstreamUnavailable("quota spent")
            return await super().search(query, max_results=max_results, sort=sort, offset=offset)

    articles = [_reported(event, outlet, outlet) for event in range(12) for outlet in range(3)]
    result = (await make_service(FailsLater(articles), server, keywords).search("삼성전자", max_results=10)).result
    assert 1 <= len(result.items) < 10 and result.articles_read == 10
