"""Errors raised by the layer code (re-exported from the engine's domain errors)."""

from sia.errors import InvalidInput, InvalidUpload, NotFound, SetupError, SiaError

__all__ = ["InvalidInput", "InvalidUpload", "NotFound", "SetupError", "SiaError"]
