"""Alert rules (strictly validated) and their evaluation on one refresh's analysis."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    WithJsonSchema,
    field_validator,
)

from app.domain.models import AnalysisResult, AnalyzedArticle, Sentiment, json_integer

Category = Literal["E", "S", "G", "기타"]
_NEGATIVE = Sentiment.NEGATIVE.value
_CATEGORY_NAMES = {"E": "환경(E)", "S": "사회(S)", "G": "지배구조(G)", "기타": "기타"}


def _esg() -> list[Category]:
    return ["E", "S", "G"]


# An absolute http(s) URL with a host name or IPv4 address and a port of 0–65535: exactly what the API
# schema states (a JSON Schema pattern), and narrow enough that urlsplit, `.hostname`, `.port` and the
# redaction below never fail on a stored rule.
WEBHOOK_URL_PATTERN = (
    r"^[Hh][Tt][Tt][Pp][Ss]?://"
    r"(?:[A-Za-z0-9._~%!$&'()*+,;=:-]*@)?"
    r"[A-Za-z0-9._~%!$&'()*+,;=-]+"
    r"(?::(?:[0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"(?:[/?#][^\x00-\x20\x7f-\x9f]*)?$"
)
_WEBHOOK_URL = re.compile(WEBHOOK_URL_PATTERN)
WEBHOOK_URL_SCHEMA: dict[str, Any] = {
    "type": "string", "maxLength": 2000, "pattern": WEBHOOK_URL_PATTERN,
    "description": "absolute http(s) URL (host name or IPv4 address); default: ALERT_WEBHOOK_URL",
}


def _http_url(value: str) -> str:
    if not _WEBHOOK_URL.fullmatch(value):
        raise ValueError("webhook_url must be an absolute http(s) URL with a host name or IPv4 address")
    return value


WebhookUrl = Annotated[
    str, Field(max_length=2000), AfterValidator(_http_url), WithJsonSchema(WEBHOOK_URL_SCHEMA)
]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str | None = Field(None, max_length=100, description="a label for people")
    webhook_url: WebhookUrl | None = None


class NegativeShareRule(_Rule):
    """Fires when the negative share of articles in `categories` is above `threshold` (0..1)."""

    type: Literal["negative_share"]
    categories: list[Category] = Field(default_factory=_esg, min_length=1, max_length=4)
    threshold: float = Field(ge=0, le=1)
    min_articles: Annotated[
        int, Field(strict=False, ge=1, le=1000, description="fewer articles never fire"),
        BeforeValidator(json_integer),
    ] = 1

    @field_validator("categories")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class NewNegativeRule(_Rule):
    """Fires when a 부정 article of `category` appears that the previous refresh did not have."""

    type: Literal["new_negative"]
    category: Category
    min_confidence: float = Field(0.0, ge=0, le=1)


AlertRule = Annotated[NegativeShareRule | NewNegativeRule, Field(discriminator="type")]
RULES = TypeAdapter(list[AlertRule])


def rule_id(rule: NegativeShareRule | NewNegativeRule) -> str:
    """Stable id of a rule's content (the same rule keeps its id across PUTs)."""
    canonical = json.dumps(rule.model_dump(exclude={"name"}), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def redact_url(url: str) -> str:
    """Scheme, host and port only: webhook paths and queries often carry tokens."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or '?'}{port}"


@dataclass(frozen=True)
class Firing:
    """A rule that fired on one refresh."""

    rule: NegativeShareRule | NewNegativeRule
    message: str
    details: dict[str, Any]
    articles: list[AnalyzedArticle] = field(default_factory=list)


def _is_negative(article: AnalyzedArticle) -> bool:
    return article.sentiment_analysis.label == _NEGATIVE


def _most_negative(articles: list[AnalyzedArticle]) -> list[AnalyzedArticle]:
    return sorted(articles, key=lambda a: a.sentiment_analysis.scores.get("negative", 0.0), reverse=True)


def evaluate(
    rule: NegativeShareRule | NewNegativeRule, result: AnalysisResult, previous_ids: set[str] | None
) -> Firing | None:
    """The firing of `rule` on `result`, or None; `previous_ids` None = no previous refresh (baseline)."""
    if isinstance(rule, NegativeShareRule):
        pool = [a for a in result.items if a.esg_classification.category in rule.categories]
        negatives = [a for a in pool if _is_negative(a)]
        if len(pool) < rule.min_articles or not pool:
            return None
        share = len(negatives) / len(pool)
        if share <= rule.threshold:
            return None
        names = "/".join(rule.categories)
        message = (
            f"{result.company}: {names} 기사 부정 비율 {share:.1%} "
            f"(기준 {rule.threshold:.1%} 초과, {len(pool)}건 중 {len(negatives)}건)"
        )
        details = {"negative_share": round(share, 4), "threshold": rule.threshold,
                   "articles": len(pool), "negatives": len(negatives), "categories": rule.categories}
        return Firing(rule, message, details, _most_negative(negatives)[:5])
    if previous_ids is None:
        return None
    fresh = [
        a for a in result.items
        if a.esg_classification.category == rule.category and _is_negative(a)
        and a.sentiment_analysis.confidence >= rule.min_confidence and a.id not in previous_ids
    ]
    if not fresh:
        return None
    top = _most_negative(fresh)
    name = _CATEGORY_NAMES[rule.category]
    message = f"{result.company}: 새 부정 {name} 기사 {len(fresh)}건 — {top[0].title}"
    return Firing(rule, message, {"new_articles": len(fresh), "category": rule.category}, top[:10])
