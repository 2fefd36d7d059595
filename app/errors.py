"""One error type with a status code; the API turns it into `{"error", "detail"}`."""

from __future__ import annotations


class AppError(Exception):
    """An expected failure that a client should see with a definite status code."""

    status_code = 500

    def __init__(self, message: str, *, status_code: int | None = None, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        self.retry_after = retry_after

    @property
    def error_type(self) -> str:
        """The name clients see in the `error` field."""
        return type(self).__name__

    def headers(self) -> dict[str, str]:
        """Extra response headers (Retry-After for throttling and outages)."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}


class BadRequest(AppError):
    """The request is well-formed but cannot be served as asked."""

    status_code = 400


class InvalidInput(AppError):
    """A field failed validation."""

    status_code = 422

    @property
    def error_type(self) -> str:
        """`ValidationError`, as for the fields FastAPI checks: one name for every invalid field."""
        return "ValidationError"


class Unauthorized(AppError):
    """No credentials were presented for a protected endpoint."""

    status_code = 401


class Forbidden(AppError):
    """Credentials were wrong, or the endpoint is disabled."""

    status_code = 403


class NotFound(AppError):
    """The thing asked for does not exist."""

    status_code = 404


class RateLimited(AppError):
    """The client exceeded its request budget."""

    status_code = 429


class UpstreamError(AppError):
    """The news upstream answered with something we cannot use."""

    status_code = 502


class UpstreamUnavailable(AppError):
    """The upstream (or a required backing service) is temporarily unavailable."""

    status_code = 503


class QuotaExhausted(UpstreamUnavailable):
    """The Naver daily quota is spent; retry after the reset."""


class ServiceBusy(UpstreamUnavailable):
    """This process already has as many analyses waiting as it accepts; retry after the hinted delay."""
