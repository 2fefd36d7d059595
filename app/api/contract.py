"""OpenAPI facts that depend on this server's configuration; FastAPI derives the rest from the routes."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from app.services.alert_rules import WEBHOOK_URL_SCHEMA
from app.settings import Settings

RULE_SCHEMAS = ("NegativeShareRule", "NewNegativeRule")


def install_contract(app: FastAPI, settings: Settings) -> None:
    """Make `app.openapi()` state what this configuration enforces, once, when first asked."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            if not settings.alerts.webhook_url.get_secret_value():
                require_webhook_urls(schema)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def require_webhook_urls(schema: dict[str, Any]) -> None:
    """Without ALERT_WEBHOOK_URL the server refuses a rule with no webhook_url (422): the schema says so."""
    for name in RULE_SCHEMAS:
        rule = schema["components"]["schemas"][name]
        rule["required"] = [*rule.get("required", []), "webhook_url"]
        rule["properties"]["webhook_url"] = {
            **copy.deepcopy(WEBHOOK_URL_SCHEMA),
            "description": "absolute http(s) URL (host name or IPv4 address); required: this server has no "
                           "ALERT_WEBHOOK_URL",
        }
