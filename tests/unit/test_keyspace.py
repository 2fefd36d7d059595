"""Key names: the store of record keeps its names for good; Redis failures map to one domain error."""

from __future__ import annotations

import hashlib

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from app.adapters.keyspace import Keyspace, redis_errors
from app.errors import UpstreamUnavailable


def h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_store_of_record_keys_keep_their_names() -> None:
    # The names deployments already hold data under: changing one loses history, rules or labels.
    k = Keyspace("news")
    company = h("삼성전자")
    assert k.latest(" 삼성전자 ") == f"news:v1:latest:{company}"
    assert k.history("삼성전자") == f"news:v1:history:{company}"
    assert k.record_seen("삼성전자", "r1") == f"news:v1:record:{company}:r1"
    assert k.companies() == "news:v1:companies"
    assert k.watchlist() == "news:v1:watchlist" and k.watchlist_seeded() == "news:v1:watchlist:seeded"
    assert k.feedback() == "news:v1:feedback"
    assert k.active_model() == "news:v1:ml:active_model"
    assert k.alert_rules() == "news:v1:alert_rules" and k.alert_deliveries() == "news:v1:alert_deliveries"
    assert k.alert_baseline("삼성전자") == f"news:v1:alert_baseline:{company}"
    assert k.alert_claim("a1") == f"news:v1:alert:{h('a1')}"
    assert k.pending("삼성전자") == f"news:v1:pending:{company}"
    assert k.task("t1") == f"news:v1:task:{h('t1')}" and k.lease("t1") == f"news:v1:lease:{h('t1')}"
    assert k.naver_calls("2026-01-02") == "news:v1:naver_calls:2026-01-02"
    assert k.trend("query", 7) == "news:v1:trend:query:7"
    assert k.rate_limit("search", "1.2.3.4", 9) == f"news:v1:ratelimit:search:{h('1.2.3.4')[:32]}:9"
    assert k.article("m", "text") == f"news:v1:article:{h('m' + chr(10) + 'text')}"


def test_company_cache_keys_fall_under_the_companys_pattern() -> None:
    k = Keyspace("p")
    key = k.cache("analysis", "LG  전자", max_results=5, threshold=0.9)
    pattern = k.company_cache_pattern("analysis", "lg 전자")
    assert key.startswith(pattern[:-1]) and f"{key}:lock".startswith(pattern[:-1])
    assert not key.startswith(k.company_cache_pattern("analysis", "LG전자")[:-1])
    assert not key.startswith(k.company_cache_pattern("search", "lg 전자")[:-1])


def test_redis_failures_become_unavailable() -> None:
    with pytest.raises(UpstreamUnavailable) as caught, redis_errors("the thing cannot be read"):
        raise RedisConnectionError("refused")
    assert str(caught.value) == "Redis is unavailable (ConnectionError); the thing cannot be read"
    assert caught.value.retry_after == 5
    with pytest.raises(ValueError), redis_errors("not this"):
        raise ValueError("not a Redis failure")
