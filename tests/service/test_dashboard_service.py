"""Dashboard service over the embedded store (fakeredis): status, watch list, triggers, jobs, results, cache."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from dependency_injector import providers

from app.adapters.keyspace import Keyspace, company_hash
from app.adapters.task_ledger import RedisTaskLedger
from app.adapters.task_queue import EmbeddedTaskQueue
from app.adapters.watchlist import WatchList
from app.container import Container, create_container, resolve
from app.domain.models import Article
from app.errors import NotFound, UpstreamUnavailable
from app.services.cache_service import CacheService
from app.services.jobs import AnalysisJobs, RedeliveryLimitExceeded, TaskFailed
from app.services.status import StatusService
from app.services.tasks import TaskService
from app.services.views import RefreshQueued
from app.services.watchlist import RECENT_LIMIT, WatchListService
from app.settings import Settings
from tests.conftest import MemorySource, embedded_settings


@dataclass
class Env:
    container: Container
    source: MemorySource
    status: StatusService
    watchlist: WatchListService
    tasks: TaskService
    caches: CacheService
    jobs: AnalysisJobs
    ledger: RedisTaskLedger
    queue: EmbeddedTaskQueue
    redis: Any
    prefix: str


EnvT = TypeVar("EnvT", bound=Env)


@contextlib.asynccontextmanager
async def env_for(
    settings: Settings, articles: list[Article], kind: type[EnvT], *, warm_kiwi: bool = False
) -> AsyncIterator[EnvT]:
    """An embedded container over `articles`, its parts at hand; closed afterwards."""
    container = create_container(settings)
    source = MemorySource(articles)
    container.news_source.override(providers.Object(source))
    await container.init_resources()  # type: ignore[misc]
    if warm_kiwi:
        # As the API does at start-up: a cold Kiwi load on the first analysis holds the loop for seconds.
        await asyncio.to_thread(container.keywords().warmup)
    queue = await resolve(container.embedded_queue)
    yield kind(
        container=container,
        source=source,
        status=await resolve(container.status_service),
        watchlist=await resolve(container.watchlist_service),
        tasks=await resolve(container.task_service),
        caches=await resolve(container.cache_service),
        jobs=await resolve(container.jobs),
        ledger=await resolve(container.task_ledger),
        queue=queue,
        redis=await resolve(container.redis),
        prefix=settings.redis.key_prefix,
    )
    await queue.stop()
    container.classifier().close()
    await container.shutdown_resources()  # type: ignore[misc]


@pytest.fixture
async def env(articles: list[Article]) -> AsyncIterator[Env]:
    async with env_for(embedded_settings(), articles, Env) as ready:
        yield ready


async def keys(env: Env, pattern: str = "*") -> set[str]:
    return {k.decode() async for k in env.redis.scan_iter(match=pattern)}


async def test_status_lists_every_part(env: Env) -> None:
    status = (await env.status.status()).model_dump()
    assert status["mode"] == "embedded"
    assert status["redis"]["status"] == "embedded"
    assert list(status["redis"]) == ["status", "target", "latency_ms"]  # no server: no memory to report
    assert status["workers"]["count"] == 1 and status["workers"]["nodes"][0]["name"].startswith("embedded@")
    assert list(status["workers"]["nodes"][0]) == ["name", "ok", "running", "current_task", "processed"]
    assert status["queue"] == {"depth": 0}
    monitored = status["monitored_companies"]
    assert [c["company"] for c in monitored["companies"]] == ["삼성전자", "LG전자"]
    assert monitored["companies"][0]["last_run"] is None
    assert set(status["cache"]) == {"hits", "misses", "hit_rate"}
    assert status["model"]["ml_service_status"] == "keyword_fallback"
    assert status["naver_quota"] == {
        "source": "archive", "date": status["naver_quota"]["date"], "used": 0, "limit": 24000, "remaining": 24000,
    }
    assert status["refresh_interval_minutes"] == 30


async def test_watch_list_seeds_once_then_follows_changes(env: Env) -> None:
    watchlist: WatchList = await resolve(env.container.watchlist)
    assert await watchlist.companies() == ["삼성전자", "LG전자"]
    added = (await env.watchlist.watch("SK하이닉스")).model_dump()
    assert added["added"] is True and added["watchlist"] == ["삼성전자", "LG전자", "SK하이닉스"]
    assert ((await env.watchlist.watch("sk하이닉스 ")).model_dump())["added"] is False  # same normal form
    assert ((await env.watchlist.unwatch("LG전자")).model_dump())["watchlist"] == ["삼성전자", "SK하이닉스"]
    with pytest.raises(NotFound, match="not on the watch list"):
        (await env.watchlist.unwatch("LG전자")).model_dump()
    (await env.watchlist.unwatch("삼성전자")).model_dump()
    (await env.watchlist.unwatch("SK하이닉스")).model_dump()
    # A new process (new adapter over the same Redis) must not re-seed a list emptied on purpose.
    again = WatchList(env.redis, Keyspace(env.prefix), ["삼성전자", "LG전자"])
    assert await again.companies() == []


async def test_trigger_returns_the_same_task_while_one_is_in_flight(env: Env) -> None:
    env.source.delay = 0.3
    first = await env.tasks.trigger("삼성전자", 10)
    second = await env.tasks.trigger(" 삼성전자", 10)
    other = await env.tasks.trigger("LG전자", 10)
    assert first.created and not second.created and second.task_id == first.task_id
    assert other.task_id != first.task_id
    assert ((await env.status.status()).model_dump())["monitored_companies"]["companies"][0]["pending_task_id"] == first.task_id
    await asyncio.wait_for(env.queue.join(), 10)
    record = await env.tasks.task(first.task_id)
    assert record.state == "SUCCESS" and record.deliveries == 1
    assert record.result is not None and record.result["item_count"] == len(env.source.articles) - 2
    assert await env.ledger.pending("삼성전자") is None
    third = await env.tasks.trigger("삼성전자", 10)
    assert third.created and third.task_id != first.task_id
    await asyncio.wait_for(env.queue.join(), 10)


async def test_a_redelivered_task_adds_no_second_history_record(env: Env) -> None:
    task_id = await env.ledger.claim("삼성전자", "task-1", 10)
    await env.jobs.run(task_id, "삼성전자", 10)
    await env.jobs.run(task_id, "삼성전자", 10)  # the broker delivered it again
    history = (await env.watchlist.history("삼성전자", limit=50, since=None)).model_dump()
    assert [r["id"] for r in history["history"]] == ["task-1"]
    record = await env.tasks.task("task-1")
    assert record.state == "SUCCESS" and record.deliveries == 2


async def test_a_task_delivered_too_often_fails_instead_of_running(env: Env) -> None:
    task_id = await env.ledger.claim("삼성전자", "task-killer", 10)
    for _ in range(3):  # three deliveries that each took their worker down before finishing
        await env.ledger.start(task_id, "삼성전자")
    with pytest.raises(RedeliveryLimitExceeded):
        await env.jobs.run(task_id, "삼성전자", 10)
    record = await env.tasks.task(task_id)
    assert record.state == "FAILURE" and record.deliveries == 4
    assert record.error is not None and "delivered 4 times (limit 3)" in record.error
    assert env.source.calls == 0
    assert await env.ledger.pending("삼성전자") is None


async def test_failures_are_recorded_without_tracebacks(env: Env) -> None:
    env.source.error = UpstreamUnavailable("Naver did not answer within 5 s", retry_after=30)
    done = await env.tasks.trigger("삼성전자", 10)
    await asyncio.wait_for(env.queue.join(), 10)
    record = await env.tasks.task(done.task_id)
    assert record.state == "FAILURE"
    assert record.error == "UpstreamUnavailable: Naver did not answer within 5 s"
    assert await env.ledger.pending("삼성전자") is None
    with pytest.raises(NotFound):
        await env.watchlist.latest("삼성전자")


async def test_a_slow_analysis_fails_at_the_time_limit(env: Env) -> None:
    env.source.delay = 5
    jobs = AnalysisJobs(await resolve(env.container.analysis_service), env.ledger, time_limit=0.2)
    task_id = await env.ledger.claim("삼성전자", "slow", 10)
    with pytest.raises(TaskFailed, match=r"time limit of 0\.2 s"):
        await jobs.run(task_id, "삼성전자", 10)
    assert (await env.tasks.task("slow")).state == "FAILURE"


async def test_latest_history_and_unknown_ids(env: Env) -> None:
    with pytest.raises(NotFound, match="no analysis stored for '없는회사'"):
        await env.watchlist.latest("없는회사")
    with pytest.raises(NotFound, match="no analysis stored"):
        (await env.watchlist.history("없는회사", limit=20, since=None)).model_dump()
    with pytest.raises(NotFound, match="no task 'nope'"):
        await env.tasks.task("nope")
    for n in range(3):
        await env.jobs.run(await env.ledger.claim("삼성전자", f"t{n}", 10), "삼성전자", 10)
    latest = await env.watchlist.latest("삼성전자")
    assert latest.company == "삼성전자" and latest.items
    history = (await env.watchlist.history("삼성전자", limit=2, since=None)).model_dump()
    assert history["count"] == 2 and [r["id"] for r in history["history"]] == ["t2", "t1"]
    later = (await env.watchlist.history("삼성전자", limit=20, since=latest.analysis_time.replace(year=2100))).model_dump()
    assert later["count"] == 0  # known company, nothing that recent: 200 with an empty list
    listed = (await env.watchlist.companies()).model_dump()
    assert listed["watchlist"] == ["삼성전자", "LG전자"]
    first = listed["companies"][0]
    assert {k: first[k] for k in ("company", "watched", "last_run", "max_results")} == {
        "company": "삼성전자", "watched": True, "last_run": history["history"][0]["time"], "max_results": 10,
    }
    assert first["trend"]["previous_run"] == history["history"][1]["time"]


async def test_a_damaged_history_record_is_skipped_not_served_as_an_error(env: Env) -> None:
    for n in range(2):
        await env.jobs.run(await env.ledger.claim("삼성전자", f"t{n}", 10), "삼성전자", 10)
    history_key = Keyspace(env.prefix).history("삼성전자")
    newest = datetime.now(UTC).timestamp() + 60
    await env.redis.zadd(history_key, {b"{not json": newest, json.dumps({"id": "x"}).encode(): newest + 1})
    history = await env.watchlist.history("삼성전자", limit=20, since=None)
    assert [r.id for r in history.history] == ["t1", "t0"]
    monitored = (await env.status.status()).monitored_companies.model_dump()
    assert monitored["status"] == "ok" and "삼성전자" in [c["company"] for c in monitored["companies"]]


async def test_company_list_is_the_watch_list_then_recent_companies_with_news(env: Env) -> None:
    analysis = await resolve(env.container.analysis_service)
    await analysis.analyze("SK하이닉스", max_results=10)
    all_articles, env.source.articles = env.source.articles, []
    await analysis.analyze("없는회사XYZ", max_results=10)  # nothing found: never listed as a share
    await analysis.analyze("LG전자", max_results=10)  # watched, analysed, no articles
    env.source.articles = all_articles
    old = (datetime.now(UTC) - timedelta(days=8)).isoformat()
    await env.redis.hset(
        f"{env.prefix}:v1:companies", "옛회사", json.dumps({"last_run": old, "articles": 3, "negative_ratio": 0.5})
    )
    listed = ((await env.watchlist.companies()).model_dump())["companies"]
    assert [(c["company"], c["watched"]) for c in listed] == [
        ("삼성전자", True), ("LG전자", True), ("SK하이닉스", False),
    ]
    never, empty, recent = listed
    assert never["last_run"] is None and never["articles"] is None and never["negative_ratio"] is None
    assert empty["last_run"] is not None and empty["articles"] == 0 and empty["negative_ratio"] is None
    assert recent["articles"] and recent["negative_ratio"] is not None and recent["trend"] is None

    for n in range(RECENT_LIMIT + 2):
        await analysis.analyze(f"기업{n}", max_results=10)
    others = [c["company"] for c in ((await env.watchlist.companies()).model_dump())["companies"] if not c["watched"]]
    assert others == [f"기업{n}" for n in range(RECENT_LIMIT + 1, 1, -1)]  # newest first, capped

    (await env.watchlist.unwatch("LG전자")).model_dump()
    (await env.watchlist.watch("SK하이닉스")).model_dump()
    listed = ((await env.watchlist.companies()).model_dump())["companies"]
    assert [c["company"] for c in listed if c["watched"]] == ["삼성전자", "SK하이닉스"]
    assert "LG전자" not in [c["company"] for c in listed]  # no articles: not a recent company either


async def test_latest_is_the_analysis_last_served_and_trends_compare_like_runs(env: Env) -> None:
    analysis = await resolve(env.container.analysis_service)
    small = (await analysis.analyze("삼성전자", max_results=2)).result
    large = (await analysis.analyze("삼성전자", max_results=5)).result
    assert len(large.items) > len(small.items)
    served = await analysis.analyze("삼성전자", max_results=2)  # a cache hit of the first run
    assert served.cache_hit and served.result.analysis_time == small.analysis_time

    assert (await env.watchlist.latest("삼성전자")).analysis_time == small.analysis_time
    entry = ((await env.watchlist.companies()).model_dump())["companies"][0]
    assert entry["last_run"] == small.analysis_time.isoformat()
    assert (entry["articles"], entry["max_results"]) == (len(small.items), 2)
    assert entry["trend"] is None  # the only earlier run asked for 5 articles: not comparable
    assert ((await env.watchlist.history("삼성전자", limit=10, since=None)).model_dump())["count"] == 2  # hits add no record

    env.source.articles = env.source.articles[1:]
    fresh = (await analysis.analyze("삼성전자", max_results=2, force_refresh=True)).result
    entry = ((await env.watchlist.companies()).model_dump())["companies"][0]
    assert entry["last_run"] == fresh.analysis_time.isoformat()
    assert entry["trend"]["previous_run"] == small.analysis_time.isoformat()
    assert entry["trend"]["previous_articles"] == len(small.items)
    assert entry["trend"]["delta"] == round(fresh.summary.negative_ratio - small.summary.negative_ratio, 4)


async def test_cache_clear_keeps_the_store_and_other_keys(env: Env) -> None:
    await env.jobs.run(await env.ledger.claim("삼성전자", "t1", 10), "삼성전자", 10)
    (await env.watchlist.watch("SK하이닉스")).model_dump()
    await env.redis.set("other-app:session", "1")
    await env.redis.set("other-prefix:v1:search:abc", "1")
    before = await keys(env, f"{env.prefix}:*")
    kinds = {k.split(":")[2] for k in before}
    assert {"search", "analysis", "article", "latest", "history", "watchlist", "task"} <= kinds

    cleared = (await env.caches.clear_cache()).model_dump()
    assert cleared["deleted"]["search"] == 1 and cleared["deleted"]["analysis"] == 1
    assert cleared["deleted"]["article"] == len(env.source.articles) - 2
    after = await keys(env, f"{env.prefix}:*")
    assert not {k for k in after if k.split(":")[2] in ("search", "analysis", "article")}
    assert before - after == {k for k in before if k.split(":")[2] in ("search", "analysis", "article")}
    assert await env.redis.get("other-app:session") == b"1"
    assert await env.redis.get("other-prefix:v1:search:abc") == b"1"
    assert (await env.watchlist.latest("삼성전자")).company == "삼성전자"
    assert ((await env.watchlist.history("삼성전자", limit=5, since=None)).model_dump())["count"] == 1
    assert "SK하이닉스" in ((await env.watchlist.companies()).model_dump())["watchlist"]


async def test_company_cache_clear_removes_only_that_companys_keys(env: Env) -> None:
    search = await resolve(env.container.search_service)
    analysis = await resolve(env.container.analysis_service)
    await search.search("삼성전자", max_results=7, sort="date")
    await analysis.analyze("삼성전자", max_results=5)
    await analysis.analyze("LG전자", max_results=5)
    count = len(await keys(env, f"{env.prefix}:v1:search:*")) + len(await keys(env, f"{env.prefix}:v1:analysis:*"))
    assert count == 5  # 삼성전자: 2 searches + 1 analysis; LG전자: 1 + 1

    result = (await env.caches.clear_company_cache("삼성전자")).model_dump()
    assert result == {"company": "삼성전자", "deleted": 3}
    assert ((await env.caches.clear_company_cache("삼성전자")).model_dump())["deleted"] == 0
    calls = env.source.calls
    await analysis.analyze("LG전자", max_results=5)  # still cached
    assert env.source.calls == calls
    await analysis.analyze("삼성전자", max_results=5)  # recomputed
    assert env.source.calls > calls
    assert await keys(env, f"{env.prefix}:v1:article:*")  # per-article results are not per company


async def test_company_cache_clear_scans_one_pattern_per_kind_and_recomputes_nothing(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = await resolve(env.container.cache)
    space: Keyspace = await resolve(env.container.keyspace)

    def every_key(company: str) -> list[str]:
        made = []
        for source in ("naver", "archive"):
            for n in (1, 2, 50, 999, 1000):
                for threshold in (0.3, 0.9):
                    made += [cache.key("search", company, source=source, max_results=n, sort=sort,
                                       threshold=threshold) for sort in ("sim", "date")]
                    made += [cache.key("analysis", company, source=source, max_results=n, threshold=threshold,
                                       model=model) for model in ("base", "tuned")]
        return made + [f"{k}:lock" for k in made]

    mine, theirs = every_key(" 삼성전자 "), every_key("LG전자")
    kept = [*theirs, space.latest("삼성전자"), space.history("삼성전자"), space.article("base", "본문")]
    for key in (*mine, *kept):
        await env.redis.set(key, "1")
    patterns: list[str] = []
    scan_iter = env.redis.scan_iter

    def spy(*args: Any, **kwargs: Any) -> Any:
        patterns.append(kwargs["match"])
        return scan_iter(*args, **kwargs)

    monkeypatch.setattr(env.redis, "scan_iter", spy)
    monkeypatch.setattr(Keyspace, "cache", lambda *a, **k: pytest.fail("cache keys were recomputed"))
    result = (await env.caches.clear_company_cache("삼성전자")).model_dump()
    monkeypatch.undo()

    assert result == {"company": "삼성전자", "deleted": len(mine)}
    digest = company_hash("삼성전자")
    assert patterns == [f"{env.prefix}:v1:search:{digest}:*", f"{env.prefix}:v1:analysis:{digest}:*"]
    assert await env.redis.exists(*mine) == 0
    assert await env.redis.exists(*kept) == len(kept)


async def test_an_analysis_without_a_threshold_shares_the_default_thresholds_key(env: Env) -> None:
    analysis = await resolve(env.container.analysis_service)
    default = env.container.settings().news.similarity_threshold
    assert not (await analysis.analyze("삼성전자", max_results=5)).cache_hit
    assert (await analysis.analyze("삼성전자", max_results=5, similarity_threshold=default)).cache_hit
    assert len(await keys(env, f"{env.prefix}:v1:analysis:*")) == 1


async def test_cache_info_counts_keys_per_kind(env: Env) -> None:
    await env.jobs.run(await env.ledger.claim("삼성전자", "t1", 10), "삼성전자", 10)
    info = (await env.caches.cache_info()).model_dump()
    assert info["prefix"] == f"{env.prefix}:v1"
    assert info["keys"]["search"] == 1 and info["keys"]["analysis"] == 1 and info["keys"]["latest"] == 1
    assert info["cache_keys"] == 2 + len(env.source.articles) - 2
    assert info["misses"] >= 2 and info["hit_rate"] is not None and info["memory"] is None


async def test_refresh_queues_each_watched_company_once(env: Env) -> None:
    env.source.delay = 0.2
    first = await env.tasks.refresh_watchlist(max_results=10)
    second = await env.tasks.refresh_watchlist(max_results=10)
    assert all(isinstance(r, RefreshQueued) for r in [*first, *second])
    assert [r.company for r in first] == ["삼성전자", "LG전자"] and all(r.created for r in first)
    assert [r.task_id for r in second] == [r.task_id for r in first]
    assert not any(r.created for r in second)
    await asyncio.wait_for(env.queue.join(), 10)
    assert (await env.watchlist.latest("LG전자")).company == "LG전자"


class CeleryView:
    """A queue whose backend reports a terminal state the ledger never saw (a hard time-limit kill)."""

    mode = "redis"

    def __init__(self, state: str, error: str | None) -> None:
        self.state, self.error = state, error

    async def backend_state(self, task_id: str) -> tuple[str, str | None] | None:
        return self.state, self.error


async def test_celerys_terminal_state_wins_over_an_unfinished_record(env: Env) -> None:
    env.container.task_queue.override(providers.Object(CeleryView("FAILURE", "TimeLimitExceeded: 360")))
    env.container.task_service.reset()
    dashboard = await resolve(env.container.task_service)
    task_id = await env.ledger.claim("삼성전자", "killed", 10)
    await env.ledger.start(task_id, "삼성전자")
    record = await dashboard.task(task_id)
    assert (record.state, record.error, record.started_at is not None) == ("FAILURE", "TimeLimitExceeded: 360", True)
    # A record that finished (e.g. between the two reads) keeps its own result.
    await env.ledger.finish(task_id, "삼성전자", "SUCCESS", result={"item_count": 1})
    record = await dashboard.task(task_id)
    assert record.state == "SUCCESS" and record.result == {"item_count": 1}
    # Known to Celery only (the record expired): the state without details.
    assert (await dashboard.task("celery-only")).state == "FAILURE"
