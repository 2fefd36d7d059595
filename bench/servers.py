"""The fake Naver in a process of its own, for benchmarks that must not share a GIL with it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.integration.apiserver import free_port

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def fake_naver_process(*extra_args: str) -> Iterator[dict[str, str]]:
    """Start `tests.fakes.naver_server` (any credentials, plus `extra_args`); yield the API environment."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.naver_server", "--port", str(port), "--any-credentials", *extra_args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                httpx.get(f"http://127.0.0.1:{port}/_stats", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the fake Naver did not start")
        yield {
            "NEWS_SOURCE": "naver",
            "NAVER_API_URL": f"http://127.0.0.1:{port}/v1/search/news.json",
            "NAVER_CLIENT_ID": "bench",
            "NAVER_CLIENT_SECRET": "bench",
        }
    finally:
        process.terminate()
        process.wait(timeout=10)
