"""Whose view a dossier is, and whether it holds anything the public may not see.

A dossier is made in the view of whoever asks: the connection's principal (``layers.access``),
under row-level security and the disclosure rule. It is *public* when everything it shows is
also what an anonymous visitor is shown; otherwise it is *confidential*: the PDF prints
"VERTROUWELIJK" and whose view it is (organisation, role) on every page, the folium map and the
GeoPackage's metadata say so too, and the dossier's note names what is not public.

The comparison asks the database as anonymous (``acting_as``) through the same read functions
the dossier used, so the rule is that of row-level security, not a copy of it:

- the version shown and the earlier versions (concepts are not public), comments, commitments;
- the personal data of the proposal (author names, contact: ``layers.proposals``);
- proposals named as overlapping;
- partner records shown at address level (``layers.areas.visible_records``);
- the figures and scores: records of the period's view the viewer reads but the public does not
  (``layers.areas.hidden_counts``: fewer hidden for the viewer), and raster deliveries the public
  may not read.

A connection that is not the application's role (the database owner, e.g. in a test) reads
everything outside row-level security; its dossier is always marked confidential.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from sqlalchemy import Connection, text

from api.dutch import plural
from layers import areas, disclosure, proposals, raster_store
from layers.access import ANONYMOUS, Principal, acting_as, view_of
from layers.db.roles import APP_ROLE
from layers.errors import NotFound
from layers.indicators import IndicatorTable

__all__ = ["Confidentiality", "assess", "view_label"]

_OWNER = "de eigenaar van de database (alle gegevens, buiten de rijbeveiliging om)"


@dataclass(frozen=True)
class Confidentiality:
    """Whose view a dossier is (``view``) and what of it is not public (``parts``, Dutch)."""

    view: str
    parts: tuple[str, ...]

    @property
    def confidential(self) -> bool:
        return bool(self.parts)

    @property
    def mark(self) -> str | None:
        """ "VERTROUWELIJK · weergave van …" for a confidential dossier, else None."""
        return f"VERTROUWELIJK · weergave van {self.view}" if self.parts else None

    @property
    def note(self) -> str:
        """The dossier's statement about its figures and records (true for this dossier)."""
        if not self.parts:
            return (
                "Openbaar: dit dossier bevat alleen wat iedereen mag zien. De cijfers van het gebied zijn "
                "die van de openbare weergave, waarin vertrouwelijke partnerrecords alleen meetellen onder "
                "de regel voor openbaarmaking; partnerrecords op adresniveau staan er alleen in als ze "
                "openbaar zijn. " + disclosure.RULE["regel"]
            )
        return (
            f"VERTROUWELIJK: dit dossier is gemaakt in de weergave van {self.view} en bevat wat niet "
            f"openbaar is: {'; '.join(self.parts)}. De cijfers van het gebied zijn die van de weergave van "
            f"{self.view}: records die deze weergave mag lezen tellen volledig mee, andere vertrouwelijke "
            "records onder de regel voor openbaarmaking. Deel het alleen met wie deze gegevens mag zien. "
            + disclosure.RULE["regel"]
        )


def view_label(principal: Principal) -> str:
    """ "Ons Huis (planner)"; "openbare weergave" for anonymous."""
    if principal.anoniem:
        return "openbare weergave"
    return f"{principal.organisatie or 'onbekende organisatie'} ({principal.rol})"


def _outside_rls(conn: Connection) -> bool:
    return bool(conn.execute(text("SELECT current_user <> :app"), {"app": APP_ROLE}).scalar())


def _not_public(n: int) -> str:
    return " die niet openbaar is" if n == 1 else " die niet openbaar zijn"


def _public_versions(conn: Connection, voorstel_id: int) -> set[int]:
    try:
        return {int(v["versie"]) for v in proposals.versions(conn, voorstel_id)}
    except NotFound:
        return set()


def assess(
    conn: Connection,
    *,
    version: dict[str, Any],
    history: list[dict[str, Any]],
    comments: list[dict[str, Any]],
    commitments: list[dict[str, Any]],
    report_data: dict[str, Any],
    table: IndicatorTable,
    area: Any,
    records: dict[str, gpd.GeoDataFrame],
) -> Confidentiality:
    """What of a dossier (read on ``conn``) the public may not see; see the module docstring."""
    principal = view_of(conn)
    if _outside_rls(conn):
        return Confidentiality(_OWNER, ("alle gegevens die de eigenaar leest",))
    view = view_label(principal)
    if principal.anoniem:
        return Confidentiality(view, ())
    voorstel_id = int(version["voorstel_id"])
    personal = proposals.shows_personal_data(conn, voorstel_id)
    overlap = {int(o["id"]) for o in report_data.get("overlap") or []}
    with acting_as(conn, ANONYMOUS):
        public_versions = _public_versions(conn, voorstel_id)
        public_comments = len(proposals.comments(conn, voorstel_id)) if public_versions else 0
        public_commitments = len(proposals.commitments(conn, voorstel_id)) if public_versions else 0
        public_proposals = {int(p["id"]) for p in proposals.current_versions(conn)} if overlap else set()
        public_records = (
            {k: set(f["id"]) for k, f in areas.visible_records(conn, area, table.view).items()}
            if table.periode
            else {}
        )
        public_hidden = areas.hidden_counts(conn, table) if table.periode else {}
        used_rasters = {int(r["id"]) for r in table.rasters_used()}
        public_rasters = (
            {int(r["id"]) for r in raster_store.raster_deliveries(conn, gemeente=table.gemeente)}
            if used_rasters
            else set()
        )
    parts: list[str] = []
    if int(version["versie"]) not in public_versions:
        parts.append(f"deze versie (status {version['status']}) is niet openbaar")
    earlier = [h for h in history if h["versie"] != version["versie"] and h["versie"] not in public_versions]
    if earlier:
        parts.append(plural(len(earlier), "andere versie", "andere versies") + _not_public(len(earlier)))
    if len(comments) > public_comments:
        parts.append(plural(len(comments) - public_comments, "reactie", "reacties"))
    if len(commitments) > public_commitments:
        parts.append(plural(len(commitments) - public_commitments, "toezegging", "toezeggingen"))
    if personal:
        parts.append("namen van auteurs en de contactpersoon (persoonsgegevens)")
    if overlap - public_proposals:
        parts.append(
            plural(len(overlap - public_proposals), "overlappend voorstel", "overlappende voorstellen")
            + _not_public(len(overlap - public_proposals))
        )
    shown = sum(
        int((~frame["id"].isin(public_records.get(kind, set()))).sum())
        for kind, frame in records.items()
        if not frame.empty
    )
    if shown:
        parts.append(
            plural(shown, "partnerrecord", "partnerrecords") + " op adresniveau" + _not_public(shown)
        )
    viewer_hidden = report_data.get("verborgen") or {}
    read_more = sum(
        max(0, int(public_hidden.get(k, 0)) - int(viewer_hidden.get(k, 0))) for k in public_hidden
    )
    if read_more:
        parts.append(
            "cijfers en scores waarin "
            + plural(read_more, "vertrouwelijk partnerrecord", "vertrouwelijke partnerrecords")
            + " volledig meetellen"
        )
    if used_rasters - public_rasters:
        parts.append(
            plural(len(used_rasters - public_rasters), "raster", "rasters")
            + _not_public(len(used_rasters - public_rasters))
        )
    return Confidentiality(view, tuple(parts))
