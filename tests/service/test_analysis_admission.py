"""Analysis admission: at most ANALYSIS_CONCURRENCY compute at once, clients beyond the queue limit get 503."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from dependency_injector import providers

from app.container import create_container, resolve
from app.errors import ServiceBusy
from app.services.analysis import AnalysisService
from tests.conftest import MemorySource, embedded_settings


@pytest.fixture
async def slow(articles: list[Any]) -> AsyncIterator[tuple[AnalysisService, MemorySource]]:
    settings = embedded_settings(api={"analysis_concurrency": 1, "analysis_queue_limit": 1})
    container = create_container(settings)
    source = MemorySource(articles)
    source.delay = 0.3  # each analysis holds its slot this long
    container.news_source.override(providers.Object(source))
    await container.init_resources()  # type: ignore[misc]
    try:
        yield await resolve(container.analysis_service), source
    finally:
        container.classifier().close()
        await container.shutdown_resources()  # type: ignore[misc]


async def test_clients_beyond_the_queue_limit_are_refused_with_retry_after(slow):
    service, source = slow
    outcomes = await asyncio.gather(*(service.analyze(f"회사{i}") for i in range(3)), return_exceptions=True)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ServiceBusy), outcomes
    assert refused[0].status_code == 503 and refused[0].retry_after >= 1
    assert source.calls == 2  # the refused one never reached the news source


async def test_background_tasks_wait_for_a_slot_instead(slow):
    service, _ = slow
    outcomes = await asyncio.gather(
        service.analyze("회사A"), service.analyze("회사B"), service.analyze("회사C", record_id="task-1"),
        return_exceptions=True,
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes


async def test_a_refused_analysis_with_a_cached_copy_serves_it_as_stale(slow):
    service, _ = slow
    await service.analyze("회사S")
    outcomes = await asyncio.gather(
        service.analyze("회사X"), service.analyze("회사Y"), service.analyze("회사S", force_refresh=True),
        return_exceptions=True,
    )
    stale = outcomes[2]
    assert not isinstance(stale, Exception), outcomes
    assert stale.stale is True and stale.cache_hit is True
