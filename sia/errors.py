"""Domain errors shared by the engine, the layers and the API.

The API maps each class to one HTTP status (``api/errors.py``); engine and layer code raise these,
never HTTP exceptions. Messages are written for planners: what is wrong, where, what was expected.
"""

from __future__ import annotations

from typing import Any


class SiaError(Exception):
    """Base class of every error the tool reports to its users."""

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(SiaError):
    """A requested layer, buurt, scenario or other object does not exist."""


class InvalidInput(SiaError, ValueError):
    """A request or parameter is not valid (unknown criterion, bad weights, bad bbox ...)."""


class InvalidUpload(InvalidInput):
    """A file was rejected; ``details`` lists each problem (file, row, column, value, expected)."""


class Conflict(SiaError):
    """The request conflicts with the object's current state (a status change that is not allowed,
    an edit of a version that is no longer the newest)."""


class Forbidden(SiaError):
    """The user may not see or change this object."""


class SetupError(SiaError):
    """The tool cannot run here (missing PostgreSQL/PostGIS, no database configured ...)."""


class Unauthorized(SiaError):
    """The request must be signed in (session or API token), or its credentials are not valid."""


class TooManyRequests(SiaError):
    """Too many requests (sign-ins, writes, expensive routes) from one client or user."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
