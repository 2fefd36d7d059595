"""`GET /dashboard/companies/{c}/export`: CSV (UTF-8 BOM, parsed back) and JSON of the latest analysis."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from app.api.exports import CSV_COLUMNS, attachment, to_csv
from app.domain.models import AnalysisResult, AnalyzedArticle, Classification, ModelInfo, SentimentResult
from app.domain.summary import summarize
from app.main import create_app
from tests.conftest import embedded_settings, make_article

D = "/api/v1/dashboard"


@pytest.fixture(scope="module")
def shared_client() -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings())) as test_client:
        yield test_client


@pytest.fixture
def client(shared_client: TestClient) -> TestClient:
    return shared_client


def rows_of(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_article_and_parses_back(client: TestClient) -> None:
    analysis = client.post("/api/v1/search/companies/삼성전자/analyze", json={"max_results": 30}).json()
    response = client.get(f"{D}/companies/삼성전자/export", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="esg-export-')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded).startswith("삼성전자-esg-") and unquote(encoded).endswith(".csv")

    rows = rows_of(response.content)
    reader_columns = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(reader_columns) == CSV_COLUMNS
    items = analysis["analyzed_news"]
    assert len(rows) == len(items) > 0
    for row, item in zip(rows, items, strict=True):
        esg, sentiment = item["esg_classification"], item["sentiment_analysis"]
        assert row["id"] == item["id"] and row["title"] == item["title"] and row["url"] == item["url"]
        assert row["press"] == item["news_source"] and row["category"] == esg["category"]
        assert row["sentiment"] == sentiment["label"]
        assert float(row["category_confidence"]) == pytest.approx(esg["confidence"], abs=1e-4)
        assert float(row["sentiment_confidence"]) == pytest.approx(sentiment["confidence"], abs=1e-4)
        for label in ("positive", "neutral", "negative"):
            assert float(row[label]) == pytest.approx(sentiment["scores"][label], abs=1e-4)
        assert row["evidence"] == ", ".join(esg["evidence"])
        assert int(row["duplicate_count"]) == item["duplicate_count"]
        published = datetime.fromisoformat(row["published_date"])
        assert published == datetime.fromisoformat(item["published_date"])
        assert row["source_presses"] == "; ".join(s["press"] for s in item["sources"])
        assert row["source_urls"].split() == [s["url"] for s in item["sources"]]
        assert len(item["sources"]) == item["duplicate_count"] + 1 or item["duplicate_count"] > 0
    assert any(item["duplicate_count"] for item in items), "exports should show a story's several sources"


def test_json_equals_the_latest_and_csv_is_the_default(client: TestClient) -> None:
    client.post("/api/v1/search/companies/LG전자/analyze", json={"max_results": 10})
    exported = client.get(f"{D}/companies/LG전자/export", params={"format": "json"})
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/json"
    assert exported.headers["content-disposition"].endswith(".json")
    assert exported.json() == client.get(f"{D}/companies/LG전자/latest").json()
    assert client.get(f"{D}/companies/LG전자/export").headers["content-type"].startswith("text/csv")


def test_no_result_is_404_and_an_unknown_format_422(client: TestClient) -> None:
    missing = client.get(f"{D}/companies/없는회사/export")
    assert missing.status_code == 404 and missing.json()["error"] == "NotFound"
    assert client.get(f"{D}/companies/삼성전자/export", params={"format": "xlsx"}).status_code == 422


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted() -> None:
    article = make_article("=HYPERLINK(\"http://evil\")", url="https://news.example.com/1")
    item = AnalyzedArticle(
        **article.model_dump(),
        esg_classification=Classification(category="G", confidence=0.5, reasoning="", evidence=["-1+1", "횡령"]),
        sentiment_analysis=SentimentResult(label="부정", confidence=0.7,
                                           scores={"positive": 0.1, "neutral": 0.2, "negative": 0.7}),
    )
    result = AnalysisResult(
        company="x", analysis_time=datetime(2026, 11, 20, tzinfo=UTC), source="archive", total_found=1,
        original_count=1, duplicates_removed=0, similarity_threshold=0.75,
        model=ModelInfo(model_name="m", device="cpu", ml_service_status="keyword_fallback"),
        items=[item], summary=summarize([item], []),
    )
    row = next(csv.DictReader(io.StringIO(to_csv(result))))
    assert row["title"] == "'=HYPERLINK(\"http://evil\")" and row["evidence"] == "'-1+1, 횡령"
    assert row["negative"] == "0.7000"


def test_content_disposition_is_safe_for_any_company_name() -> None:
    header = attachment('a"b/c\\d\r\n.csv')["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
    assert attachment("삼성전자.csv")["Content-Disposition"] == (
        "attachment; filename=\"export.csv\"; filename*=UTF-8''%EC%82%BC%EC%84%B1%EC%A0%84%EC%9E%90.csv"
    )
