"""Building a validated model (normaliser, aggregation method) from a name registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sia.errors import InvalidInput

T = TypeVar("T", bound=BaseModel)


def build(
    registry: Mapping[str, type[T]],
    kind: str,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    listing: str = "names",
) -> T:
    """Instantiate ``registry[name](**params)``; unknown names and bad parameters are InvalidInput.

    ``kind`` names the registry in messages (e.g. "method", "normalisation"); the message for an
    unknown name lists the valid ones.
    """
    cls = registry.get(name)
    if cls is None:
        raise InvalidInput(f"unknown {kind} {name!r}; valid {listing}: {', '.join(sorted(registry))}")
    try:
        return cls(**dict(params or {}))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or name}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidInput(f"invalid parameters for {kind} {name!r}: {problems}") from exc
