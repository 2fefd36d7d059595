"""Offline news source: JSONL files of Naver-shaped items, searched in memory."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.adapters.naver import MAX_RESULTS, article_from_item
from app.domain.models import Article, SortOrder, SourcePage
from app.domain.text import normalize_query
from app.errors import InvalidInput, UpstreamUnavailable
from app.services.ports import ArchiveCoverage

logger = logging.getLogger(__name__)

TITLE_WEIGHT = 3  # a query word in the headline says more about the story than one in the lead
_MAX_LINE_WARNINGS = 20


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One archived item: the raw Naver-shaped dict, its cleaned article and precomputed match text."""

    raw: dict[str, Any]
    article: Article
    title: str
    description: str
    haystack: str
    timestamp: float


def query_words(query: str) -> list[str]:
    """The normalised words of a query; an item matches when it contains all of them."""
    return normalize_query(query).split()


def _entry(raw: dict[str, Any]) -> ArchiveEntry | None:
    article = article_from_item(raw)
    if article is None:
        return None
    title = normalize_query(article.title)
    description = normalize_query(article.description)
    stamp = article.published_date.timestamp() if article.published_date else -math.inf
    # Words never contain "\n", so a word cannot match across the title/description boundary.
    return ArchiveEntry(raw, article, title, description, f"{title}\n{description}", stamp)


def _read_file(path: Path, entries: list[ArchiveEntry]) -> None:
    skipped = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
                entry, reason = None, f"not valid JSON ({exc.__class__.__name__})"
            else:
                entry = _entry(raw) if isinstance(raw, dict) else None
                reason = "not a news item with a title and an http(s) URL"
            if entry is not None:
                entries.append(entry)
                continue
            skipped += 1
            if skipped <= _MAX_LINE_WARNINGS:
                logger.warning("News archive %s line %d skipped: %s", path.name, number, reason)
    if skipped > _MAX_LINE_WARNINGS:
        logger.warning("News archive %s: %d malformed lines skipped in all", path.name, skipped)


class ArchiveIndex:
    """Archived items with normalised text, searchable by query words."""

    def __init__(self, entries: list[ArchiveEntry]) -> None:
        self.entries = entries
        self.coverage: ArchiveCoverage | None = None

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def load(cls, path: Path) -> ArchiveIndex:
        """Read a JSONL file (or every `*.jsonl` in a directory), skipping malformed lines."""
        try:
            files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
            entries: list[ArchiveEntry] = []
            for file in files:
                _read_file(file, entries)
        except OSError as exc:
            why = exc.strerror or exc.__class__.__name__
            raise UpstreamUnavailable(
                f"The offline news archive cannot be read: {path} ({why}); "
                "set NEWS_ARCHIVE_PATH to a JSONL file of Naver-shaped items"
            ) from None
        logger.info("News archive loaded: %d items from %d file(s)", len(entries), len(files))
        return cls(entries)

    def search(self, query: str, sort: SortOrder) -> list[ArchiveEntry]:
        """All entries containing every query word: newest first (`date`) or by relevance (`sim`)."""
        words = query_words(query)
        if not words:
            return []
        if len(words) == 1:  # the common case, without a generator per entry
            word = words[0]
            matches = [e for e in self.entries if word in e.haystack]
        else:
            matches = [e for e in self.entries if all(w in e.haystack for w in words)]
        if sort == "date":
            matches.sort(key=lambda e: e.timestamp, reverse=True)
        else:
            matches.sort(key=lambda e: (_score(e, words), e.timestamp), reverse=True)
        return matches


def _coverage(entries: list[ArchiveEntry]) -> ArchiveCoverage:
    # `company` is this archive's own optional field (Naver items have none): the subject company.
    companies = Counter(str(e.raw["company"]) for e in entries if e.raw.get("company"))
    dates = [e.article.published_date for e in entries if e.article.published_date is not None]
    return ArchiveCoverage(
        items=len(entries),
        companies=dict(sorted(companies.items())),
        first_published=min(dates, default=None),
        last_published=max(dates, default=None),
    )


def _score(entry: ArchiveEntry, words: list[str]) -> int:
    return sum(TITLE_WEIGHT * entry.title.count(w) + entry.description.count(w) for w in words)


class ArchiveSource:
    """`NewsSource` over the offline archive, loaded lazily on first search and kept in memory."""

    name = "archive"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._index: ArchiveIndex | None = None
        # A thread lock, not an asyncio one: loading runs in a worker thread and the source may be
        # shared by event loops that come and go (Celery tasks, tests).
        self._lock = threading.Lock()

    def _load_once(self) -> ArchiveIndex:
        with self._lock:
            if self._index is None:
                if not self.path.exists():
                    raise UpstreamUnavailable(
                        f"The offline news archive was not found at {self.path}; "
                        "set NEWS_ARCHIVE_PATH to a JSONL file of Naver-shaped items"
                    )
                self._index = ArchiveIndex.load(self.path)
            return self._index

    async def index(self) -> ArchiveIndex:
        """The loaded archive (loading it in a thread the first time)."""
        if self._index is not None:
            return self._index
        return await asyncio.to_thread(self._load_once)

    async def coverage(self) -> ArchiveCoverage:
        """Items, tagged companies and date range of the archive (loading it the first time)."""
        index = await self.index()
        if index.coverage is None:
            index.coverage = await asyncio.to_thread(_coverage, index.entries)
        return index.coverage

    async def search(self, query: str, *, max_results: int, sort: SortOrder, offset: int = 0) -> SourcePage:
        """Up to `max_results` matching articles after the first `offset`; `total` counts every match."""
        if not query_words(query):
            raise InvalidInput("query must not be empty")
        if not 1 <= max_results <= MAX_RESULTS:
            raise InvalidInput(f"max_results must be between 1 and {MAX_RESULTS}")
        if sort not in ("sim", "date"):
            raise InvalidInput("sort must be 'sim' or 'date'")
        if offset < 0:
            raise InvalidInput("offset must not be negative")
        matches = (await self.index()).search(query, sort)
        chosen = matches[offset : offset + max_results]
        return SourcePage(total=len(matches), items=[e.article for e in chosen], read=len(chosen))
