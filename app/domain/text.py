"""Cleaning of Naver's HTML-ish text fields and RFC 822 dates."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import datetime
from email.utils import parsedate_to_datetime

# A tag starts with a letter or "/": literal "3 < 5" or a raw "<사진>" caption is text, not markup.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(raw: str) -> str:
    """Strip tags without inserting spaces (Korean compounds stay whole), unescape entities, fold spaces."""
    # Tags are removed before unescaping so that an escaped "&lt;b&gt;" in the text survives as "<b>".
    text = _TAG.sub("", raw or "")
    text = html.unescape(html.unescape(text)) if "&amp;" in text else html.unescape(text)
    text = _CONTROL.sub("", text)
    return _SPACE.sub(" ", text).strip()


def normalize_query(query: str) -> str:
    """NFKC, case-folded, whitespace-collapsed form used for matching and cache keys."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", query)).strip().casefold()


def parse_pub_date(value: str | None) -> datetime | None:
    """Parse Naver's RFC 822 `pubDate` into an aware datetime; None when absent or unparseable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed
