"""Analyst labels: `POST /dashboard/articles/{id}/label` → export (HTTP and CLI) → `read_examples` reads them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakeredis import FakeServer
from fakeredis.aioredis import FakeRedis
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from app.adapters.feedback_store import FeedbackStore
from app.adapters.keyspace import Keyspace
from app.cli import main as cli
from app.container import create_container, resolve, running
from app.feedback_cli import fetch_from_server
from app.main import create_app
from app.ml.datasets import read_examples
from tests.conftest import embedded_settings

D = "/api/v1/dashboard"
KEY = "feedback-test-key"
ADMIN = {"X-API-Key": KEY}


@pytest.fixture(scope="module")
def shared_client() -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(api={"admin_api_key": SecretStr(KEY), "rate_limit_admin": 0}))) as test_client:
        yield test_client


@pytest.fixture
def client(shared_client: TestClient) -> TestClient:
    return shared_client


@pytest.fixture(scope="module")
def analysed(shared_client: TestClient) -> list[dict[str, Any]]:
    body = shared_client.post("/api/v1/search/companies/삼성전자/analyze", json={"max_results": 10}).json()
    return list(body["analyzed_news"])


def test_label_export_and_read_back_as_training_rows(
    client: TestClient, analysed: list[dict[str, Any]], tmp_path: Path
) -> None:
    first, second = analysed[0], analysed[1]
    labeled = client.post(f"{D}/articles/{first['id']}/label", headers=ADMIN,
                          json={"category": "G", "sentiment": "부정", "note": "횡령은 지배구조"})
    assert labeled.status_code == 200, labeled.text
    record = labeled.json()
    assert record["title"] == first["title"] and record["description"] == first["summary"]
    assert record["company"] == "삼성전자" and record["replaced"] is False
    assert record["predicted"] == {"category": first["esg_classification"]["category"],
                                   "sentiment": first["sentiment_analysis"]["label"]}
    again = client.post(f"{D}/articles/{first['id']}/label", headers=ADMIN,
                        json={"category": "S", "sentiment": "부정", "company": "삼성전자"})
    assert again.json()["replaced"] is True and again.json()["category"] == "S"
    client.post(f"{D}/articles/{second['id']}/label", headers=ADMIN, json={"category": "E", "sentiment": "긍정"})

    listed = client.get(f"{D}/feedback", headers=ADMIN).json()
    assert listed["total"] >= 2 and {r["article_id"] for r in listed["labels"]} >= {first["id"], second["id"]}

    for fmt in ("jsonl", "csv"):
        response = client.get(f"{D}/feedback/export", params={"format": fmt}, headers=ADMIN)
        assert response.status_code == 200 and f".{fmt}" in response.headers["content-disposition"]
        path = tmp_path / f"feedback.{fmt}"
        path.write_bytes(response.content)
        examples = read_examples(path)
        mine = next(e for e in examples if e.text.startswith(first["title"]))
        assert (mine.category, mine.sentiment, mine.company) == ("S", "부정", "삼성전자")
        assert mine.text == f"{first['title']}\n{first['summary']}"
        other = next(e for e in examples if e.text.startswith(second["title"]))
        assert (other.category, other.sentiment) == ("E", "긍정")
    jsonl = client.get(f"{D}/feedback/export", headers=ADMIN).text.splitlines()
    assert set(json.loads(jsonl[0])) == {"title", "description", "category", "sentiment", "company"}


def test_articles_outside_stored_results_need_their_text(client: TestClient, analysed: list[dict[str, Any]]) -> None:
    missing = client.post(f"{D}/articles/0123456789abcdef/label", headers=ADMIN,
                          json={"category": "E", "sentiment": "중립"})
    assert missing.status_code == 404
    assert "send its title (and description) in the body" in missing.json()["detail"]
    sent = client.post(f"{D}/articles/0123456789abcdef/label", headers=ADMIN,
                       json={"category": "E", "sentiment": "중립", "title": "LG화학 폐수 배출 기준 초과",
                             "description": "환경부 조사", "company": "LG화학"})
    assert sent.status_code == 200
    assert sent.json()["predicted"] is None and sent.json()["company"] == "LG화학"
    assert client.delete(f"{D}/articles/0123456789abcdef/label", headers=ADMIN).json()["deleted"] is True
    assert client.delete(f"{D}/articles/0123456789abcdef/label", headers=ADMIN).status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"category": "F", "sentiment": "부정"}, {"category": "G", "sentiment": "negative"}, {"category": "G"},
     {"category": "G", "sentiment": "부정", "unknown": 1}, {"category": "G", "sentiment": "부정", "note": "x" * 1001}],
)
def test_labels_are_validated(client: TestClient, analysed: list[dict[str, Any]], body: dict[str, Any]) -> None:
    response = client.post(f"{D}/articles/{analysed[0]['id']}/label", headers=ADMIN, json=body)
    assert response.status_code == 422 and response.json()["error"] == "ValidationError"


def test_labels_need_the_admin_key(client: TestClient, analysed: list[dict[str, Any]]) -> None:
    path = f"{D}/articles/{analysed[0]['id']}/label"
    assert client.post(path, json={"category": "G", "sentiment": "부정"}).status_code == 401
    assert client.get(f"{D}/feedback").status_code == 401
    assert client.get(f"{D}/feedback/export").status_code == 401
    assert client.post(f"{D}/articles/bad$id/label", headers=ADMIN,
                       json={"category": "G", "sentiment": "부정"}).status_code == 422


def test_the_label_responses_are_described_item_by_item(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemas, paths = schema["components"]["schemas"], schema["paths"]
    assert schemas["LabelsResponse"]["properties"]["labels"]["items"] == {"$ref": "#/components/schemas/LabelRecord"}
    assert {"$ref": "#/components/schemas/PredictedLabels"} in schemas["LabelRecord"]["properties"]["predicted"]["anyOf"]
    assert list(schemas["LabelResponse"]["properties"])[-1] == "replaced"
    unlabel = paths["/api/v1/dashboard/articles/{article_id}/label"]["delete"]["responses"]["200"]
    assert unlabel["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/UnlabelResponse"}


# -- the CLI ------------------------------------------------------------------------------------------


def test_cli_exports_from_redis_for_train(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    server = FakeServer()
    monkeypatch.setattr("app.container.create_redis", lambda settings: FakeRedis(server=server))
    records = [
        {"article_id": "a1", "title": "삼성전자 협력사 산재 사망", "description": "고용노동부 조사", "company": "삼성전자",
         "category": "S", "sentiment": "부정", "labeled_at": "2026-11-20T00:00:00+00:00"},
        {"article_id": "a2", "title": "LG전자 태양광 설비 확대", "description": "", "company": "LG전자",
         "category": "E", "sentiment": "긍정", "labeled_at": "2026-11-20T00:01:00+00:00"},
    ]

    async def seed() -> None:
        store = FeedbackStore(FakeRedis(server=server), Keyspace("cli-test"))
        for record in records:
            await store.put(record["article_id"], record)

    import asyncio

    asyncio.run(seed())
    env = {"REDIS_URL": "redis://fake:6379/0", "REDIS_KEY_PREFIX": "cli-test", "NEWS_SOURCE": "archive"}
    for name in ("feedback.jsonl", "feedback.csv"):
        output = tmp_path / name
        result = CliRunner().invoke(cli, ["export-feedback", "--output", str(output)], env=env)
        assert result.exit_code == 0, result.output
        assert f"wrote 2 labeled rows to {output}" in result.output
        examples = read_examples(output)
        assert [(e.text, e.category, e.sentiment, e.company) for e in examples] == [
            ("삼성전자 협력사 산재 사망\n고용노동부 조사", "S", "부정", "삼성전자"),
            ("LG전자 태양광 설비 확대", "E", "긍정", "LG전자"),
        ]
    assert (tmp_path / "feedback.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    stdout = CliRunner().invoke(cli, ["export-feedback", "--format", "jsonl"], env=env)
    assert [json.loads(line)["category"] for line in stdout.stdout.splitlines()] == ["S", "E"]


def test_cli_in_memory_only_embedded_mode_points_at_the_server_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export-feedback", "-o", str(tmp_path / "f.jsonl")],
                                env={"REDIS_URL": "", "NEWS_SOURCE": "archive", "EMBEDDED_DATA_DIR": ""})
    assert result.exit_code == 1 and "--server http://localhost:8002" in result.output
    assert not (tmp_path / "f.jsonl").exists()


def test_cli_reads_the_embedded_data_directory(tmp_path: Path) -> None:
    settings = embedded_settings()
    settings.redis.embedded_data_dir = str(tmp_path / "data")

    async def label_one() -> None:
        async with running(create_container(settings)) as container:
            feedback = await resolve(container.feedback_service)
            await feedback.label("a1", category="G", sentiment="부정", company="삼성전자",
                                 title="삼성전자 임원 횡령 적발", description="내부 감사에서 드러났다.")

    import asyncio

    asyncio.run(label_one())  # as a server would, into its data directory
    env = {"REDIS_URL": "", "NEWS_SOURCE": "archive", "EMBEDDED_DATA_DIR": str(tmp_path / "data"),
           "REDIS_KEY_PREFIX": settings.redis.key_prefix}
    result = CliRunner().invoke(cli, ["export-feedback", "--format", "jsonl"], env=env)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["category"] for line in result.stdout.splitlines()] == ["G"]


def test_cli_reads_a_running_server(client: TestClient, analysed: list[dict[str, Any]]) -> None:
    client.post(f"{D}/articles/{analysed[2]['id']}/label", headers=ADMIN, json={"category": "기타", "sentiment": "중립"})
    rows = fetch_from_server(client, "http://testserver", KEY)
    assert {"title": analysed[2]["title"], "description": analysed[2]["summary"], "category": "기타",
            "sentiment": "중립", "company": "삼성전자"} in rows
