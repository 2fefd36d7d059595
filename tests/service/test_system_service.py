"""The self-test and the source report: what anonymous callers may spend, what the archive covers."""

from __future__ import annotations

import json
from pathlib import Path

from dependency_injector import providers

from app.adapters.archive import ArchiveSource
from app.container import create_container, resolve
from app.domain.models import Article
from tests.conftest import MemorySource, embedded_settings


async def test_only_live_self_tests_call_naver(articles: list[Article]) -> None:
    container = create_container(embedded_settings())
    naver = MemorySource(articles)
    naver.name = "naver"  # type: ignore[misc]
    container.news_source.override(providers.Object(naver))
    await container.init_resources()  # type: ignore[misc]
    try:
        system = await resolve(container.system_service)
        anonymous = (await system.integration_test(live=False)).model_dump()
        source = anonymous["checks"][1]
        assert naver.calls == 0 and source["ok"] is None and "admin key" in source["detail"]
        assert anonymous["status"] == "partial" and anonymous["live"] is False

        live = (await system.integration_test(live=True)).model_dump()
        spent = naver.calls
        assert spent > 0 and live["status"] == "passed"

        again = (await system.integration_test(live=False)).model_dump()
        assert naver.calls == spent and again["status"] == "passed" and "cached at" in again["checks"][1]["detail"]
    finally:
        container.classifier().close()
        await container.shutdown_resources()  # type: ignore[misc]


async def test_archive_coverage_counts_tagged_companies(tmp_path: Path) -> None:
    rows = [
        {"title": "삼성전자 소식", "link": "https://a.example/1", "description": "", "company": "삼성전자",
         "pubDate": "Mon, 02 Nov 2026 09:00:00 +0900"},
        {"title": "삼성전자 또 소식", "link": "https://a.example/2", "description": "", "company": "삼성전자",
         "pubDate": "Fri, 20 Nov 2026 09:00:00 +0900"},
        {"title": "KT 소식", "link": "https://a.example/3", "description": "", "company": "KT"},
        {"title": "업계 소식", "link": "https://a.example/4", "description": ""},
    ]
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    coverage = await ArchiveSource(path).coverage()
    assert coverage.items == 4 and coverage.companies == {"KT": 1, "삼성전자": 2}
    assert coverage.first_published is not None and coverage.last_published is not None
    assert (coverage.first_published.day, coverage.last_published.day) == (2, 20)
