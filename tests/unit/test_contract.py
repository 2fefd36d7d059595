"""The schema's patterns and the server's checks agree: what one accepts, the other accepts.

Schemathesis samples; these tests go through every character, every calendar edge and generated values,
with the JSON Schema validator schemathesis uses (jsonschema_rs) standing for what clients read.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.api.dashboard import SINCE_PATTERN, parse_since
from app.api.schemas import MAX_QUERY_CHARS, TERM_PATTERN, TERM_SCHEMA, BatchRequest, clean_term
from app.errors import InvalidInput
from app.services.alert_rules import (
    WEBHOOK_URL_PATTERN,
    WEBHOOK_URL_SCHEMA,
    NegativeShareRule,
    NewNegativeRule,
    redact_url,
)

TERM = jsonschema_rs.Draft202012Validator(TERM_SCHEMA)
WEBHOOK = jsonschema_rs.Draft202012Validator(WEBHOOK_URL_SCHEMA)
SINCE = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": SINCE_PATTERN})
QUICK = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow])


def _server_takes(value: str) -> bool:
    try:
        clean_term(value)
    except InvalidInput:
        return False
    return True


def test_term_pattern_and_clean_term_agree_on_every_character() -> None:
    import re

    pattern = re.compile(TERM_PATTERN)
    disagree = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue  # JSON text cannot carry a lone surrogate; the server refuses one (tested below)
        char = chr(code)
        for text in (char, f"a{char}", f"{char} "):
            if bool(pattern.fullmatch(text)) != _server_takes(text):
                disagree.append(hex(code))
    assert disagree == []


# Characters where the rules have edges: forbidden ones, each kind of space, ones NFKC lengthens or
# composes, astral ones, and plain text.
_EDGES = "\x00\x1f\x7f\x85\x9f\u200b\u200f\u2028\u202e\u2060\ufeff \u00a0\u1680\u2000\u202f\u3000\t\n" \
         "\ufdfa\u3392\u1100\u1161가aZ0\u0301\U0001f600\U00020000"
_TERMS = st.text(alphabet=st.sampled_from(_EDGES), max_size=MAX_QUERY_CHARS + 5) | st.text(max_size=110)


@QUICK
@given(_TERMS)
def test_the_term_schema_accepts_exactly_what_the_server_accepts(value: str) -> None:
    assert TERM.is_valid(value) == _server_takes(value), repr(value)


@pytest.mark.parametrize(("value", "taken"), [
    ("삼성전자", True), ("  삼성  전자 ", True), ("가" * 100, True), ("\ufdfa" * 10, True), ("가" * 101, False),
    ("", False), ("   ", False), ("\u3000\u00a0", False), ("삼성\u200b전자", False), ("a\n", False),
])
def test_terms_at_the_edges(value: str, taken: bool) -> None:
    assert _server_takes(value) is taken and TERM.is_valid(value) is taken


def test_a_lone_surrogate_is_refused_not_crashed_on() -> None:
    with pytest.raises(InvalidInput, match="surrogate"):
        clean_term("삼성\ud800")


def _batch_taken(body: dict[str, Any]) -> bool:
    try:
        BatchRequest.model_validate(body)
    except ValidationError:
        return False
    return True


_LISTS = st.none() | st.lists(st.sampled_from(["삼성전자", "카카오", "LG전자"]), max_size=12)


@QUICK
@given(queries=_LISTS, companies=_LISTS, given_queries=st.booleans(), given_companies=st.booleans())
def test_the_batch_schema_counts_both_lists_as_the_server_does(
    queries: list[str] | None, companies: list[str] | None, given_queries: bool, given_companies: bool
) -> None:
    body = {**({"queries": queries} if given_queries else {}), **({"companies": companies} if given_companies else {})}
    schema = jsonschema_rs.Draft202012Validator(BatchRequest.model_json_schema())
    assert schema.is_valid(body) == _batch_taken(body), body


@QUICK
@given(st.from_regex(WEBHOOK_URL_PATTERN, fullmatch=True))
def test_every_webhook_url_the_schema_allows_is_stored_and_redacted(url: str) -> None:
    assert WEBHOOK.is_valid(url) == (len(url) <= 2000)
    if len(url) > 2000:
        return
    NewNegativeRule(type="new_negative", category="G", webhook_url=url)
    parts = urlsplit(url)
    assert parts.hostname
    assert parts.port is None or 0 <= parts.port <= 65535
    assert redact_url(url).startswith(parts.scheme.lower())


@pytest.mark.parametrize(("url", "taken"), [
    ("https://hooks.example.com/services/T0/B0/X", True), ("HTTP://127.0.0.1:65535/ok", True),
    ("http://user:pw@host.example:8080/a?b#c", True), ("ftp://x/y", False), ("/relative", False),
    ("http://", False), ("http://:80/", False), ("http://host:65536/", False), ("http://host:/", False),
    ("http://a@b@c/", False), ("http://[::1]/", False), ("http://호스트/", False), ("http://host/a b", False),
])
def test_webhook_urls_at_the_edges(url: str, taken: bool) -> None:
    try:
        NewNegativeRule(type="new_negative", category="G", webhook_url=url)
        server = True
    except ValidationError:
        server = False
    assert server is taken and WEBHOOK.is_valid(url) is taken


def test_bodies_read_numbers_and_booleans_as_json_schema_does() -> None:
    rule = NegativeShareRule.model_validate({"type": "negative_share", "threshold": 1, "min_articles": 3.0})
    assert (rule.threshold, rule.min_articles) == (1.0, 3)  # 1 is a number, 3.0 an integer
    assert BatchRequest.model_validate({"queries": ["a"], "max_results": 5.0}).max_results == 5
    for wrong in ({"max_results": "5"}, {"max_results": True}, {"analyze": 1}, {"analyze": "true"}):
        assert not _batch_taken({"queries": ["a"], **wrong}), wrong


def test_since_pattern_knows_the_calendar() -> None:
    wrong = []
    for year in ("0000", "0001", "0004", "0100", "0400", "1900", "2000", "2023", "2024", "9999"):
        for month in range(14):
            for day in range(33):
                text = f"{year}-{month:02d}-{day:02d}"
                try:
                    date.fromisoformat(text)
                    valid = year != "0000"
                except ValueError:
                    valid = False
                if SINCE.is_valid(text) != valid:
                    wrong.append(text)
    assert wrong == []


@QUICK
@given(st.from_regex(SINCE_PATTERN, fullmatch=True))
def test_every_since_the_schema_allows_is_parsed(value: str) -> None:
    assert SINCE.is_valid(value)
    assert parse_since(value).tzinfo is not None


@pytest.mark.parametrize(("value", "taken"), [
    ("2026-11-01", True), ("2026-11-01T09:00", True), ("2026-11-01T09:00:00.123456789Z", True),
    ("2026-11-01T09:00:00+09:00", True), ("2024-02-29T23:59:59-23:59", True), ("2023-02-29", False),
    ("2026-11-01T24:00:00", False), ("0.5", False), ("1700000000", False), ("2026-11-01 09:00:00", False),
    ("yesterday", False), ("2026-11-01T09:00:00+09", False), ("２０２６-11-01", False),
])
def test_since_at_the_edges(value: str, taken: bool) -> None:
    try:
        parse_since(value)
        server = True
    except InvalidInput:
        server = False
    assert server is taken and SINCE.is_valid(value) is taken
