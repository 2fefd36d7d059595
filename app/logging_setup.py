"""Logging: readable lines on a console, one JSON object per line in containers."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the record."""
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


class ConsoleFormatter(logging.Formatter):
    """A readable line, with the request id when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """Format, then append `[request_id]`."""
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{line} [{request_id}]" if request_id else line


def log_handler(fmt: str = "console", stream: TextIO | None = None) -> logging.Handler:
    """A handler writing `fmt` lines (console or json), each with the request id, to `stream` (stderr)."""
    from app.request_context import RequestIdFilter

    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else ConsoleFormatter())
    return handler


_QUIET = ("httpx", "httpcore")


def logging_config(level: str = "INFO", fmt: str = "console") -> dict[str, object]:
    """The process's logging as a `dictConfig` dict, which uvicorn applies again in each worker process."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"default": {"()": "app.logging_setup.log_handler", "fmt": fmt}},
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {name: {"level": "WARNING"} for name in _QUIET},
    }


def configure_logging(level: str = "INFO", fmt: str = "console") -> None:
    """Configure the root logger once for the process (uvicorn, celery and our own loggers)."""
    import logging.config

    logging.config.dictConfig(logging_config(level, fmt))
