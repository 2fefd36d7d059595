"""Client for a fake Naver server running in another process (its HTTP control API)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.fakes.naver_content import SEARCH_PATH


class FakeNaverRemote:
    """Drives a fake Naver server running in another process through its HTTP control API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.url = self.base_url + SEARCH_PATH

    def _command(self, action: str, **arguments: Any) -> None:
        response = httpx.post(f"{self.base_url}/_control", json={"action": action, **arguments}, timeout=5)
        response.raise_for_status()

    def fail_next(
        self,
        status: int = 429,
        code: str | None = "012",
        times: int = 1,
        retry_after: float | None = None,
        body: str | None = None,
    ) -> None:
        """See `FakeNaver.fail_next`."""
        self._command("fail_next", status=status, code=code, times=times, retry_after=retry_after, body=body)

    def hang_next(self, seconds: float, times: int = 1) -> None:
        """See `FakeNaver.hang_next`."""
        self._command("hang_next", seconds=seconds, times=times)

    def set_latency(self, seconds: float) -> None:
        """See `FakeNaver.set_latency`."""
        self._command("set_latency", seconds=seconds)

    def set_synthetic_total(self, total: int) -> None:
        """See `FakeNaver.set_synthetic_total`."""
        self._command("set_synthetic_total", total=total)

    def reset(self) -> None:
        """See `FakeNaver.reset`."""
        self._command("reset")

    def stats(self) -> dict[str, Any]:
        """The server's `/_stats` document."""
        response = httpx.get(f"{self.base_url}/_stats", timeout=5)
        response.raise_for_status()
        stats: dict[str, Any] = response.json()
        return stats

    @property
    def calls(self) -> list[dict[str, str]]:
        """Query parameters of every search request received."""
        requests: list[dict[str, str]] = self.stats()["requests"]
        return requests
