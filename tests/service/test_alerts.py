"""Alert rules: strict validation, evaluation, exactly-once delivery per (rule, refresh), failures recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.adapters.webhook import DeliveryReport
from app.container import Container, create_container, resolve
from app.domain.models import (
    AnalysisResult,
    AnalyzedArticle,
    Article,
    ArticleAnalysis,
    Classification,
    ModelInfo,
    SentimentResult,
)
from app.domain.summary import summarize
from app.main import create_app
from app.services.alert_rules import RULES, NegativeShareRule, NewNegativeRule, evaluate, rule_id
from app.services.alerts import AlertService
from app.services.jobs import AnalysisJobs
from app.services.ports import Classified
from tests.conftest import MemorySource, embedded_settings, make_article

D = "/api/v1/dashboard"
KEY = "alerts-test-key"
ADMIN = {"X-API-Key": KEY}
HOOK = "http://127.0.0.1:9/hooks/secret-token"

# Title prefix → (category, sentiment): the fake classifier's whole knowledge.
LABELS = {"[G-]": ("G", "부정"), "[G0]": ("G", "중립"), "[E-]": ("E", "부정"), "[E+]": ("E", "긍정"),
          "[S0]": ("S", "중립"), "[X-]": ("기타", "부정")}


class FakeClassifier:
    """Labels articles by a title prefix (see LABELS)."""

    fingerprint = "fake-v1"

    def info(self) -> ModelInfo:
        return ModelInfo(model_name="fake", device="cpu", ml_service_status="local_model")

    def load(self) -> ModelInfo:
        return self.info()

    def warmup(self) -> None:
        pass

    def close(self) -> None:
        pass

    async def classify(self, articles: Sequence[Article]) -> Classified:
        return Classified(self.info(), self.fingerprint, [analysis(a.title) for a in articles])


def analysis(title: str, confidence: float = 0.9) -> ArticleAnalysis:
    category, sentiment = LABELS[title[:4]]
    negative = confidence if sentiment == "부정" else (1 - confidence) / 2
    scores = {"positive": (1 - negative) / 2, "neutral": (1 - negative) / 2, "negative": negative}
    return ArticleAnalysis(
        esg_classification=Classification(category=category, confidence=0.8, reasoning="", evidence=["근거"]),
        sentiment_analysis=SentimentResult(label=sentiment, confidence=confidence, scores=scores),
    )


def result_of(titles: list[str], company: str = "삼성전자") -> AnalysisResult:
    items = [
        AnalyzedArticle(**make_article(t, url=f"https://news.example.com/{i}").model_dump(),
                        **analysis(t).model_dump())
        for i, t in enumerate(titles)
    ]
    return AnalysisResult(
        company=company, analysis_time=datetime(2026, 11, 20, tzinfo=UTC), source="archive", total_found=len(items),
        original_count=len(items), duplicates_removed=0, similarity_threshold=0.75,
        model=FakeClassifier().info(), items=items, summary=summarize(items, []),
    )


@dataclass
class FakeSender:
    """Records deliveries; `failures` of the next calls report failure."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    fail: bool = False
    worst_case_seconds: float = 1.0

    async def deliver(self, url: str, payload: dict[str, Any], *, idempotency_key: str) -> DeliveryReport:
        self.calls.append({"url": url, "payload": payload, "key": idempotency_key})
        if self.fail:
            return DeliveryReport(ok=False, attempts=4, status_code=500, error="gave up after 4 attempts: HTTP 500",
                                  elapsed_ms=1.0)
        return DeliveryReport(ok=True, attempts=1, status_code=200, error=None, elapsed_ms=1.0)


# -- evaluation (pure) --------------------------------------------------------------------------------


def test_negative_share_fires_strictly_above_the_threshold() -> None:
    result = result_of(["[G-] 횡령", "[E+] 태양광", "[S0] 채용", "[X-] 주가 하락"])
    rule = NegativeShareRule(type="negative_share", categories=["E", "S", "G"], threshold=0.3)
    firing = evaluate(rule, result, None)
    assert firing is not None
    assert firing.details == {"negative_share": 0.3333, "threshold": 0.3, "articles": 3, "negatives": 1,
                              "categories": ["E", "S", "G"]}
    assert [a.title for a in firing.articles] == ["[G-] 횡령"]  # 기타 is not in the pool
    assert "33.3%" in firing.message and "삼성전자" in firing.message
    assert evaluate(rule.model_copy(update={"threshold": 1 / 3}), result, None) is None  # not above
    assert evaluate(rule.model_copy(update={"min_articles": 4}), result, None) is None
    assert evaluate(rule.model_copy(update={"categories": ["E"]}), result, None) is None


