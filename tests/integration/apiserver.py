"""Start `news-service serve` as a real process and clean up its Redis keys afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ApiServer:
    """A running API process."""

    url: str
    prefix: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """Everything the process printed so far."""
        return self.log_path.read_text(errors="replace")


def delete_prefix(redis_url: str, prefix: str) -> None:
    """Remove a test run's keys with SCAN (other keys in the db stay)."""
    client = redis.Redis.from_url(redis_url)
    try:
        names = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if names:
            client.unlink(*names)
    finally:
        client.close()


def wait_healthy(process: subprocess.Popen[bytes], url: str, log_path: Path, *, timeout: float) -> None:
    """Wait until `url` answers its health check; fail with the process log if it exits or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/api/v1/system/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no health in {timeout:.0f} s:\n{log_path.read_text(errors='replace')}")


def stop_process(process: subprocess.Popen[bytes], *, timeout: float) -> None:
    """Terminate, then kill if it does not exit in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def run_api(
    env: dict[str, str], tmp_path: Path, *, redis_url: str | None = None, bare_uvicorn: bool = False,
    args: Sequence[str] = (),
) -> Iterator[ApiServer]:
    """Serve the app on a free port with `env` on top of a clean environment; stop it afterwards."""
    port = free_port()
    prefix = env.get("REDIS_KEY_PREFIX") or f"it-{uuid.uuid4().hex[:8]}"
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NAVER_", "REDIS_", "NEWS_", "MODEL", "ML_"))
    }
    full_env.update({"REDIS_KEY_PREFIX": prefix, "LOG_LEVEL": "INFO", "MODELS_DIR": str(ROOT / "models")})
    if redis_url:
        full_env["REDIS_URL"] = redis_url
    full_env.update(env)
    log_path = tmp_path / f"api-{port}.log"
    with log_path.open("wb") as log_file:
        # Benchmarks compare `news-service serve` with the same app under bare uvicorn (none of serve's limits).
        bare = ["uvicorn", "app.main:create_app", "--factory", "--no-access-log"]
        command = bare if bare_uvicorn else ["app.cli", "serve"]
        process = subprocess.Popen(
            [sys.executable, "-m", *command, "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=tmp_path,
            env=full_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = ApiServer(url=f"http://127.0.0.1:{port}", prefix=prefix, process=process, log_path=log_path)
    try:
        wait_healthy(process, server.url, server.log_path, timeout=60)
        yield server
    finally:
        stop_process(process, timeout=15)
        if redis_url:
            delete_prefix(redis_url, prefix)
