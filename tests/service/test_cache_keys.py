"""Cache keys: equivalent queries share a key, different parameters never do, nothing raw leaks in."""

from __future__ import annotations

import fakeredis.aioredis

from app.adapters.cache import Cache
from app.adapters.counters import BufferedCounters
from app.adapters.keyspace import Keyspace
from app.settings import CacheSettings


def cache() -> Cache:
    redis = fakeredis.aioredis.FakeRedis()
    return Cache(redis, CacheSettings(_env_file=None), Keyspace("news"), counters=BufferedCounters(redis))


def test_equivalent_queries_share_a_key():
    c = cache()
    base = c.key("search", "삼성전자", max_results=10, sort="sim")
    assert c.key("search", "  삼성전자 ", max_results=10, sort="sim") == base
    assert c.key("search", "ＬＧ전자", max_results=10) == c.key("search", "lg전자", max_results=10)
    assert c.key("search", "LG  전자", max_results=10) == c.key("search", "lg 전자", max_results=10)


def test_different_parameters_or_kinds_get_different_keys():
    c = cache()
    base = c.key("search", "삼성전자", max_results=10, sort="sim")
    assert c.key("search", "삼성전자", max_results=11, sort="sim") != base
    assert c.key("search", "삼성전자", max_results=10, sort="date") != base
    assert c.key("analysis", "삼성전자", max_results=10, sort="sim") != base
    assert c.key("search", "삼성전자우", max_results=10, sort="sim") != base


def test_key_layout_is_prefix_kind_company_hash_then_parameters_hash():
    c = cache()
    key = c.key("search", "삼성전자 <script>", max_results=10)
    prefix, version, kind, company, params = key.split(":")
    assert (prefix, version, kind) == ("news", "v1", "search")
    for digest in (company, params):
        assert len(digest) == 64 and all(ch in "0123456789abcdef" for ch in digest)
    # Every parameter set of one company shares the company part: one SCAN pattern finds them all.
    other = c.key("search", " 삼성전자  <SCRIPT>", max_results=11, sort="date")
    assert other.split(":")[3] == company and other != key
    assert c.key("search", "LG전자", max_results=10).split(":")[3] != company


def test_jitter_stays_within_fifteen_percent():
    c = cache()
    values = {c.jittered(1000) for _ in range(300)}
    assert min(values) >= 850 and max(values) <= 1150
    assert len(values) > 10