def test_new_negative_needs_a_previous_refresh_and_ignores_seen_articles() -> None:
    result = result_of(["[G-] 횡령", "[G-] 배임", "[G0] 주총", "[E-] 유출"])
    ids = [a.id for a in result.items]
    rule = NewNegativeRule(type="new_negative", category="G")
    assert evaluate(rule, result, None) is None  # the first refresh is the baseline
    assert evaluate(rule, result, set(ids)) is None
    firing = evaluate(rule, result, {ids[0]})
    assert firing is not None and [a.title for a in firing.articles] == ["[G-] 배임"]
    assert firing.details == {"new_articles": 1, "category": "G"}
    assert evaluate(rule.model_copy(update={"min_confidence": 0.95}), result, {ids[0]}) is None


def test_rule_ids_are_stable_and_names_do_not_change_them() -> None:
    a, b = RULES.validate_python([
        {"type": "negative_share", "threshold": 0.3},
        {"type": "negative_share", "threshold": 0.3, "name": "부정 30%", "categories": ["E", "S", "G", "G"]},
    ])
    assert rule_id(a) == rule_id(b) and isinstance(b, NegativeShareRule) and b.categories == ["E", "S", "G"]


# -- the rules API ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_client() -> Iterator[TestClient]:
    settings = embedded_settings(api={"admin_api_key": SecretStr(KEY), "rate_limit_admin": 0})
    settings.alerts.webhook_url = SecretStr("")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def client(shared_client: TestClient) -> TestClient:
    return shared_client


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([{"type": "bogus", "threshold": 0.3}], "does not match any of the expected tags"),
        ([{"threshold": 0.3}], "Unable to extract tag"),
        ([{"type": "negative_share", "threshold": 1.5}], "less than or equal to 1"),
        ([{"type": "negative_share", "threshold": -0.1}], "greater than or equal to 0"),
        ([{"type": "negative_share", "threshold": "0.3"}], "threshold"),
        ([{"type": "negative_share", "threshold": True}], "threshold"),
        ([{"type": "negative_share", "threshold": 0.3, "min_articles": "3"}], "min_articles"),
        ([{"type": "negative_share", "threshold": 0.3, "min_articles": 2.5}], "min_articles"),
        ([{"type": "negative_share"}], "threshold: field required"),
        ([{"type": "negative_share", "threshold": 0.3, "categories": ["F"]}], "categories.0"),
        ([{"type": "negative_share", "threshold": 0.3, "categories": []}], "categories"),
        ([{"type": "negative_share", "threshold": 0.3, "extra": 1}], "unknown field"),
        ([{"type": "new_negative"}], "category: field required"),
        ([{"type": "new_negative", "category": "G", "webhook_url": "ftp://x/y"}], "absolute http(s) URL"),
        ([{"type": "new_negative", "category": "G", "webhook_url": "/relative"}], "absolute http(s) URL"),
        ([{"type": "new_negative", "category": "G", "webhook_url": "http://host:99999/"}], "absolute http(s) URL"),
        ([{"type": "new_negative", "category": "G"}] * 21, "at most 20"),
    ],
)
def test_invalid_rules_are_refused_with_422(client: TestClient, rules: list[dict[str, Any]], message: str) -> None:
    response = client.put(f"{D}/companies/삼성전자/alerts", headers=ADMIN, json={"rules": rules})
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "ValidationError" and message in response.json()["detail"]


def test_rules_without_any_webhook_are_refused(client: TestClient) -> None:
    response = client.put(f"{D}/companies/삼성전자/alerts", headers=ADMIN,
                          json={"rules": [{"type": "new_negative", "category": "G"}]})
    assert response.status_code == 422
    assert response.json()["detail"] == "rules.0: no webhook_url and ALERT_WEBHOOK_URL is not set"


