"""What the alert service returns: stored rules with their ids, the overview and the delivery log."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.services.alert_rules import NegativeShareRule, NewNegativeRule


class _RuleId(BaseModel):
    """The id a stored rule carries (first, as it is stored)."""

    id: str = Field(description="stable for the same rule content; names do not change it")


# `_RuleId` comes last among the bases so that `id` is the first field, as in the stored entries.
class NegativeShareRuleWithId(NegativeShareRule, _RuleId):
    """A stored negative_share rule with its id."""


class NewNegativeRuleWithId(NewNegativeRule, _RuleId):
    """A stored new_negative rule with its id."""


RuleWithId = Annotated[NegativeShareRuleWithId | NewNegativeRuleWithId, Field(discriminator="type")]


class RulesResponse(BaseModel):
    """A company's alert rules, each with its id (stable for the same rule content)."""

    company: str
    rules: list[RuleWithId]
    updated_at: str
    watched: bool = Field(description="rules fire after background refreshes (beat refreshes watched ones)")


class DeletedResponse(BaseModel):
    """Rules removed."""

    company: str
    deleted: bool


class CompanyRules(BaseModel):
    """A company with alert rules: how many, and when they were last replaced."""

    company: str
    rules: int = Field(description="number of rules")
    updated_at: str


class DeliveryCounts(BaseModel):
    """How the most recent deliveries went."""

    count: int
    sent: int
    failed: int


class DeliveryRecord(BaseModel):
    """One webhook delivery of a firing; the target shows scheme and host only."""

    alert_id: str = Field(description="one per (rule, refresh); also the Idempotency-Key sent")
    company: str
    rule_id: str
    rule_type: str
    record_id: str = Field(description="the refresh (task id) the rule fired on")
    message: str
    target: str
    status: Literal["sent", "failed"]
    attempts: int
    http_status: int | None
    error: str | None
    elapsed_ms: float
    time: str


class AlertsOverview(BaseModel):
    """Alert rules per company and how recent webhook deliveries went."""

    status: str = Field(description="ok, or failing when the most recent delivery failed")
    default_webhook: str | None = Field(description="ALERT_WEBHOOK_URL's scheme and host, if set")
    companies: list[CompanyRules]
    recent: DeliveryCounts
    last_failure: DeliveryRecord | None = Field(description="the newest failed one of the recent deliveries")


class DeliveriesResponse(BaseModel):
    """Recent webhook deliveries, newest first (targets show scheme and host only)."""

    count: int
    deliveries: list[DeliveryRecord]
