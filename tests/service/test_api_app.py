"""The app in-process (TestClient, embedded mode, archive source, tiny real models)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import embedded_settings
from tests.ml_fixtures import shared_models_dir

ADMIN = "test-admin-key-123"


def client_for(**overrides: object) -> TestClient:
    return TestClient(create_app(embedded_settings(**overrides)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def shared_client() -> Iterator[TestClient]:
    ml = {"models_dir": shared_models_dir(), "model_name": "tiny"}
    with client_for(ml=ml, api={"admin_api_key": ADMIN}) as test_client:
        yield test_client


@pytest.fixture
def client(shared_client: TestClient) -> TestClient:
    return shared_client


def test_analyze_end_to_end_with_the_local_model(client):
    response = client.post("/api/v1/search/companies/삼성전자/analyze", json={"max_results": 8})
    assert response.status_code == 200, response.text
    body = response.json()
    meta = body["analysis_metadata"]
    assert meta["ml_service_status"] == "local_model"
    assert meta["model_name"] == "tiny" and meta["device"] == "cpu"
    assert meta["analyzed_count"] == len(body["analyzed_news"]) > 0
    for item in body["analyzed_news"]:
        esg, sentiment = item["esg_classification"], item["sentiment_analysis"]
        assert esg["category"] in {"E", "S", "G", "기타"}
        assert 0 <= esg["confidence"] <= 1 and isinstance(esg["evidence"], list) and esg["reasoning"]
        assert sum(sentiment["scores"].values()) == pytest.approx(1, abs=1e-3)
        assert set(sentiment["scores"]) == {"positive", "neutral", "negative"}
    summary = body["summary"]
    assert list(summary["esg_distribution"]) == ["E", "S", "G", "기타"]
    assert list(summary["sentiment_distribution"]) == ["긍정", "중립", "부정"]
    assert sum(summary["esg_distribution"].values()) == summary["total_analyzed"]
    assert "삼성전자" not in summary["top_keywords"]
    # Keywords come from the headlines (each counted once per article that has it).
    titles = [item["title"] for item in body["analyzed_news"]]
    assert summary["top_keywords"]
    assert all(any(word in title for title in titles) for word in summary["top_keywords"])


def test_analyze_twice_hits_the_cache_and_no_body_is_fine(client):
    first = client.post("/api/v1/search/companies/LG전자/analyze")
    second = client.post("/api/v1/search/companies/LG전자/analyze")
    assert first.status_code == second.status_code == 200
    assert first.json()["analysis_metadata"]["cache_hit"] is False
    assert second.json()["analysis_metadata"]["cache_hit"] is True


async def test_article_results_are_reused_across_analyses():
    from app.container import create_container, resolve

    container = create_container(embedded_settings(ml={"models_dir": shared_models_dir(), "model_name": "tiny"}))
    await container.init_resources()
    try:
        container.classifier().load()
        service = await resolve(container.analysis_service)
        small = await service.analyze("삼성전자", max_results=5)
        larger = await service.analyze("삼성전자", max_results=12)
        again = await service.analyze("삼성전자", max_results=12, force_refresh=True)
    finally:
        container.classifier().close()
        await container.shutdown_resources()
    assert small.newly_classified == len(small.result.items)
    overlap = {a.id for a in small.result.items} & {a.id for a in larger.result.items}
    assert overlap
    assert larger.newly_classified == len(larger.result.items) - len(overlap)
    assert again.newly_classified == 0


def test_missing_model_set_falls_back_to_keywords_with_a_reason():
    with client_for(ml={"models_dir": shared_models_dir(), "model_name": "nope"}) as c:
        body = c.post("/api/v1/search/companies/삼성전자/analyze", json={"max_results": 3}).json()
        health = c.get("/api/v1/system/health").json()
    assert body["analysis_metadata"]["ml_service_status"] == "keyword_fallback"
    assert "nope" in body["analysis_metadata"]["fallback_reason"]
    assert health["status"] == "degraded" and health["ml"]["ml_service_status"] == "keyword_fallback"


def test_models_are_listed_with_labels(client):
    body = client.get("/api/v1/system/models").json()
    names = {m["name"]: m for m in body["model_sets"]}
    assert {"tiny", "alt", "enc", "fin"} <= set(names)
    assert names["tiny"]["active"] is True
    assert names["fin"]["category"]["extra_labels"] == ["FIN"]
    assert body["active"]["model_name"] == "tiny"


def test_the_model_responses_are_described_item_by_item(client):
    schema = client.get("/openapi.json").json()
    schemas, paths = schema["components"]["schemas"], schema["paths"]
    listed = paths["/api/v1/system/models"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {"$ref": "#/components/schemas/ModelCatalog"}
    assert schemas["ModelCatalog"]["properties"]["model_sets"]["items"] == {"$ref": "#/components/schemas/ModelSetInfo"}
    assert schemas["ModelSetInfo"]["properties"]["category"] == {"$ref": "#/components/schemas/TaskModelInfo"}
    activated = paths["/api/v1/system/models/activate"]["post"]["responses"]["200"]["content"]["application/json"]
    assert activated["schema"] == {"$ref": "#/components/schemas/ActivateResponse"}
    assert schemas["ActivateResponse"]["properties"]["active"] == {"$ref": "#/components/schemas/ModelInfo"}


def test_activation_needs_the_admin_key(client):
    url = "/api/v1/system/models/activate"
    assert client.post(url, json={"model_name": "alt"}).status_code == 401
    wrong = client.post(url, json={"model_name": "alt"}, headers={"X-API-Key": "nope"})
    assert wrong.status_code == 403 and ADMIN not in wrong.text
    missing = client.post(url, json={"model_name": "ghost"}, headers={"X-API-Key": ADMIN})
    assert missing.status_code == 404
    ok = client.post(url, json={"model_name": "alt"}, headers={"X-API-Key": ADMIN})
    assert ok.status_code == 200 and ok.json()["active"]["model_name"] == "alt"
    assert client.get("/api/v1/system/health").json()["ml"]["model_name"] == "alt"
    client.post(url, json={"model_name": "tiny"}, headers={"X-API-Key": ADMIN})


def test_admin_endpoints_refuse_remote_callers_when_no_key_is_configured():
    with client_for() as c:
        response = c.post("/api/v1/system/models/activate", json={"model_name": "alt"})
        access = c.get("/api/v1/system/admin").json()
    assert response.status_code == 403
    assert "ADMIN_API_KEY" in response.json()["detail"]
    assert access["admin"] is False and access["key_configured"] is False and "ADMIN_API_KEY" in access["detail"]


def test_without_a_key_the_servers_own_machine_is_admin_unless_proxied():
    app = create_app(embedded_settings())
    with TestClient(app, client=("127.0.0.1", 40000)) as local:  # type: ignore[arg-type]
        assert local.get("/api/v1/system/admin").json() == {
            "admin": True, "via": "loopback", "key_configured": False, "detail": None,
        }
        trigger = local.post("/api/v1/dashboard/companies/삼성전자/trigger")
        assert trigger.status_code == 202, trigger.text
        proxied = local.post("/api/v1/dashboard/companies/삼성전자/trigger", headers={"X-Forwarded-For": "198.51.100.7"})
        assert proxied.status_code == 403
    with TestClient(app, client=("::1", 40000)) as local6:  # type: ignore[arg-type]
        assert local6.get("/api/v1/system/admin").json()["via"] == "loopback"
    off = create_app(embedded_settings(api={"loopback_admin": False}))
    with TestClient(off, client=("127.0.0.1", 40000)) as local:  # type: ignore[arg-type]
        assert local.post("/api/v1/dashboard/companies/삼성전자/trigger").status_code == 403


def test_with_a_key_configured_loopback_needs_it_too():
    with TestClient(create_app(embedded_settings(api={"admin_api_key": ADMIN})), client=("127.0.0.1", 1)) as local:  # type: ignore[arg-type]
        assert local.post("/api/v1/dashboard/companies/삼성전자/trigger").status_code == 401
        assert local.get("/api/v1/system/admin").json()["admin"] is False
        wrong = local.get("/api/v1/system/admin", headers={"X-API-Key": "nope"}).json()
        assert wrong["admin"] is False and "does not match" in wrong["detail"]
        right = local.get("/api/v1/system/admin", headers={"X-API-Key": ADMIN}).json()
        assert right == {"admin": True, "via": "key", "key_configured": True, "detail": None}


def test_error_bodies_are_uniform(client):
    not_found = client.get("/api/v1/nothing-here")
    assert not_found.status_code == 404 and not_found.json()["error"] == "NotFound"
    wrong_method = client.get("/api/v1/search/news")
    assert wrong_method.status_code == 405 and set(wrong_method.json()) == {"error", "detail"}
    too_big = client.post("/api/v1/search/news", content=b'{"query": "' + b"a" * 70000 + b'"}',
                          headers={"Content-Type": "application/json"})
    assert too_big.status_code == 413 and too_big.json()["error"] == "PayloadTooLarge"
    too_long = client.post("/api/v1/search/news", json={"query": "가" * 101})
    assert too_long.status_code == 422 and "at most 100" in too_long.json()["detail"]


def test_405_names_every_method_of_the_path(client):
    for method in ("OPTIONS", "PATCH", "POST"):
        response = client.request(method, "/api/v1/dashboard/companies/삼성전자")
        assert response.status_code == 405 and response.headers["Allow"] == "PUT, DELETE", method
        assert response.json()["error"] == "MethodNotAllowed" and "PUT, DELETE" in response.json()["detail"]
    assert client.options("/api/v1/dashboard/companies/삼성전자/alerts").headers["Allow"] == "GET, PUT, DELETE"
    assert client.get("/api/v1/search/news").headers["Allow"] == "POST"
    assert client.post("/ui/").headers["Allow"] == "GET, HEAD"  # static files say so themselves


def test_the_schema_documents_every_answer(client):
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["AdminKey"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key", "description": schema["components"][
            "securitySchemes"]["AdminKey"]["description"]}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label, responses = f"{method.upper()} {path}", operation["responses"]
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    assert response["content"] == {"application/json": {"schema": {
                        "$ref": "#/components/schemas/ErrorBody"}}}, (label, code)
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= set(responses), label
            if "429" in responses:
                assert responses["429"]["headers"]["Retry-After"]["required"] is True, label
            if operation.get("security") == [{"AdminKey": []}]:
                assert {"401", "403", "429"} <= set(responses), label
    assert schema["paths"]["/api/v1/system/admin"]["get"]["security"] == [{"AdminKey": []}, {}]
    assert "security" not in schema["paths"]["/api/v1/dashboard/companies/{company}/latest"]["get"]
    feedback = schema["paths"]["/api/v1/dashboard/feedback/export"]["get"]["responses"]["200"]
    assert set(feedback["content"]) == {"application/x-ndjson", "text/csv"}
    export = schema["paths"]["/api/v1/dashboard/companies/{company}/export"]["get"]["responses"]["200"]
    assert set(export["content"]) == {"text/csv", "application/json"}
    assert "Content-Disposition" in export["headers"] and "Content-Disposition" in feedback["headers"]
    company = schema["paths"]["/api/v1/search/companies/{company}"]["post"]["parameters"][0]["schema"]
    assert (company["minLength"], company["maxLength"]) == (1, 100) and company["pattern"].startswith("^[^")


def test_batch_runs_each_query(client):
    response = client.post("/api/v1/search/batch", json={"queries": ["삼성전자", "카카오"], "max_results": 3})
    body = response.json()
    assert response.status_code == 200 and body["total"] == 2 and body["succeeded"] == 2
    assert [r["query"] for r in body["results"]] == ["삼성전자", "카카오"]
    analysed = client.post("/api/v1/search/batch", json={"companies": ["네이버"], "analyze": True, "max_results": 3})
    assert analysed.json()["results"][0]["result"]["analysis_metadata"]["company"] == "네이버"
    too_many = client.post("/api/v1/search/batch", json={"queries": [f"q{i}" for i in range(11)]})
    assert too_many.status_code == 422
    together = client.post("/api/v1/search/batch", json={"queries": ["a"] * 6, "companies": ["b"] * 5})
    assert together.status_code == 422 and "at most 10" in together.json()["detail"]
    empty = client.post("/api/v1/search/batch", json={"queries": [], "companies": ["네이버"]})
    assert empty.status_code == 422 and "queries" in empty.json()["detail"]


def test_self_test_checks_every_dependency(client):
    body = client.get("/api/v1/system/test/integration", headers={"X-API-Key": ADMIN}).json()
    assert body["status"] == "passed" and body["live"] is True
    assert [c["name"] for c in body["checks"]] == ["redis", "news_source", "classifier"]
    anonymous = client.get("/api/v1/system/test/integration").json()
    assert anonymous["live"] is False and anonymous["status"] == "passed"  # the archive costs no quota


def test_news_source_reports_what_the_archive_covers(client, tmp_path):
    body = client.get("/api/v1/system/source").json()
    assert body["source"] == "archive"
    archive = body["archive"]
    assert archive["items"] > 0 and archive["first_published"] <= archive["last_published"]
    names = [c["company"] for c in archive["companies"]]
    assert names == sorted(names) and all(c["items"] > 0 for c in archive["companies"])


def test_service_index_lists_the_endpoints(client):
    body = client.get("/").json()
    assert "POST /api/v1/search/companies/{company}/analyze" in body["endpoints"]
    assert client.get(body["dashboard"]).status_code == 200
    assert client.get(body["metrics"]).status_code == 200


def test_metrics_answer_at_once_without_a_redirect(client):
    for path in ("/metrics", "/metrics/"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 200, (path, response.headers.get("location"))
        assert response.headers["content-type"].startswith("text/plain")
        assert "news_http_requests_total" in response.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_json_body_sent_as_another_type_gets_415_naming_both_types(client, content_type):
    body = '{"query": "삼성전자", "max_results": 3}'.encode()
    response = client.post("/api/v1/search/news", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 415 and response.json()["error"] == "UnsupportedMediaType"
    assert f"'{content_type}'" in response.json()["detail"] and "'application/json'" in response.json()["detail"]
    optional = client.post("/api/v1/search/companies/삼성전자", content=b'{"max_results": 3}',
                           headers={"Content-Type": content_type})
    assert optional.status_code == 415
    for json_type in ("application/json", "application/json; charset=utf-8"):
        assert client.post("/api/v1/search/news", content=body, headers={"Content-Type": json_type}).status_code == 200
    # A route whose body is optional still takes no body at all, whatever the declared type.
    empty = client.post("/api/v1/search/companies/삼성전자", content=b"", headers={"Content-Type": content_type})
    assert empty.status_code == 200


def test_every_invalid_field_gets_the_same_error_type_wherever_it_is(client):
    zero_width = "%E2%80%8B"  # U+200B, refused by the routers' own check (clean_term), not by FastAPI
    failures = {
        "body": client.post("/api/v1/search/news", json={"query": "삼성전자", "max_results": 0}),
        "body, checked in the schema": client.post("/api/v1/search/news", json={"query": "삼성\u200b전자"}),
        "query": client.get("/api/v1/search/trending?limit=0"),
        "path": client.post("/api/v1/search/companies/" + "가" * 201),
        "path, checked by the router": client.post(f"/api/v1/search/companies/삼성{zero_width}전자"),
        "header": header_client().get("/echo", headers={"X-Count": "many"}),
    }
    answers = {where: (r.status_code, r.json()["error"]) for where, r in failures.items()}
    assert answers == dict.fromkeys(failures, (422, "ValidationError"))


def header_client() -> TestClient:
    # No route of the service validates a header's value; an app with the service's handlers and one that does.
    from typing import Annotated

    from fastapi import FastAPI, Header

    from app.api.errors import install_error_handlers

    app = FastAPI()

    @app.get("/echo")
    async def echo(x_count: Annotated[int, Header()]) -> int:
        return x_count

    install_error_handlers(app)
    return TestClient(app)
