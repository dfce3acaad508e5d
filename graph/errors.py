"""One error root. Every error has a stable code, a message naming the input and the reason,
and optional details; the API renders exactly these three fields."""
from __future__ import annotations

from typing import Any


class NewsgraphError(Exception):
    code = "NG000"
    http_status = 500

    def __init__(self, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class ConfigError(NewsgraphError):
    code = "NG001"
    http_status = 500


class StoreUnavailable(NewsgraphError):
    """The graph store cannot be reached (nothing listening, server died, timeout)."""

    code = "NG100"
    http_status = 503


class StoreAuthError(NewsgraphError):
    code = "NG101"
    http_status = 503


class StoreError(NewsgraphError):
    """The store answered with an error for a statement we sent."""

    code = "NG102"
    http_status = 500


class QueryNotFound(NewsgraphError):
    code = "NG110"
    http_status = 500


class InputError(NewsgraphError):
    """An input (file, line, request body) that cannot be used, and why."""

    code = "NG200"
    http_status = 422


class NotFound(NewsgraphError):
    code = "NG404"
    http_status = 404


class Forbidden(NewsgraphError):
    code = "NG403"
    http_status = 403


class Unauthorized(NewsgraphError):
    """A write without a valid API key."""

    code = "NG401"
    http_status = 401


class PayloadTooLarge(NewsgraphError):
    code = "NG413"
    http_status = 413


class QueryRefused(NewsgraphError):
    """A user-supplied Cypher statement that could write, or is not allowed on the read-only endpoint."""

    code = "NG120"
    http_status = 403


class InvalidQuery(NewsgraphError):
    """A user-supplied Cypher statement the store rejected (syntax, unknown function, ...)."""

    code = "NG121"
    http_status = 400


class QueryTimeout(NewsgraphError):
    """A user-supplied Cypher statement ran past its wall-clock limit."""

    code = "NG122"
    http_status = 504
