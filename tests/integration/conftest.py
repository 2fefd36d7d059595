"""Integration fixtures: the real Redis on 127.0.0.1:6379 (own db, own prefix) and the fake Naver."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.conftest import TEST_REDIS_URL
from tests.fakes.naver_server import FakeNaver
from tests.integration.apiserver import delete_prefix

NAVER_ID, NAVER_SECRET = "it-client-id", "it-client-secret-value"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test db of the local Redis; skips loudly in a way CI never hits (.ci/run starts Redis)."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"integration tests need Redis at {TEST_REDIS_URL}: {exc}")
    finally:
        client.close()
    return TEST_REDIS_URL


@pytest.fixture
def key_prefix(redis_url: str) -> Iterator[str]:
    """A fresh key prefix, deleted afterwards."""
    prefix = f"it-{uuid.uuid4().hex[:8]}"
    yield prefix
    delete_prefix(redis_url, prefix)


@pytest.fixture(scope="module")
def fake_naver() -> Iterator[FakeNaver]:
    """A Naver-compatible server on a free port, reset before each test that uses `naver`."""
    with FakeNaver(client_id=NAVER_ID, client_secret=NAVER_SECRET) as server:
        yield server


@pytest.fixture
def naver(fake_naver: FakeNaver) -> FakeNaver:
    """The module's fake Naver, with no failures queued and no calls recorded."""
    fake_naver.reset()
    fake_naver.client_id, fake_naver.client_secret = NAVER_ID, NAVER_SECRET
    return fake_naver


def naver_env(server: FakeNaver) -> dict[str, str]:
    """Environment that points the service at the fake Naver."""
    return {
        "NEWS_SOURCE": "auto",
        "NAVER_API_URL": server.url,
        "NAVER_CLIENT_ID": NAVER_ID,
        "NAVER_CLIENT_SECRET": NAVER_SECRET,
        "NAVER_DEADLINE_SECONDS": "8",
    }
