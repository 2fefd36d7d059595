"""Cleaning of Naver text fields and pubDate parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.text import clean_text, normalize_query, parse_pub_date

KST = timezone(timedelta(hours=9))


def test_bold_tags_are_stripped_without_inserting_spaces() -> None:
    assert clean_text("<b>삼성</b>전자") == "삼성전자"
    assert clean_text("<b>LG</b><b>전자</b>, 실적 발표") == "LG전자, 실적 발표"


def test_entities_are_unescaped() -> None:
    assert clean_text("&quot;반도체&quot; 투자 &amp; 고용 &lt;확대&gt; &#39;긍정&#39;") == (
        "\"반도체\" 투자 & 고용 <확대> '긍정'"
    )


def test_escaped_markup_in_text_survives_as_text() -> None:
    assert clean_text("A &lt;b&gt; B") == "A <b> B"


def test_literal_angle_brackets_that_are_not_tags_survive() -> None:
    assert clean_text("매출 3 < 5 그리고 6 > 2") == "매출 3 < 5 그리고 6 > 2"


def test_whitespace_is_normalised() -> None:
    assert clean_text("  삼성전자\n\t 실적\u00a0 발표  ") == "삼성전자 실적 발표"
    assert clean_text("a&nbsp;&nbsp;b") == "a b"


def test_control_characters_are_removed() -> None:
    assert clean_text("삼성\x00전자\x07") == "삼성전자"


def test_empty_and_none() -> None:
    assert clean_text("") == ""
    assert clean_text(None) == ""  # type: ignore[arg-type]


def test_normalize_query_folds_width_and_case() -> None:
    assert normalize_query("  ＬＧ전자  ") == normalize_query("lg전자")
    assert normalize_query("Samsung   Electronics") == "samsung electronics"


def test_pub_date_rfc822_with_offset() -> None:
    parsed = parse_pub_date("Mon, 26 Sep 2016 07:50:00 +0900")
    assert parsed == datetime(2016, 9, 26, 7, 50, tzinfo=KST)
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=9)
    assert parsed.isoformat() == "2016-09-26T07:50:00+09:00"


def test_pub_date_gmt() -> None:
    assert parse_pub_date("Tue, 02 Jan 2024 01:00:00 GMT") == datetime(2024, 1, 2, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "yesterday",
        "2024-01-02T10:00:00+09:00",
        "Mon, 32 Sep 2016 07:50:00 +0900",
        "Mon, 26 Sep 2016 25:50:00 +0900",
        "Mon, 26 Sep 99999999999 07:50:00 +0900",
        "Mon, 26 Sep 2016 07:50:00 -0000",
    ],
)
def test_invalid_pub_dates_are_none(value: str | None) -> None:
    assert parse_pub_date(value) is None
