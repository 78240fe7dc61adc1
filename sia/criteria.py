"""Criteria and weight profiles: validated models of what the SIA weighs.

A criterion is one column of the indicator table. Its ``direction`` says which raw values are
*more* on the criterion's axis:

- urgentie: ``"hoger_is_urgenter"`` or ``"lager_is_urgenter"``;
- potentie: ``"hoger_is_kansrijker"`` or ``"lager_is_kansrijker"``.

The engine multiplies the raw values by ``sign`` (+1 / -1) *before* normalising, so every
normalised value means: higher = more urgent / more potential.

Missing values follow ``missing``:

- ``"uitsluiten"``: the buurt is left out of the ranking (listed in ``ScoreResult.excluded``);
- ``"mediaan"``: the median of the buurten being ranked;
- ``"slechtste"``: the worst observed value, i.e. the least liveable situation for an urgentie
  criterion (which *raises* urgency) and the lowest potential for a potentie criterion.

Every imputed value is flagged in ``ScoreResult.imputed``.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sia.aggregate import make_method
from sia.errors import InvalidInput
from sia.normalise import NORMALISERS, Normaliser, make_normaliser

__all__ = [
    "AXES",
    "DIRECTIONS",
    "MISSING_POLICIES",
    "Axis",
    "Criterion",
    "Direction",
    "MissingPolicy",
    "NormalisationSpec",
    "Profile",
    "QuadrantThresholds",
]

Axis = Literal["urgentie", "potentie"]
Direction = Literal["hoger_is_urgenter", "lager_is_urgenter", "hoger_is_kansrijker", "lager_is_kansrijker"]
MissingPolicy = Literal["uitsluiten", "mediaan", "slechtste"]
Combine = Literal["gemiddelde", "product"]

AXES: tuple[Axis, ...] = ("urgentie", "potentie")
DIRECTIONS: dict[Axis, tuple[str, str]] = {
    "urgentie": ("hoger_is_urgenter", "lager_is_urgenter"),
    "potentie": ("hoger_is_kansrijker", "lager_is_kansrijker"),
}
MISSING_POLICIES: tuple[str, ...] = ("uitsluiten", "mediaan", "slechtste")


class NormalisationSpec(BaseModel):
    """Registry name of a normaliser plus its parameters (e.g. goalposts ``lo``/``hi``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "min_max"
    params: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> NormalisationSpec:
        self.build()  # raises InvalidInput on an unknown name or bad parameters
        return self

    def build(self) -> Normaliser:
        """Instantiate the normaliser."""
        return make_normaliser(self.name, dict(self.params))


class Criterion(BaseModel):
    """One criterion: a column of the indicator table with its meaning and treatment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="column name in the indicator table")
    label: str = Field(min_length=1, description="Dutch label shown to users")
    axis: Axis
    direction: Direction
    unit: str = ""
    source: str = ""
    period: str | None = None
    normalisation: NormalisationSpec = Field(default_factory=NormalisationSpec)
    missing: MissingPolicy = "uitsluiten"
    weight: float = Field(default=1.0, ge=0.0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _direction_matches_axis(self) -> Criterion:
        if self.direction not in DIRECTIONS[self.axis]:
            valid = " or ".join(repr(d) for d in DIRECTIONS[self.axis])
            raise ValueError(
                f"criterion {self.id!r}: direction {self.direction!r} does not fit axis "
                f"{self.axis!r}; use {valid}"
            )
        return self

    @property
    def sign(self) -> int:
        """+1 when higher raw values are more urgent / more potential, else -1."""
        return 1 if self.direction.startswith("hoger") else -1

    def normaliser(self) -> Normaliser:
        """The normaliser to apply to the oriented values (``sign * raw``)."""
        spec = self.normalisation
        return _normaliser(spec.name, tuple(sorted(spec.params.items())), self.sign)


@functools.lru_cache(maxsize=256)
def _normaliser(name: str, params: tuple[tuple[str, float], ...], sign: int) -> Normaliser:
    """Normalisers are immutable: one instance per name, parameters and direction is enough."""
    return make_normaliser(name, dict(params)).for_direction(sign)


class QuadrantThresholds(BaseModel):
    """Where an axis counts as "high": ``"mediaan"`` of the ranked buurten, or a fixed number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    urgentie: float | Literal["mediaan"] = "mediaan"
    potentie: float | Literal["mediaan"] = "mediaan"


class Profile(BaseModel):
    """A weight profile: the criteria with their weights, the method and presentation settings.

    ``partners`` optionally holds per-partner weights (partner name → criterion id → weight);
    criteria a partner does not mention keep the profile weight.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    label: str = ""
    description: str = ""
    method: str = "gewogen_som"
    method_params: dict[str, Any] = Field(default_factory=dict)
    combine: Combine = "gemiddelde"
    thresholds: QuadrantThresholds = Field(default_factory=QuadrantThresholds)
    top_n: int = Field(default=10, ge=1)
    criteria: list[Criterion] = Field(min_length=1)
    partners: dict[str, dict[str, float]] = Field(default_factory=dict)

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, criteria: list[Criterion]) -> list[Criterion]:
        counts = Counter(c.id for c in criteria)
        dupes = sorted(k for k, n in counts.items() if n > 1)
        if dupes:
            raise ValueError(f"duplicate criterion ids: {', '.join(dupes)}")
        return criteria

    @model_validator(mode="after")
    def _check_partners(self) -> Profile:
        make_method(self.method, self.method_params)  # raises InvalidInput listing valid names
        # one axis may be empty: a profile on public data only ranks by urgency ("potentie
        # onbekend", see sia.run); min_length=1 keeps at least one criterion
        ids = {c.id for c in self.criteria}
        for partner, weights in self.partners.items():
            unknown = sorted(set(weights) - ids)
            if unknown:
                raise ValueError(
                    f"partner {partner!r} weighs unknown criteria {', '.join(unknown)}; "
                    f"criteria in this profile: {', '.join(sorted(ids))}"
                )
            bad = sorted(k for k, v in weights.items() if not v >= 0)
            if bad:
                raise ValueError(f"partner {partner!r}: negative or NaN weight for {bad}")
        return self

    def ids(self, axis: Axis | None = None) -> list[str]:
        """Criterion ids, optionally of one axis, in profile order."""
        return [c.id for c in self.criteria if axis is None or c.axis == axis]

    def criterion(self, criterion_id: str) -> Criterion:
        """Look up one criterion by id."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise InvalidInput(
            f"unknown criterion {criterion_id!r}; criteria in profile {self.name!r}: {', '.join(self.ids())}"
        )

    def weights(self) -> dict[str, float]:
        """The raw (unnormalised) weight of every criterion."""
        return {c.id: c.weight for c in self.criteria}

    def partner_weights(self, partner: str) -> dict[str, float]:
        """Raw weights of one partner: the profile weights overridden by the partner's own."""
        if partner not in self.partners:
            raise InvalidInput(
                f"unknown partner profile {partner!r}; profiles: "
                f"{', '.join(sorted(self.partners)) or '(none)'}"
            )
        return {**self.weights(), **self.partners[partner]}


def normaliser_names() -> list[str]:
    """The valid normalisation names (for API schemas and error messages)."""
    return sorted(NORMALISERS)
