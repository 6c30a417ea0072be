"""Errors raised by the client. Each carries the SDK's error `code` (stable, from
docs/protocol.md and docs/sdk.md), its `kind` and a `message` for people; the class says the kind,
so that an app can catch a family of errors without comparing strings."""
from __future__ import annotations


class ParleyError(Exception):
    """A request failed. `code` is stable (e.g. "not_found", "invalid_payload"); `kind` groups codes."""

    kind = "error"

    def __init__(self, code: str, message: str, kind: str | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        if kind is not None:
            self.kind = kind


class NetworkError(ParleyError):
    """The server could not be reached, or did not answer in time."""
    kind = "network"


class UnauthorizedError(ParleyError):
    """Not signed in, or the credentials were refused."""
    kind = "unauthorized"


class ForbiddenError(ParleyError):
    """Signed in, but not allowed to do this."""
    kind = "forbidden"


class NotFoundError(ParleyError):
    kind = "not_found"


class InvalidError(ParleyError):
    """The request itself was wrong (a missing field, a bad value)."""
    kind = "invalid"


class RateLimitedError(ParleyError):
    kind = "rate_limited"


class ConflictError(ParleyError):
    kind = "conflict"


class ServerError(ParleyError):
    kind = "server"


_BY_KIND = {cls.kind: cls for cls in (NetworkError, UnauthorizedError, ForbiddenError, NotFoundError,
                                      InvalidError, RateLimitedError, ConflictError, ServerError)}


def error_from_json(error: dict) -> ParleyError:
    kind = str(error.get("kind", "error"))
    cls = _BY_KIND.get(kind, ParleyError)
    return cls(str(error.get("code", "unknown")), str(error.get("message", "")), kind)
