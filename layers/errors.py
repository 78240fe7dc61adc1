"""Errors raised by the layer code (re-exported from the engine's domain errors)."""

from sia.errors import Conflict, Forbidden, InvalidInput, InvalidUpload, NotFound, SetupError, SiaError

__all__ = ["Conflict", "Forbidden", "InvalidInput", "InvalidUpload", "NotFound", "SetupError", "SiaError"]
