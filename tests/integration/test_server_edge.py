"""`news-service serve` at its edge, as a real process: a busy port, oversized request heads, the access log."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.integration.apiserver import ApiServer, run_api

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


# --- request heads: target, header count and bytes are limited by the server before the app sees anything ---


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """`news-service serve` with the default limits and JSON logs."""
    with run_api({"NEWS_SOURCE": "archive", "LOG_FORMAT": "json"}, tmp_path_factory.mktemp("edge")) as server:
        yield server


def exchange(api: ApiServer, request: bytes) -> tuple[int | None, dict[str, str]]:
    """Send raw bytes on a new connection; the status and JSON body, or None if the connection was cut."""
    port = int(api.url.rsplit(":", 1)[1])
    answer = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(request)
            while chunk := sock.recv(65536):
                answer += chunk
    except OSError:  # reset or broken pipe: the server closed while the request was still being sent
        return None, {}
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body) if head.lower().count(b"application/json") else {}


def access_lines(api: ApiServer) -> str:
    """The server's access-log records (JSON lines of the `app.access` logger), one per line."""
    records = [json.loads(line) for line in api.log().splitlines() if line.startswith("{")]
    return "\n".join(f"{r['method']} {r['path']} {r['status']}" for r in records if r["logger"] == "app.access")


def get(path: str, extra: bytes = b"") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: edge.test\r\nConnection: close\r\n".encode() + extra + b"\r\n"


# case → (request, status, error); each path is unknown to the app, so had the app seen it, it would log a 404.
HEADS = {
    "20 KB header": (get("/refused/a", b"X-Big: " + b"a" * 20_000 + b"\r\n"), 431, "RequestHeaderFieldsTooLarge"),
    "1 MB header": (get("/refused/b", b"X-Big: " + b"a" * 1_000_000 + b"\r\n"), 431, "RequestHeaderFieldsTooLarge"),
    "101 headers": (get("/refused/c", b"".join(b"X-%d: 1\r\n" % i for i in range(101))), 431,
                    "RequestHeaderFieldsTooLarge"),
    "10 KB target": (get("/refused/d?" + "q" * 10_000), 414, "URITooLong"),
    "not HTTP": (b"HELLO /refused/e\r\n\r\n", 400, "BadRequest"),
}


@pytest.mark.parametrize("case", list(HEADS))
def test_an_oversized_head_is_refused_in_the_error_shape_before_the_app(api: ApiServer, case: str) -> None:
    request, status, error = HEADS[case]
    answered, body = exchange(api, request)
    assert (answered, body.get("error")) == (status, error), body
    assert set(body) == {"error", "detail"}
    assert "/refused/" not in access_lines(api)


def test_heads_within_the_limits_are_served(api: ApiServer) -> None:
    near = get("/api/v1/system/health", b"X-Big: " + b"a" * 15_000 + b"\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(90)))
    assert exchange(api, near)[0] == 200
    assert exchange(api, get("/api/v1/system/health?" + "q" * 8000))[0] == 200


def test_a_flood_of_huge_headers_is_cut_off_while_a_normal_request_is_answered(api: ApiServer) -> None:
    # The issue: ten 50 MB headers at once blew up memory and held a cache hit for 12 s.
    flood = get("/refused/flood", b"X-Big: " + b"a" * 50_000_000 + b"\r\n")
    with ThreadPoolExecutor(10) as pool:
        floods = [pool.submit(exchange, api, flood) for _ in range(10)]
        normal = [httpx.get(f"{api.url}/api/v1/system/health", timeout=60).status_code for _ in range(5)]
        outcomes = [future.result()[0] for future in floods]
    assert normal == [200] * 5
    assert set(outcomes) <= {431, None}, outcomes  # answered 431, or cut off while still sending
    assert httpx.get(f"{api.url}/api/v1/system/health", timeout=10).status_code == 200
    assert "/refused/" not in access_lines(api)


def test_the_access_log_of_a_real_server_has_json_fields_and_the_request_id(api: ApiServer) -> None:
    response = httpx.get(f"{api.url}/api/v1/system/health", headers={"X-Request-ID": "edge-42"}, timeout=10)
    assert response.status_code == 200
    records = [json.loads(line) for line in api.log().splitlines() if line.startswith("{")]
    mine = [r for r in records if r["logger"] == "app.access" and r.get("request_id") == "edge-42"]
    assert [(r["method"], r["path"], r["status"]) for r in mine] == [("GET", "/api/v1/system/health", 200)]
    assert isinstance(mine[0]["duration_ms"], float)


def test_every_worker_process_of_serve_workers_logs_in_the_configured_format(
    redis_url: str, tmp_path: Path
) -> None:
    # uvicorn's --workers processes inherit no logging: they used to write no access log at all.
    with run_api({"NEWS_SOURCE": "archive", "LOG_FORMAT": "json"}, tmp_path, redis_url=redis_url,
                 args=["--workers", "2"]) as server:
        for n in range(12):
            response = httpx.get(f"{server.url}/api/v1/system/health", headers={"X-Request-ID": f"w-{n}"},
                                 timeout=10)
            assert response.status_code == 200
        lines = [line for line in server.log().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line, from every process, is one JSON object
    started = {r["message"] for r in records if r["message"].startswith("Started server process")}
    assert len(started) == 2
    served = sorted(r["request_id"] for r in records
                    if r["logger"] == "app.access" and str(r["request_id"]).startswith("w-"))
    assert served == sorted(f"w-{n}" for n in range(12))


def test_several_workers_in_embedded_mode_are_refused_with_one_line(tmp_path: Path) -> None:
    # Each worker would keep its own in-process store: a trigger in one, an empty history in the other.
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", "1", "--workers", "2"],
        cwd=tmp_path, env=serve_env(), capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "REDIS_URL" in result.stderr and "Traceback" not in result.stderr
