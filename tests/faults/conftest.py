"""Fault-injection fixtures: a Redis server process of our own (stop, freeze, restart) and the fake Naver."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
import redis

from tests.integration.apiserver import free_port
from tests.integration.conftest import fake_naver, naver  # noqa: F401  (fixtures used by the Naver faults)

ADMIN = "faults-admin-key"
ADMIN_HEADERS = {"X-API-Key": ADMIN}


class RedisServer:
    """`redis-server` on a free loopback port, without persistence; it can be stopped, frozen and restarted."""

    def __init__(self, workdir: Path, port: int | None = None):
        self.workdir = workdir
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.frozen = False

    def url(self, db: int = 0) -> str:
        """The URL clients use."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        """Start (again, on the same port) and wait until it answers PING (at most 10 s)."""
        log = (self.workdir / f"redis-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            if self.ping():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server on port {self.port} did not answer within 10 s")

    def ping(self) -> bool:
        """Whether the server answers right now (0.5 s timeout)."""
        client = redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """Terminate the server (SIGCONT first if it is frozen); kill it if it does not exit in 5 s."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            self.thaw_process(process)
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections, nothing answers."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        """SIGCONT."""
        assert self.process is not None
        self.thaw_process(self.process)

    def thaw_process(self, process: subprocess.Popen[bytes]) -> None:
        if self.frozen:
            with suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGCONT)
            self.frozen = False


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis server for this test only; always stopped afterwards."""
    server = RedisServer(tmp_path)
    try:
        yield server.start()
    finally:
        server.stop()


def api_env(**extra: str) -> dict[str, str]:
    """Environment for an API under test: admin key, keyword classifier (fast start), archive source."""
    return {"ADMIN_API_KEY": ADMIN, "MODEL_NAME": "missing-on-purpose", "NEWS_SOURCE": "archive", **extra}