def test_the_schema_requires_webhook_urls_exactly_when_the_server_does(client: TestClient) -> None:
    rules = client.get("/openapi.json").json()["components"]["schemas"]
    assert all("webhook_url" in rules[name]["required"] for name in ("NegativeShareRule", "NewNegativeRule"))
    settings = embedded_settings()
    settings.alerts.webhook_url = SecretStr("https://hooks.example.com/services/T000/B000/XXXX")
    with_default = create_app(settings).openapi()["components"]["schemas"]
    assert "webhook_url" not in with_default["NewNegativeRule"]["required"]
    assert {"type": "null"} in with_default["NewNegativeRule"]["properties"]["webhook_url"]["anyOf"]


def test_rules_round_trip_and_need_the_admin_key(client: TestClient) -> None:
    path = f"{D}/companies/삼성전자/alerts"
    rules = [{"type": "negative_share", "categories": ["E", "S", "G"], "threshold": 0.3, "webhook_url": HOOK},
             {"type": "new_negative", "category": "G", "webhook_url": HOOK, "name": "새 지배구조 악재"}]
    for method in ("GET", "PUT", "DELETE"):
        assert client.request(method, path, json={"rules": rules}).status_code == 401
        assert client.request(method, path, headers={"X-API-Key": "nope"}, json={"rules": rules}).status_code == 403
    put = client.put(path, headers=ADMIN, json={"rules": rules})
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["company"] == "삼성전자" and body["watched"] is True and len(body["rules"]) == 2
    assert body["rules"][0] == {"id": body["rules"][0]["id"], "type": "negative_share", "name": None,
                                "categories": ["E", "S", "G"], "threshold": 0.3, "min_articles": 1,
                                "webhook_url": HOOK}
    assert client.get(path, headers=ADMIN).json() == body
    overview = client.get(f"{D}/alerts").json()
    assert {"company": "삼성전자", "rules": 2, "updated_at": body["updated_at"]} in overview["companies"]
    assert overview["default_webhook"] is None and overview["status"] == "ok"
    assert client.delete(path, headers=ADMIN).json() == {"company": "삼성전자", "deleted": True}
    assert client.get(path, headers=ADMIN).status_code == 404
    assert client.delete(path, headers=ADMIN).status_code == 404
    assert client.get(f"{D}/alerts/deliveries", params={"status": "lost"}).status_code == 422


