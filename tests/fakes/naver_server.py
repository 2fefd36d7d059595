"""A real HTTP server speaking the Naver News Search contract, for integration tests and benchmarks.

In-process: ``with FakeNaver() as naver: NaverSettings(api_url=naver.url, ...)``.
Standalone: ``python -m tests.fakes.naver_server --port 9100``, driven over ``POST /_control`` and
``GET /_stats`` (see ``tests.fakes.naver_remote.FakeNaverRemote``).
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import socket
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.adapters.archive import ArchiveIndex, query_words
from app.settings import DEFAULT_ARCHIVE
from tests.fakes.naver_content import (
    CODE_FOR_STATUS,
    KST,
    SEARCH_PATH,
    bold,
    error_response,
    int_param,
    synthetic_item,
)


@dataclass
class Failure:
    """An injected answer for the next `times` search requests."""

    status: int = 429
    code: str | None = "012"
    times: int = 1
    retry_after: float | None = None
    body: str | None = None  # a raw (e.g. non-JSON) body instead of the Naver error object


class FakeNaver:
    """Naver News Search over real HTTP on 127.0.0.1, with failure injection; thread-safe."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str | None = "test-client-id",
        client_secret: str | None = "test-client-secret",
        archive_path: Path | None = DEFAULT_ARCHIVE,
        synthetic_total: int = 5,
    ) -> None:
        self.host, self.port = host, port
        self.client_id, self.client_secret = client_id, client_secret  # None = accept any credentials
        self.archive_path = archive_path
        self._default_synthetic_total = synthetic_total
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._index: ArchiveIndex | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failures: list[Failure] = []
        self._hangs: list[float] = []
        self._latency = 0.0
        self._requests: list[dict[str, str]] = []
        self._synthetic_total = synthetic_total
        self.app = Starlette(
            routes=[
                Route(SEARCH_PATH, self._search, methods=["GET"]),
                Route("/_control", self._control, methods=["POST"]),
                Route("/_stats", self._stats, methods=["GET"]),
            ]
        )

    # --- control (Python API) -----------------------------------------------------------------

    def fail_next(
        self,
        status: int = 429,
        code: str | None = "012",
        times: int = 1,
        retry_after: float | None = None,
        body: str | None = None,
    ) -> None:
        """Answer the next `times` searches with this error (queued after earlier injections)."""
        with self._lock:
            self._failures.append(Failure(status, code, times, retry_after, body))

    def hang_next(self, seconds: float, times: int = 1) -> None:
        """Delay the next `times` searches by `seconds` before answering."""
        with self._lock:
            self._hangs.extend([seconds] * times)

    def set_latency(self, seconds: float) -> None:
        """Delay every search by `seconds`."""
        with self._lock:
            self._latency = seconds

    def set_synthetic_total(self, total: int) -> None:
        """How many synthetic items each query has when no archive is used."""
        with self._lock:
            self._synthetic_total = total

    def reset(self) -> None:
        """Forget injected failures, latency and recorded calls."""
        with self._lock:
            self._failures = []
            self._hangs = []
            self._latency = 0.0
            self._requests = []
            self._synthetic_total = self._default_synthetic_total

    @property
    def calls(self) -> list[dict[str, str]]:
        """Query parameters of every search request received, oldest first."""
        with self._lock:
            return [dict(params) for params in self._requests]

    @property
    def call_count(self) -> int:
        """How many search requests were received."""
        with self._lock:
            return len(self._requests)

    @property
    def base_url(self) -> str:
        """Server root, e.g. http://127.0.0.1:54321."""
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The search endpoint, the value for NAVER_API_URL."""
        return self.base_url + SEARCH_PATH

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeNaver:
        """Serve in a background thread; returns once the server accepts connections."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))  # port 0: the OS picks a free port, no race
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
        )
        self._server = uvicorn.Server(config)
        self._closing.clear()
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="fake-naver", daemon=True
        )
        self._thread.start()
        for _ in range(200):
            if self._server.started or not self._thread.is_alive():
                break
            self._closing.wait(0.05)
        if not self._server.started:
            self.stop()
            raise RuntimeError("the fake Naver server did not start")
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._closing.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> FakeNaver:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- HTTP handlers ------------------------------------------------------------------------

    async def _search(self, request: Request) -> Response:
        params = dict(request.query_params)
        with self._lock:
            self._requests.append(params)
            delay = self._latency + (self._hangs.pop(0) if self._hangs else 0.0)
            failure = self._take_failure()
            synthetic_total = self._synthetic_total
        await self._sleep(delay)
        if failure is not None:
            if failure.body is not None:
                return Response(failure.body, status_code=failure.status, media_type="text/html")
            code = failure.code or CODE_FOR_STATUS.get(failure.status, "SE99")
            return error_response(code, failure.status, failure.retry_after)
        if not self._authorized(request):
            return error_response("024")
        query = params.get("query", "").strip()
        display = int_param(params.get("display"), 10, 1, 100)
        start = int_param(params.get("start"), 1, 1, 1000)
        sort = params.get("sort", "sim")
        if not query:
            return error_response("SE01")
        if display is None:
            return error_response("SE02")
        if start is None:
            return error_response("SE03")
        if sort not in ("sim", "date"):
            return error_response("SE04")
        total, items = self._page(query, sort, start, display, synthetic_total)
        return JSONResponse(
            {
                "lastBuildDate": format_datetime(datetime.now(KST).replace(microsecond=0)),
                "total": total,
                "start": start,
                "display": len(items),
                "items": items,
            }
        )

    async def _control(self, request: Request) -> Response:
        try:
            command = await request.json()
            action = command.pop("action")
            handlers: dict[str, Callable[..., None]] = {
                "fail_next": self.fail_next,
                "hang_next": self.hang_next,
                "set_latency": self.set_latency,
                "set_synthetic_total": self.set_synthetic_total,
                "reset": self.reset,
            }
            handler = handlers[action]
            handler(**command)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return JSONResponse({"error": f"bad control command: {exc!r}"}, status_code=400)
        return JSONResponse({"ok": True})

    async def _stats(self, request: Request) -> Response:
        with self._lock:
            body = {
                "calls": len(self._requests),
                "requests": list(self._requests),
                "pending_failures": [asdict(f) for f in self._failures],
                "pending_hangs": list(self._hangs),
                "latency": self._latency,
            }
        return JSONResponse(body)

    # --- helpers ------------------------------------------------------------------------------

    def _take_failure(self) -> Failure | None:
        if not self._failures:
            return None
        head = self._failures[0]
        head.times -= 1
        if head.times <= 0:
            self._failures.pop(0)
        return head

    async def _sleep(self, seconds: float) -> None:
        # In slices, checking a thread-side flag, so that stop() is not held up by a hanging request.
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        while not self._closing.is_set() and (left := until - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(min(left, 0.05))

    def _authorized(self, request: Request) -> bool:
        if self.client_id is None or self.client_secret is None:
            return True
        for id_header, secret_header in (
            ("x-naver-client-id", "x-naver-client-secret"),
            ("x-ncp-apigw-api-key-id", "x-ncp-apigw-api-key"),
        ):
            given_id = request.headers.get(id_header, "")
            given_secret = request.headers.get(secret_header, "")
            if hmac.compare_digest(given_id.encode(), self.client_id.encode()) and hmac.compare_digest(
                given_secret.encode(), self.client_secret.encode()
            ):
                return True
        return False

    def _archive(self) -> ArchiveIndex | None:
        if self.archive_path is None:
            return None
        with self._lock:
            if self._index is None and self.archive_path.exists():
                self._index = ArchiveIndex.load(self.archive_path)
            return self._index

    def _page(
        self, query: str, sort: str, start: int, display: int, synthetic_total: int
    ) -> tuple[int, list[dict[str, Any]]]:
        index = self._archive()
        if index is None:
            stop = min(start - 1 + display, synthetic_total)
            return synthetic_total, [synthetic_item(query, i) for i in range(start - 1, stop)]
        matches = index.search(query, "date" if sort == "date" else "sim")
        words = query_words(query)
        page = [
            {
                **{k: v for k, v in e.raw.items() if k != "company"},  # the archive's own field; Naver has none
                "title": bold(e.raw["title"], words),
                "description": bold(e.raw.get("description", ""), words),
            }
            for e in matches[start - 1 : start - 1 + display]
        ]
        return len(matches), page


def main(argv: list[str] | None = None) -> None:
    """Run the fake in the foreground (for benchmarks and manual tests)."""
    parser = argparse.ArgumentParser(description="Fake Naver News Search API server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--client-id", default="test-client-id")
    parser.add_argument("--client-secret", default="test-client-secret")
    parser.add_argument("--any-credentials", action="store_true", help="accept any (or no) credentials")
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE, help="JSONL archive to serve")
    parser.add_argument("--synthetic", action="store_true", help="ignore the archive, generate items")
    parser.add_argument("--synthetic-total", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args(argv)
    fake = FakeNaver(
        host=args.host,
        port=args.port,
        client_id=None if args.any_credentials else args.client_id,
        client_secret=None if args.any_credentials else args.client_secret,
        archive_path=None if args.synthetic else args.archive,
        synthetic_total=args.synthetic_total,
    )
    fake.set_latency(args.latency)
    print(f"Fake Naver News Search API on {fake.url}", flush=True)
    uvicorn.run(fake.app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
