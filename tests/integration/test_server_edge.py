"""`news-service serve` at its edge, as a real process: a busy port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def serve_env(**extra: str) -> dict[str, str]:
    """The test's environment without service settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NAVER_", "REDIS_", "NEWS_", "PORT"))}
    return {**env, "LOG_LEVEL": "INFO", **extra}


@pytest.mark.parametrize("via", ["--port", "PORT"])
def test_a_busy_port_fails_with_one_line_naming_port_before_the_app_loads(via: str, tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        args = ["--port", str(port)] if via == "--port" else []
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", *args],
            cwd=tmp_path,
            env=serve_env(**({"PORT": str(port)} if via == "PORT" else {})),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,  # a hang guard: when it is not refused, it loads the models and serves
        )
    assert result.returncode != 0
    # One line and nothing else: uvicorn never started ("Started server process"), so no app, no models.
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    line = result.stderr.strip()
    assert f"port {port} on 127.0.0.1 is already in use" in line
    assert "PORT=" in line and "--port" in line and "Traceback" not in line
