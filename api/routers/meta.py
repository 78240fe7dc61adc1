"""Names and Dutch labels the web map shows: methods, quadrants, directions, score indicators, the
labels of the CBS kerncijfers and the statuses of DIA proposals with their allowed transitions.
One place, read from the engine's registries, the layer catalogue and layers/proposals.py, so the
front end repeats none of them."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from layers.catalogue import KERNCIJFERS
from layers.proposals import ADOPTED, OPEN, STATUS_LABELS, TRANSITIONS
from sia.aggregate import METHODS, QUADRANT_LABELS
from sia.candidates import AXIS_LABELS, METHOD_LABELS
from sia.normalise import NORMALISERS
from sia.profile import list_profiles, load_packaged_profile

router = APIRouter(prefix="/api/meta", tags=["meta"])

RICHTINGEN: dict[str, str] = {
    "hoger_is_urgenter": "Hoger is urgenter: een hogere waarde maakt de opgave groter.",
    "lager_is_urgenter": "Lager is urgenter: hoe lager de waarde, hoe groter de opgave (hoger is beter).",
    "hoger_is_kansrijker": "Hoger is kansrijker: een hogere waarde geeft meer kans om te investeren.",
    "lager_is_kansrijker": "Lager is kansrijker: een lagere waarde geeft meer kans om te investeren.",
    "beschrijvend": "Beschrijvend kenmerk: telt niet mee in de SIA-weging.",
    "score": "Hoger is een sterkere DIA-kandidaat.",
}


class Keuze(BaseModel):
    id: str
    label: str


class Veld(BaseModel):
    label: str
    eenheid: str | None


class ScoreIndicator(BaseModel):
    """A result of the SIA weighting that the map can colour the buurten by."""

    id: str
    label: str
    unit: str
    description: str
    schaal: Literal["score", "categorie", "kans", "verschil", "aantal"]
    nodig: str | None = None  # the option of the score panel it needs, if any


SCORE_INDICATOREN: tuple[ScoreIndicator, ...] = (
    ScoreIndicator(
        id="sia_gecombineerd",
        label="SIA: gecombineerde score",
        unit="score 0–1",
        description="Gecombineerde score van urgentie en potentie met de gekozen weging; "
        "hoger = sterkere DIA-kandidaat.",
        schaal="score",
    ),
    ScoreIndicator(
        id="sia_urgentie",
        label="SIA: urgentie",
        unit="score 0–1",
        description="Gewogen urgentie (opgaven) met de gekozen weging.",
        schaal="score",
    ),
    ScoreIndicator(
        id="sia_potentie",
        label="SIA: potentie",
        unit="score 0–1",
        description="Gewogen potentie (kansen om investeringen te bundelen) met de gekozen weging.",
        schaal="score",
    ),
    ScoreIndicator(
        id="sia_kwadrant",
        label="SIA: kwadrant urgentie × potentie",
        unit="",
        description="Hoog of laag ten opzichte van de drempels (standaard de mediaan van de buurten).",
        schaal="categorie",
    ),
    ScoreIndicator(
        id="sia_p_top",
        label="SIA: kans op een top-plaats",
        unit="%",
        description="Hoe vaak de buurt in de top staat bij 1.000 willekeurig gevarieerde wegingen "
        "(Monte Carlo): 100 % = altijd, 0 % = nooit.",
        schaal="kans",
        nodig="robuust",
    ),
    ScoreIndicator(
        id="sia_partner_bereik",
        label="SIA: verschil tussen de partnerprofielen",
        unit="plaatsen",
        description="Verschil tussen de hoogste en laagste rang van de buurt onder de wegingsprofielen "
        "van de partners: waar de keuze van de weging het meest uitmaakt.",
        schaal="aantal",
        nodig="partners-vergelijken",
    ),
    ScoreIndicator(
        id="sia_rangverschil",
        label="SIA: plaatsen gestegen tussen twee scenario's",
        unit="plaatsen",
        description="Positief: de buurt staat in scenario B hoger dan in A; negatief: lager; 0: gelijk.",
        schaal="verschil",
        nodig="scenariovergelijking",
    ),
)


class ProposalStatus(BaseModel):
    """A status of a DIA proposal and where it may go next (the rule lives in layers/proposals.py)."""

    id: str
    label: str
    open: bool
    naar: list[str]
    vraagt_besluit: bool  # this status needs the BO date and the decision reference


class Meta(BaseModel):
    methoden: list[Keuze]
    normalisaties: list[Keuze]
    kwadranten: list[Keuze]
    richtingen: dict[str, str]
    indicator_richting: dict[str, str]
    score_indicatoren: list[ScoreIndicator]
    kerncijfers: dict[str, Veld]
    kandidaat_assen: list[Keuze] = Field(description="scores candidate areas can be formed on (`as`)")
    kandidaat_methoden: list[Keuze] = Field(description="methods that form candidate areas (`gebruikt`)")
    voorstelstatussen: list[ProposalStatus]


def _directions() -> dict[str, str]:
    """Criterion id → direction, from the packaged profiles (the same criterion has one direction)."""
    out: dict[str, str] = {}
    for name in list_profiles():
        for c in load_packaged_profile(name).criteria:
            out.setdefault(c.id, c.direction)
    return out


@router.get(
    "",
    response_model=Meta,
    summary="Names and Dutch labels for the web map",
    description="Aggregation methods and normalisations (from the engine's registries), quadrants, "
    "directions and the direction of each criterion, the score indicators the map offers, and "
    "the Dutch label and unit of each CBS kerncijfer field, the scores and methods of candidate "
    "areas, and the statuses of DIA proposals with where each may go next (`voorstelstatussen`, "
    "the rule of layers/proposals.py).",
)
def meta() -> Meta:
    return Meta(
        methoden=[Keuze(id=name, label=cls.label) for name, cls in METHODS.items()],
        normalisaties=[Keuze(id=name, label=cls.label) for name, cls in NORMALISERS.items()],
        kwadranten=[Keuze(id=k, label=v) for k, v in QUADRANT_LABELS.items()],
        richtingen=RICHTINGEN,
        indicator_richting=_directions(),
        score_indicatoren=list(SCORE_INDICATOREN),
        kerncijfers={k: Veld(label=label, eenheid=unit) for k, (label, unit) in KERNCIJFERS.items()},
        kandidaat_assen=[Keuze(id=k, label=v) for k, v in AXIS_LABELS.items()],
        kandidaat_methoden=[Keuze(id=k, label=v) for k, v in METHOD_LABELS.items()],
        voorstelstatussen=[
            ProposalStatus(
                id=k,
                label=label,
                open=k in OPEN,
                naar=list(TRANSITIONS[k]),
                vraagt_besluit=k == ADOPTED,
            )
            for k, label in STATUS_LABELS.items()
        ],
    )
