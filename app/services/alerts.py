"""Alert rules per company, evaluated after each background refresh; firings go to a webhook once."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from pydantic import SecretStr

from app.domain.models import AnalysisResult, AnalyzedArticle
from app.domain.text import normalize_query
from app.errors import InvalidInput, NotFound
from app.services.alert_rules import (
    RULES,
    Firing,
    NegativeShareRule,
    NewNegativeRule,
    evaluate,
    redact_url,
    rule_id,
)
from app.services.alert_views import (
    AlertsOverview,
    CompanyRules,
    DeletedResponse,
    DeliveriesResponse,
    DeliveryCounts,
    DeliveryRecord,
    RulesResponse,
)
from app.services.ports import WatchListRepository

log = logging.getLogger(__name__)

MAX_RULES = 20
_SETTLED_TTL = 8 * 24 * 3600  # longer than a task can be redelivered (its record id lives 7 days)


class AlertRepository(Protocol):
    """Rules, baselines, claims and the delivery log (Redis, or the embedded store)."""

    async def get_rules(self, company: str) -> dict[str, Any] | None: ...
    async def put_rules(self, company: str, entry: dict[str, Any]) -> None: ...
    async def delete_rules(self, company: str) -> bool: ...
    async def all_rules(self) -> list[dict[str, Any]]: ...
    async def get_baseline(self, company: str) -> dict[str, Any] | None: ...
    async def put_baseline(self, company: str, baseline: dict[str, Any]) -> None: ...
    async def claim(self, alert_id: str, ttl_seconds: int) -> bool: ...
    async def settle(self, alert_id: str, state: str, ttl_seconds: int) -> None: ...
    async def record_delivery(self, delivery: dict[str, Any]) -> None: ...
    async def deliveries(self, limit: int) -> list[dict[str, Any]]: ...


class Delivery(Protocol):
    """What a webhook sender reports."""

    ok: bool
    attempts: int
    status_code: int | None
    error: str | None
    elapsed_ms: float


class WebhookPort(Protocol):
    """Sends one payload with retries; never raises."""

    @property
    def worst_case_seconds(self) -> float: ...

    async def deliver(self, url: str, payload: dict[str, Any], *, idempotency_key: str) -> Delivery: ...


def _article(a: AnalyzedArticle) -> dict[str, Any]:
    return {
        "id": a.id, "title": a.title, "url": a.url, "news_source": a.news_source,
        "published_date": a.published_date.isoformat() if a.published_date else None,
        "category": a.esg_classification.category, "sentiment": a.sentiment_analysis.label,
        "confidence": round(a.sentiment_analysis.confidence, 4),
    }


class AlertService:
    """Manages rules; after a refresh evaluates them and delivers each firing exactly once."""

    def __init__(
        self, *, store: AlertRepository, sender: WebhookPort, watchlist: WatchListRepository,
        default_url: SecretStr,
    ):
        self._store = store
        self._sender = sender
        self._watchlist = watchlist
        self._default_url = default_url.get_secret_value()

    # -- rules -------------------------------------------------------------------------------------

    async def rules(self, company: str) -> RulesResponse:
        """The company's rules (with ids); 404 when it has none."""
        entry = await self._store.get_rules(company)
        if entry is None:
            raise NotFound(f"no alert rules for '{company}'")
        return await self._with_watch(entry)

    async def set_rules(
        self, company: str, rules: list[NegativeShareRule | NewNegativeRule]
    ) -> RulesResponse:
        """Replace the company's rules (validated by the caller's schema)."""
        if len(rules) > MAX_RULES:
            raise InvalidInput(f"rules: at most {MAX_RULES} per company (got {len(rules)})")
        for index, rule in enumerate(rules):
            if not rule.webhook_url and not self._default_url:
                raise InvalidInput(f"rules.{index}: no webhook_url and ALERT_WEBHOOK_URL is not set")
        entry = {
            "company": company,
            "rules": [{"id": rule_id(r), **r.model_dump()} for r in rules],
            "updated_at": datetime.now(UTC).isoformat(),
        }
        await self._store.put_rules(company, entry)
        return await self._with_watch(entry)

    async def delete_rules(self, company: str) -> DeletedResponse:
        """Remove the company's rules; 404 when it had none."""
        if not await self._store.delete_rules(company):
            raise NotFound(f"no alert rules for '{company}'")
        return DeletedResponse(company=company, deleted=True)

    async def _with_watch(self, entry: dict[str, Any]) -> RulesResponse:
        watched = normalize_query(entry["company"]) in {
            normalize_query(c) for c in await self._watchlist.companies()
        }
        return RulesResponse.model_validate({**entry, "watched": watched})

    # -- overview ----------------------------------------------------------------------------------

    async def overview(self, recent: int = 50) -> AlertsOverview:
        """Rule counts per company and the state of recent deliveries (failures included)."""
        entries = await self._store.all_rules()
        recent_deliveries = [DeliveryRecord.model_validate(d) for d in await self._store.deliveries(recent)]
        failed = [d for d in recent_deliveries if d.status == "failed"]
        return AlertsOverview(
            status="failing" if recent_deliveries and recent_deliveries[0].status == "failed" else "ok",
            default_webhook=redact_url(self._default_url) if self._default_url else None,
            companies=[CompanyRules(company=e["company"], rules=len(e["rules"]), updated_at=e["updated_at"])
                       for e in entries],
            recent=DeliveryCounts(count=len(recent_deliveries), sent=len(recent_deliveries) - len(failed),
                                  failed=len(failed)),
            last_failure=failed[0] if failed else None,
        )

    async def deliveries(self, limit: int, status: str | None = None) -> DeliveriesResponse:
        """Recent deliveries, newest first, optionally only `sent` or `failed` ones."""
        items = await self._store.deliveries(limit if status is None else 10_000)
        if status is not None:
            items = [d for d in items if d["status"] == status][:limit]
        records = [DeliveryRecord.model_validate(d) for d in items]
        return DeliveriesResponse(count=len(records), deliveries=records)

    # -- after a refresh ---------------------------------------------------------------------------

    async def after_refresh(self, record_id: str, result: AnalysisResult) -> list[DeliveryRecord]:
        """Evaluate the company's rules on a stored refresh and deliver new firings; never raises."""
        try:
            return await self._after_refresh(record_id, result)
        except Exception as exc:  # alerts must never fail the refresh that triggered them
            log.warning("alert evaluation for '%s' (record %s) failed: %s: %s",
                        result.company, record_id, type(exc).__name__, exc)
            return []

    async def _after_refresh(self, record_id: str, result: AnalysisResult) -> list[DeliveryRecord]:
        company = result.company
        previous = await self._advance_baseline(company, record_id, result)
        entry = await self._store.get_rules(company)
        if not entry or not entry["rules"]:
            return []
        deliveries = []
        for raw in entry["rules"]:
            rule = RULES.validate_python([{k: v for k, v in raw.items() if k != "id"}])[0]
            firing = evaluate(rule, result, previous)
            if firing is not None:
                delivery = await self._deliver(raw["id"], record_id, result, firing)
                if delivery is not None:
                    deliveries.append(delivery)
        return deliveries

    async def _advance_baseline(
        self, company: str, record_id: str, result: AnalysisResult
    ) -> set[str] | None:
        # The article ids of the previous refresh; a redelivered task (same record id) sees the same
        # baseline as its first run, so it computes the same firings (and the claims stop resends).
        baseline = await self._store.get_baseline(company)
        if baseline is not None and baseline["record_id"] == record_id:
            previous = baseline["previous"]
        else:
            previous = baseline["current"] if baseline is not None else None
            await self._store.put_baseline(company, {
                "record_id": record_id, "time": result.analysis_time.isoformat(),
                "previous": previous, "current": sorted({a.id for a in result.items}),
            })
        return set(previous) if previous is not None else None

    async def _deliver(
        self, rid: str, record_id: str, result: AnalysisResult, firing: Firing
    ) -> DeliveryRecord | None:
        alert_id = hashlib.sha256(f"{rid}\n{record_id}".encode()).hexdigest()[:32]
        # While being sent the claim expires after twice the worst case, so a firing whose worker
        # died mid-delivery is sent again by the redelivered task; once settled it never is.
        if not await self._store.claim(alert_id, int(self._sender.worst_case_seconds * 2) + 60):
            log.info("alert %s for '%s' already delivered; not sending it again", alert_id, result.company)
            return None
        url = firing.rule.webhook_url or self._default_url
        now = datetime.now(UTC).isoformat()
        payload = {
            "event": "news_alert", "alert_id": alert_id, "company": result.company,
            "rule": {"id": rid, **firing.rule.model_dump(exclude={"webhook_url"})},
            "record_id": record_id, "analysis_time": result.analysis_time.isoformat(),
            "message": firing.message, "details": firing.details,
            "articles": [_article(a) for a in firing.articles], "sent_at": now,
        }
        report = await self._sender.deliver(url, payload, idempotency_key=alert_id)
        status: Literal["sent", "failed"] = "sent" if report.ok else "failed"
        delivery = DeliveryRecord(
            alert_id=alert_id, company=result.company, rule_id=rid, rule_type=firing.rule.type,
            record_id=record_id, message=firing.message, target=redact_url(url), status=status,
            attempts=report.attempts, http_status=report.status_code, error=report.error,
            elapsed_ms=report.elapsed_ms, time=now,
        )
        await self._store.settle(alert_id, status, _SETTLED_TTL)
        await self._store.record_delivery(delivery.model_dump(mode="json"))
        if not report.ok:
            log.warning("alert %s for '%s' to %s failed: %s", alert_id, result.company, redact_url(url),
                        report.error)
        return delivery