def test_the_responses_describe_rules_overview_and_deliveries_item_by_item(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("NegativeShareRuleWithId", "NewNegativeRuleWithId"):
        assert "id" in schemas[name]["required"] and next(iter(schemas[name]["properties"])) == "id"
    rules = schemas["RulesResponse"]["properties"]["rules"]["items"]
    assert rules["discriminator"]["propertyName"] == "type" and len(rules["oneOf"]) == 2
    overview = schemas["AlertsOverview"]["properties"]
    assert overview["companies"]["items"] == {"$ref": "#/components/schemas/CompanyRules"}
    assert {"$ref": "#/components/schemas/DeliveryRecord"} in overview["last_failure"]["anyOf"]
    deliveries = schemas["DeliveriesResponse"]["properties"]["deliveries"]["items"]
    assert deliveries == {"$ref": "#/components/schemas/DeliveryRecord"}
    assert schemas["DeliveryRecord"]["properties"]["status"]["enum"] == ["sent", "failed"]


# -- after a refresh: the service over the embedded store --------------------------------------------


@dataclass
class Env:
    container: Container
    source: MemorySource
    sender: FakeSender
    alerts: AlertService
    jobs: AnalysisJobs


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    settings = embedded_settings()
    settings.alerts.webhook_url = SecretStr("https://hooks.example.com/services/T000/B000/XXXX")
    container = create_container(settings)
    source, sender = MemorySource([]), FakeSender()
    container.news_source.override(providers.Object(source))
    container.classifier.override(providers.Object(FakeClassifier()))
    container.webhook_sender.override(providers.Object(sender))
    await container.init_resources()  # type: ignore[misc]
    yield Env(container, source, sender, await resolve(container.alert_service), await resolve(container.jobs))
    await container.shutdown_resources()  # type: ignore[misc]


def articles(*titles: str) -> list[Article]:
    return [make_article(t, url=f"https://news.example.com/{t}") for t in titles]


async def test_each_firing_is_delivered_once_even_when_the_task_runs_again(env: Env) -> None:
    share = NegativeShareRule(type="negative_share", threshold=0.3)
    fresh = NewNegativeRule(type="new_negative", category="G")
    await env.alerts.set_rules("삼성전자", [share, fresh])

    env.source.articles = articles("[G-] 횡령", "[E+] 태양광")
    await env.jobs.run("refresh-1", "삼성전자", 10)
    assert [c["payload"]["rule"]["type"] for c in env.sender.calls] == ["negative_share"]  # baseline: no new_negative

    env.source.articles = articles("[G-] 횡령", "[E+] 태양광", "[G-] 배임")
    await env.jobs.run("refresh-2", "삼성전자", 10)
    await env.jobs.run("refresh-2", "삼성전자", 10)  # the broker delivered it again
    assert [c["payload"]["rule"]["type"] for c in env.sender.calls] == ["negative_share", "negative_share",
                                                                       "new_negative"]
    new = env.sender.calls[2]
    assert new["url"] == "https://hooks.example.com/services/T000/B000/XXXX"
    assert [a["title"] for a in new["payload"]["articles"]] == ["[G-] 배임"]
    assert new["payload"]["record_id"] == "refresh-2" and new["payload"]["company"] == "삼성전자"
    assert new["payload"]["alert_id"] == new["key"] and "webhook_url" not in new["payload"]["rule"]
    assert new["payload"]["message"].startswith("삼성전자: 새 부정 지배구조(G) 기사 1건")
    assert len({c["key"] for c in env.sender.calls}) == 3

    await env.jobs.run("refresh-3", "삼성전자", 10)  # nothing new: only the share rule fires
    assert [c["payload"]["rule"]["type"] for c in env.sender.calls][3:] == ["negative_share"]

    deliveries = (await env.alerts.deliveries(10)).deliveries
    assert [d.record_id for d in deliveries] == ["refresh-3", "refresh-2", "refresh-2", "refresh-1"]
    assert {d.status for d in deliveries} == {"sent"}
    assert deliveries[0].target == "https://hooks.example.com"  # the token in the path is not shown


async def test_a_failed_delivery_is_recorded_visible_and_not_sent_again(env: Env) -> None:
    await env.alerts.set_rules("삼성전자", [NegativeShareRule(type="negative_share", threshold=0.0)])
    env.source.articles = articles("[G-] 횡령")
    env.sender.fail = True
    await env.jobs.run("refresh-1", "삼성전자", 10)
    await env.jobs.run("refresh-1", "삼성전자", 10)
    assert len(env.sender.calls) == 1
    overview = await env.alerts.overview()
    assert overview.status == "failing" and overview.recent.model_dump() == {"count": 1, "sent": 0, "failed": 1}
    failure = overview.last_failure
    assert failure is not None
    assert failure.status == "failed" and failure.attempts == 4 and failure.http_status == 500
    assert failure.error == "gave up after 4 attempts: HTTP 500"
    assert (await env.alerts.deliveries(10, "sent")).count == 0

    env.sender.fail = False
    await env.jobs.run("refresh-2", "삼성전자", 10)
    overview = await env.alerts.overview()
    assert overview.status == "ok" and overview.recent.model_dump() == {"count": 2, "sent": 1, "failed": 1}


async def test_alert_problems_never_fail_the_refresh(env: Env) -> None:
    await env.alerts.set_rules("삼성전자", [NegativeShareRule(type="negative_share", threshold=0.0)])
    env.source.articles = articles("[G-] 횡령")

    async def broken(*_: Any, **__: Any) -> DeliveryReport:
        raise RuntimeError("sender exploded")

    env.sender.deliver = broken  # type: ignore[method-assign]
    summary = await env.jobs.run("refresh-1", "삼성전자", 10)
    assert summary.item_count == 1


async def test_companies_without_rules_still_get_a_baseline(env: Env) -> None:
    env.source.articles = articles("[G-] 횡령")
    await env.jobs.run("refresh-1", "삼성전자", 10)
    await env.alerts.set_rules("삼성전자", [NewNegativeRule(type="new_negative", category="G")])
    env.source.articles = articles("[G-] 횡령", "[G-] 배임")
    await env.jobs.run("refresh-2", "삼성전자", 10)
    assert [a["title"] for a in env.sender.calls[0]["payload"]["articles"]] == ["[G-] 배임"]
