"""Every Redis key this service writes (`<prefix>:v1:<kind>:…`), and the one mapping of Redis failures.

Anything a client sends is hashed before it becomes part of a key. Company-scoped cache keys carry the
company's hash first (`<kind>:<sha256(company)>:<sha256(params)>`), so one company's cached copies are
one SCAN pattern away. Store-of-record keys (latest, history, watch list, …) keep their names for good.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from redis.exceptions import RedisError

from app.domain.text import normalize_query
from app.errors import UpstreamUnavailable

KEY_VERSION = "v1"
# What a Redis call raises when the server is down, frozen or refuses: callers that fail open catch these.
REDIS_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)
# Cached copies of a company's results: one SCAN of `<kind>:<company hash>:*` finds them (locks included).
COMPANY_CACHE_KINDS = ("search", "analysis")
# Every recomputable copy: a cache clear deletes these kinds, embedded mode never saves them.
CACHE_KINDS = (*COMPANY_CACHE_KINDS, "article")


@contextmanager
def redis_errors(what: str) -> Iterator[None]:
    """Turn a Redis failure inside the block into `UpstreamUnavailable` ("…; <what>", retry after 5 s)."""
    try:
        yield
    except REDIS_ERRORS as exc:
        message = f"Redis is unavailable ({type(exc).__name__}); {what}"
        raise UpstreamUnavailable(message, retry_after=5) from exc


def sha256(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def company_hash(company: str) -> str:
    """The hash a company (or query) is known by in keys: equivalent spellings share it."""
    return sha256(normalize_query(company))


class Keyspace:
    """The key names under one `REDIS_KEY_PREFIX`."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.root = f"{prefix}:{KEY_VERSION}"

    def __repr__(self) -> str:
        return f"Keyspace({self.prefix!r})"

    def _k(self, *parts: str) -> str:
        return ":".join((self.root, *parts))

    def pattern(self, kind: str = "") -> str:
        """A SCAN pattern: every key of `kind` (every key of this service when empty)."""
        return self._k(kind, "*") if kind else self._k("*")

    def cache_prefixes(self) -> tuple[str, ...]:
        """The leading part of every cache key (CACHE_KINDS)."""
        return tuple(self._k(kind, "") for kind in CACHE_KINDS)

    # -- caches (recomputable: their layout may change between releases) ---------------------------

    def cache(self, kind: str, query: str, **params: Any) -> str:
        """`<kind>:<sha256(normalised query)>:<sha256(parameters)>`."""
        material = json.dumps(params, sort_keys=True, ensure_ascii=False)
        return self._k(kind, company_hash(query), sha256(material))

    def company_cache_pattern(self, kind: str, company: str) -> str:
        """SCAN pattern of every cached `kind` entry (and lock) of one company."""
        return self._k(kind, company_hash(company), "*")

    def cache_stats(self) -> str:
        """Shared hit and miss counters (a hash)."""
        return self._k("stats")

    def article(self, model_key: str, content: str) -> str:
        """One article's classification under one model set."""
        return self._k("article", sha256(f"{model_key}\n{content}"))

    # -- store of record (names fixed: deployments keep their data) --------------------------------

    def latest(self, company: str) -> str:
        """The company's latest analysis (no TTL)."""
        return self._k("latest", company_hash(company))

    def history(self, company: str) -> str:
        """The company's history sorted set (no TTL)."""
        return self._k("history", company_hash(company))

    def record_seen(self, company: str, record_id: str) -> str:
        """Marker that a history record id was stored (idempotent saves)."""
        return self._k("record", company_hash(company), record_id)

    def companies(self) -> str:
        """Hash: company → what its latest shows."""
        return self._k("companies")

    def watchlist(self) -> str:
        """Hash: normalised company → entry."""
        return self._k("watchlist")

    def watchlist_seeded(self) -> str:
        """Set once the watch list was seeded from settings."""
        return self._k("watchlist", "seeded")

    def feedback(self) -> str:
        """Hash: article id → analyst label."""
        return self._k("feedback")

    def active_model(self) -> str:
        """The model set activated at run time."""
        return self._k("ml", "active_model")

    def alert_rules(self) -> str:
        """Hash: normalised company → rule set."""
        return self._k("alert_rules")

    def alert_deliveries(self) -> str:
        """Capped list of deliveries, newest first."""
        return self._k("alert_deliveries")

    def alert_baseline(self, company: str) -> str:
        """The articles of the company's last evaluated refresh."""
        return self._k("alert_baseline", company_hash(company))

    def alert_claim(self, alert_id: str) -> str:
        """One firing's delivery claim."""
        return self._k("alert", sha256(alert_id))

    # -- background tasks --------------------------------------------------------------------------

    def pending(self, company: str) -> str:
        """The company's queued or running task id."""
        return self._k("pending", company_hash(company))

    def task(self, task_id: str) -> str:
        """A task's record (hash)."""
        return self._k("task", sha256(task_id))

    def lease(self, task_id: str) -> str:
        """Present while a task's run is alive."""
        return self._k("lease", sha256(task_id))

    # -- counters ----------------------------------------------------------------------------------

    def naver_calls(self, day: str) -> str:
        """Naver calls made on one KST day."""
        return self._k("naver_calls", day)

    def trend(self, kind: str, hour: int) -> str:
        """One hour's sorted set of counted terms."""
        return self._k("trend", kind, str(hour))

    def rate_limit(self, budget: str, client: str, window: int) -> str:
        """Requests of one client in one budget and minute."""
        return self._k("ratelimit", budget, sha256(client)[:32], str(window))
