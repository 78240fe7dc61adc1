"""Errors raised by the layer code (re-exported from the engine's domain errors)."""

from sia.errors import Conflict, InvalidInput, InvalidUpload, NotFound, SetupError, SiaError

__all__ = ["Conflict", "InvalidInput", "InvalidUpload", "NotFound", "SetupError", "SiaError"]
