"""The `sia` command line: database, organisations, loading layers, scores, the map, the demo.

The CLI speaks Dutch, its help included (argparse's own texts are translated while it runs), and
no traceback ever reaches a user: a bad setting names its environment variable, an unreachable
database says which, a missing file or folder says so; each is one line on stderr and exit
code 2 (``Afgebroken.`` and 130 on Ctrl+C). Anything unexpected is written to a log file whose
name is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from api import cli_auth
from api.settings import Settings
from layers.db.connect import local_cluster, resolve_url
from sia.errors import InvalidUpload, SiaError

ENSCHEDE_BUURTEN = "enschede/cbs_buurten_2021_enschede.gpkg"
ENSCHEDE_LBM = "enschede/lbm2024_buurten_enschede.gpkg"
OUTPUT_FORMATS = {".csv": "CSV", ".gpkg": "GeoPackage", ".xlsx": "Excel"}
EXIT_USER_ERROR = 2


class CliError(SiaError):
    """A problem the user can fix, said in one Dutch line."""


def _say(message: str) -> None:
    print(message, flush=True)


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


# -- argparse in Dutch ---------------------------------------------------------------------

_ARGPARSE_NL = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "one of the arguments %s is required": "een van deze argumenten is nodig: %s",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "ambiguous option: %(option)s could match %(matches)s": (
        "dubbelzinnige optie: %(option)s kan %(matches)s zijn"
    ),
    "unexpected option string: %s": "onverwachte optie: %s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ongeldige keuze: %(value)r (kies uit %(choices)s)"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "not allowed with argument %s": "niet toegestaan samen met %s",
    "ignored explicit argument %r": "genegeerd argument %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "onbekende opdracht %(parser_name)r (kies uit: %(choices)s)"
    ),
    "subcommands": "opdrachten",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
}


def _nl(message: str) -> str:
    return _ARGPARSE_NL.get(message, message)


def _nl_plural(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "verwacht %s waarde" if n == 1 else "verwacht %s waarden"
    return singular if n == 1 else plural


@contextlib.contextmanager
def _dutch_argparse() -> Iterator[None]:
    """argparse's own texts (usage, errors, 'options') in Dutch while the parser runs."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _nl, _nl_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help with the default of every option, in Dutch ('standaard: ...')."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (
            "%(default)" in text
            or action.default in (None, argparse.SUPPRESS, False)
            or not action.option_strings
        ):
            return text
        return f"{text} (standaard: %(default)s)"


def _parser(sub: Any, name: str, help_text: str, **kw: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, description=kw.pop("description", help_text), formatter_class=_Formatter, **kw
    )
    return parser


# -- argument types (Dutch messages) --------------------------------------------------------


def _gemeente(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"GM\d{4}", code):
        raise argparse.ArgumentTypeError(f"'{value}' is geen CBS-gemeentecode; verwacht bijvoorbeeld GM0153")
    return code


def _year(low: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        if not re.fullmatch(r"\d{4}", value.strip()) or not low <= int(value) <= 2100:
            raise argparse.ArgumentTypeError(f"'{value}' is geen jaar van {low} tot 2100")
        return int(value)

    parse.__name__ = "jaar"
    return parse


def _period(value: str) -> str:
    text = value.strip().lower()
    if not re.fullmatch(r"\d{4}-(voorjaar|najaar)", text):
        raise argparse.ArgumentTypeError(
            f"'{value}' is geen periode; verwacht jaar-voorjaar of jaar-najaar, bijv. 2026-najaar"
        )
    return text


def _positive_int(value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is geen geheel getal groter dan 0")
    return int(value)


def _number(value: str) -> float:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is geen getal") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"'{value}' is geen eindig getal")
    return number


def _existing_file(value: str) -> Path:
    path = Path(value)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"bestand '{value}' bestaat niet")
    if path.is_dir() and path.suffix.lower() not in (".gdb",):
        raise argparse.ArgumentTypeError(f"'{value}' is een map, geen bestand")
    return path


def _existing_file_or_folder(value: str) -> Path:
    """A layer file, or a folder holding one (an unpacked CBS zip with shapefiles)."""
    path = Path(value)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"bestand '{value}' bestaat niet")
    return path


def _output_file(value: str) -> Path:
    path = Path(value)
    if path.suffix.lower() not in OUTPUT_FORMATS:
        kinds = ", ".join(f"{s} ({n})" for s, n in OUTPUT_FORMATS.items())
        raise argparse.ArgumentTypeError(
            f"'{value}': onbekend uitvoerformaat '{path.suffix or '(geen)'}'; kies {kinds}"
        )
    if not path.parent.exists():
        raise argparse.ArgumentTypeError(f"map '{path.parent}' van '{value}' bestaat niet")
    return path


# -- settings ------------------------------------------------------------------------------

_SETTING_EXPECTED = {
    "gemeente": "een CBS-gemeentecode als GM0153",
    "pg_port": "een poortnummer van 1024 tot 65535",
    "port": "een poortnummer van 1 tot 65535",
    "database_url": "een PostgreSQL-URL als postgresql+psycopg://gebruiker:wachtwoord@host:5432/database",
    "jaar": "een jaar van 1990 tot 2100",
    "lbm_editie": "een editiejaar van 2000 tot 2100",
}


def load_settings() -> Settings:
    """The settings from the environment (and .env); a bad value names its variable, in Dutch."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            value = error.get("input")
            expected = _SETTING_EXPECTED.get(field, "een geldige waarde")
            shown = value if isinstance(value, str | int | float) else ""
            problems.append(f"SIA_{field.upper()}={shown}: verwacht {expected}")
        raise CliError("Ongeldige instelling " + "; ".join(problems) + ".") from None


def _url(settings: Settings) -> str:
    return resolve_url(settings.database_url, home=settings.home, port=settings.pg_port, start=True)


def _engine(settings: Settings, *, migrate: bool = True) -> Any:
    from layers.db.engine import make_engine
    from layers.db.engine import migrate as run_migrations

    url = _url(settings)
    if migrate:
        run_migrations(url)
    return make_engine(url)


def _read_engine(settings: Settings) -> Any:
    """The engine of commands that read partner data to show or write them (``sia score``,
    ``sia voorstel``, ``sia dossier``): the application role, as anonymous. What they print or
    write is what the public may see (row-level security and the disclosure rule, as the map's
    public view), whoever runs them; loading (``sia load``) stays the owner's."""
    from api.security import open_app_engine

    _engine(settings).dispose()  # started and migrated first
    return open_app_engine(settings)


def _database_unreachable(settings: Settings, exc: BaseException) -> CliError:
    """One Dutch line for a database that cannot be reached (no driver text, no password)."""
    from sqlalchemy.engine import make_url

    if settings.database_url:
        try:
            u = make_url(settings.database_url)
            where = f"{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"
        except Exception:  # an unparsable URL: say so without repeating it
            where = "(onleesbare URL)"
        return CliError(
            f"De database van SIA_DATABASE_URL ({where}) is niet bereikbaar. Controleer de URL, of de "
            "server draait en of gebruiker en wachtwoord kloppen; of laat SIA_DATABASE_URL leeg voor "
            "de eigen lokale database van sia."
        )
    return CliError(
        f"De lokale database (poort {settings.pg_port}) is niet bereikbaar. Start hem met "
        "`sia db start` of kies met SIA_PG_PORT een vrije poort."
    )


# -- sia db ------------------------------------------------------------------------------------


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url and args.action in {"start", "stop"}:
        _say(f"SIA_DATABASE_URL is gezet; `sia db {args.action}` beheert alleen de lokale database.")
        return 0
    cluster = local_cluster(settings.home, settings.pg_port)
    if args.action == "start":
        started = cluster.start()
        _say(
            f"Lokale PostGIS {'gestart' if started else 'draaide al'} op poort {cluster.port} "
            f"(gegevens in {cluster.data_dir})."
        )
    elif args.action == "stop":
        _say("Lokale PostGIS gestopt." if cluster.stop() else "Lokale PostGIS draaide niet.")
    elif args.action == "status":
        if settings.database_url:
            _say("De database van SIA_DATABASE_URL wordt gebruikt (externe server).")
        else:
            running = cluster.is_running()
            _say(
                f"Lokale PostGIS: {'draait' if running else 'gestopt'} "
                f"(poort {cluster.port}, gegevens in {cluster.data_dir})."
            )
            return 0 if running else 3
    elif args.action == "url":
        _say(resolve_url(settings.database_url, home=settings.home, port=settings.pg_port, start=False))
    elif args.action == "migrate":
        from layers.db.engine import current_revision, migrate

        url = _url(settings)
        migrate(url)
        _say(f"Databaseschema op revisie {current_revision(url)}.")
    return 0


# -- sia org -------------------------------------------------------------------------------


def cmd_org(args: argparse.Namespace, settings: Settings) -> int:
    from layers.organisations import KIND_LABELS, add_organisation, list_organisations

    gemeente = args.gemeente or settings.gemeente
    engine = _engine(settings)
    try:
        if args.action == "add":
            with engine.begin() as conn:
                org = add_organisation(
                    conn,
                    gemeente=gemeente,
                    naam=args.naam,
                    soort=args.soort,
                    slug=args.slug,
                    profiel=args.profiel,
                )
            _say(
                f"Toegevoegd aan {org.gemeente}: {org.naam} ({KIND_LABELS[org.soort]}, korte naam {org.slug}"
                f"{', profiel ' + org.profiel if org.profiel else ''})."
            )
            return 0
        with engine.connect() as conn:
            orgs = list_organisations(conn, gemeente, alleen_actief=not args.alle)
    finally:
        engine.dispose()
    if not orgs:
        _say(f"Er zijn nog geen organisaties voor {gemeente}; voeg ze toe met `sia org add`.")
        return 0
    _say(f"Organisaties van {gemeente}:")
    width = max(len(o.naam) for o in orgs)
    for o in orgs:
        extra = f"profiel {o.profiel}" if o.profiel else "geen profiel"
        _say(
            f"  {o.naam:<{width}}  {KIND_LABELS[o.soort]:<20} {o.slug:<22} {extra}"
            f"{'' if o.actief else '  (niet actief)'}"
        )
    return 0


# -- sia load ----------------------------------------------------------------------------------


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    gemeenten = [g.upper() for g in (args.gemeente or [])] or None
    engine = _engine(settings)
    try:
        if args.layer == "buurten":
            from layers.cbs import prepare_buurten, store_buurten

            prepared = prepare_buurten(
                args.file, gemeenten=gemeenten, year=args.year, layer=args.laag, progress=_progress
            )
            with engine.begin() as conn:
                result = store_buurten(conn, prepared, progress=_progress)
        else:
            from layers.leefbaarometer import prepare_leefbaarometer, store_leefbaarometer

            prepared_lbm = prepare_leefbaarometer(
                args.file, editie=args.editie, layer=args.laag, progress=_progress
            )
            with engine.begin() as conn:
                result = store_leefbaarometer(conn, prepared_lbm, gemeenten=gemeenten)
    finally:
        engine.dispose()
    for line in result.messages:
        _say(line)
    return 0


def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    import os

    from layers.fetch import PDOK_WFS, fetch_buurten

    out_dir = args.out or (settings.data_dir or Path.cwd()) / "downloads"
    path = fetch_buurten(
        args.year,
        out_dir,
        gemeenten=args.gemeente,
        base_url=os.environ.get("SIA_PDOK_URL", PDOK_WFS),
        progress=_progress,
    )
    _say(f"Opgeslagen: {path}")
    if args.no_load:
        return 0
    ns = argparse.Namespace(
        layer="buurten", file=path, gemeente=args.gemeente, year=args.year, editie=None, laag=None
    )
    return cmd_load(ns, settings)


def cmd_load_partner(args: argparse.Namespace, settings: Settings) -> int:
    from layers.partner_store import load_delivery_file

    engine = _engine(settings)
    options = {
        k: v for k, v in (("layer", args.kind), ("partner", args.partner), ("period", args.period)) if v
    }
    try:
        with engine.begin() as conn:
            stored = load_delivery_file(
                conn, args.file, gemeente=args.gemeente or settings.gemeente, **options
            )
    finally:
        engine.dispose()
    counts = ", ".join(f"{n} {kind}" for kind, n in stored.aantallen.items() if n)
    if stored.unchanged:
        _say(f"{args.file.name}: al geladen als versie {stored.versie}; niets veranderd.")
    else:
        replaced = " (vorige versie bewaard)" if stored.vervangen else ""
        _say(
            f"{args.file.name}: {stored.partner}, {stored.periode}, versie {stored.versie}{replaced}: "
            f"{counts or 'geen records'}."
        )
    return 0


def cmd_load_raster(args: argparse.Namespace, settings: Settings) -> int:
    from layers.raster_store import store_raster

    engine = _engine(settings)
    try:
        with engine.begin() as conn:
            stored = store_raster(
                conn,
                args.file,
                gemeente=args.gemeente or settings.gemeente,
                indicator=args.indicator,
                label=args.label or args.indicator,
                periode=args.period,
                partner=args.partner,
                eenheid=args.unit,
                drempel=args.threshold,
                band=args.band,
                synthetisch=args.synthetic,
                vertrouwelijkheid=args.confidentiality,
            )
    finally:
        engine.dispose()
    if stored.unchanged:
        _say(f"{args.file.name}: al geladen als versie {stored.versie}; niets veranderd.")
        return 0
    replaced = " (vorige versie bewaard)" if stored.vervangen else ""
    gaps = (
        f"; {len(stored.buurten_zonder_waarde)} buurt(en) zonder rastercellen: "
        f"{', '.join(stored.buurten_zonder_waarde[:10])}"
        if stored.buurten_zonder_waarde
        else ""
    )
    _say(
        f"{args.file.name}: {stored.indicator}, {stored.periode}, versie {stored.versie}{replaced}: "
        f"{stored.buurten_met_waarde} buurten{gaps}."
    )
    return 0


def cmd_template(args: argparse.Namespace, settings: Settings) -> int:
    from layers.organisations import organisations_for
    from layers.partners.template import write_template

    gemeente = args.gemeente or settings.gemeente
    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            organisations = organisations_for(conn, gemeente)
    finally:
        engine.dispose()
    path = write_template(args.out, partner=args.partner, period=args.period, organisations=organisations)
    _say(f"Leveringssjabloon voor {gemeente} geschreven: {path}")
    if not organisations.leveranciers:
        _say(f"Let op: {gemeente} heeft nog geen organisaties die leveren; voeg ze toe met `sia org add`.")
    return 0


def _load_synthetic(settings: Settings) -> None:
    """Generate the seeded synthetic demo layers (``layers.demo``) and load them through the same
    commands a user runs, so each file is reported."""
    from layers.demo import HEAT_RASTER, write_demo_files
    from layers.partners.synthetic import load_buurten

    out = (settings.home or local_cluster(None, settings.pg_port).home) / "synthetisch"
    buurten = load_buurten(settings.data_dir / ENSCHEDE_BUURTEN if settings.data_dir else None)
    files, heat = write_demo_files(out, buurten)
    _say(f"Synthetische partnerleveringen (niet echt) in {out}")
    for path in files:
        ns = argparse.Namespace(file=path, kind=None, partner=None, period=None, gemeente=settings.gemeente)
        cmd_load_partner(ns, settings)
    raster = argparse.Namespace(
        file=heat,
        gemeente=settings.gemeente,
        indicator=HEAT_RASTER["indicator"],
        label=HEAT_RASTER["label"],
        period=HEAT_RASTER["periode"],
        partner=HEAT_RASTER["partner"],
        unit=HEAT_RASTER["eenheid"],
        threshold=HEAT_RASTER["drempel"],
        band=1,
        synthetic=HEAT_RASTER["synthetisch"],
        confidentiality="openbaar",
    )
    cmd_load_raster(raster, settings)


# -- sia score ---------------------------------------------------------------------------------


def cmd_score(args: argparse.Namespace, settings: Settings) -> int:
    """Rank the buurten of a gemeente with a profile and write CSV, GeoPackage or Excel."""
    from layers.indicators import read_table, score_table, usable_profiles
    from layers.organisations import partner_profiles
    from sia.profile import profile_catalogue

    gemeente = args.gemeente or settings.gemeente
    bron = {}
    jaar, editie = args.jaar, args.editie
    if jaar is None and settings.jaar is not None:
        jaar, bron["jaar"] = settings.jaar, "instelling"
    if editie is None and settings.lbm_editie is not None:
        editie, bron["editie"] = settings.lbm_editie, "instelling"
    engine = _read_engine(settings)  # the public view
    try:
        with engine.connect() as conn:
            table = read_table(
                conn, gemeente=gemeente, jaar=jaar, editie=editie, periode=args.periode, bron=bron
            )
            profiles = profile_catalogue(partner_profiles(conn, gemeente))
    finally:
        engine.dispose()
    profile = _profile(args, profiles, table)
    scored = score_table(table, profile, alternatives=usable_profiles(table, profiles))
    ranked = _ranking(scored, table)
    _write(ranked, table, args.out)
    for warning in table.waarschuwingen:
        _say(f"Let op: {warning}")
    if scored.left_out:
        _say("Weggelaten (geen gegevens): " + ", ".join(c["label"] for c in scored.left_out) + ".")
    if "melding" in scored.output:
        _say(scored.output["melding"])
    synthetic = [c["label"] for c in scored.criteria if c["synthetisch"] and c["gewicht"] > 0]
    n = int(ranked["rang"].notna().sum())
    _say(
        f"{n} buurten van {gemeente} gerangschikt ({scored.result.method.label}, profiel {profile.name}, "
        f"buurten {table.jaar}"
        + (f", Leefbaarometer {table.editie}" if table.editie else "")
        + (f", periode {table.periode}" if table.periode and table.view.deliveries() else "")
        + ")"
        + (f"; synthetische gegevens in: {', '.join(synthetic)}" if synthetic else "")
        + f" -> {args.out}"
    )
    top = ranked[ranked["rang"].notna()].head(args.toon)
    if len(top):
        _say("Hoogst gerangschikt:")
        for code, row in top.iterrows():
            _say(
                f"  {int(row['rang']):>3}  {code}  {row['buurtnaam'] or ''!s:<32} "
                f"urgentie {_fmt(row['urgentie'])}  potentie {_fmt(row['potentie'])}  {row['kwadrant']}"
            )
    return 0


def _fmt(value: Any) -> str:
    return "   –" if value is None or value != value else f"{float(value):.2f}".replace(".", ",")


def _profile(args: argparse.Namespace, profiles: Any, table: Any) -> Any:
    from sia.profile import load_profile, with_overrides

    name = args.profile or profiles.recommended(partner_data=bool(table.view.deliveries()))
    own_file = name.endswith(".toml") or Path(name).exists()
    profile = load_profile(name) if own_file else profiles.load(name)
    return with_overrides(profile, method=args.method)


def _ranking(scored: Any, table: Any) -> Any:
    ranked = scored.result.to_frame().join(table.frame[["buurtnaam", "wijkcode"]])
    ranked["synthetisch"] = scored.synthetic
    ranked = ranked.join(scored.result.contributions.add_prefix("bijdrage_"))
    return ranked.sort_values("rang", na_position="last")


def _write(ranked: Any, table: Any, out: Path) -> None:
    import geopandas as gpd

    suffix = out.suffix.lower()
    frame = ranked.copy()
    frame["kwadrant"] = frame["kwadrant"].astype("string")
    frame.index.name = "buurtcode"
    if suffix == ".gpkg":
        geo = gpd.GeoDataFrame(frame.join(table.geometrie), geometry="geometry", crs=28992)
        geo.reset_index().to_file(out, layer="sia_scores", driver="GPKG")
    elif suffix == ".xlsx":
        sources = [{"indicator": k, **c.as_dict()} for k, c in table.kolommen.items()]
        import pandas as pd

        with pd.ExcelWriter(out) as xlsx:
            frame.reset_index().to_excel(xlsx, sheet_name="scores", index=False)
            pd.DataFrame(sources).astype({"perioden": str, "laadacties": str, "leveringen": str}).to_excel(
                xlsx, sheet_name="bronnen", index=False
            )
    else:
        frame.reset_index().to_csv(out, index=False)


# -- sia serve / demo --------------------------------------------------------------------------


def serve_workers(settings: Settings) -> int:
    """Worker processes of ``sia serve``: SIA_WORKERS, else one per CPU core (at least 2)."""
    import os

    return settings.workers or max(2, os.cpu_count() or 2)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.security import open_app_engine

    if not settings.database_url:
        local_cluster(settings.home, settings.pg_port).start()
    # the app role's login (and its password file) made once, before the workers start
    open_app_engine(settings).dispose()
    host = args.host or settings.host
    port = args.port or settings.port
    workers = getattr(args, "workers", None) or serve_workers(settings)
    _say(
        f"De kaart staat op http://{host}:{port}  (API-documentatie: /docs; {workers} werkprocessen). "
        "Stoppen: Ctrl+C."
    )
    # each worker builds the app from the same environment (api.main.app_from_environment)
    uvicorn.run(
        "api.main:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    data_dir = settings.data_dir
    if data_dir is None or not data_dir.is_dir():
        raise CliError(
            f"De map met invoergegevens is niet gevonden ({data_dir or 'niet ingesteld'}). Zet SIA_DATA_DIR "
            f"op de map die {ENSCHEDE_BUURTEN} bevat (zie data/cbs_buurten/README.md)."
        )
    if not (data_dir / ENSCHEDE_BUURTEN).exists():
        raise CliError(
            f"De demogegevens van Enschede staan niet in {data_dir} (verwacht {ENSCHEDE_BUURTEN}). Zet "
            "SIA_DATA_DIR op de juiste map (zie data/cbs_buurten/README.md)."
        )
    for layer, rel in (("buurten", ENSCHEDE_BUURTEN), ("leefbaarometer", ENSCHEDE_LBM)):
        ns = argparse.Namespace(
            layer=layer, file=data_dir / rel, gemeente=[settings.gemeente], year=None, editie=None, laag=None
        )
        _say(f"Laden: {rel}")
        cmd_load(ns, settings)
    if settings.gemeente == "GM0153":
        _load_synthetic(settings)
    for line in _sign_in_lines(settings):
        _say(line)
    if args.no_serve:
        return 0
    return cmd_serve(args, settings)


def _program() -> str:
    """How the user called `sia` (``.venv/bin/sia`` under `make demo`), for a line to copy."""
    called = Path(sys.argv[0])
    return str(called) if called.name == "sia" else "sia"


def _sign_in_lines(settings: Settings) -> list[str]:
    """The demo's closing text: without a user the map is the public view and every save is
    refused, so a gemeente without an active beheerder gets the exact `sia user add` line that
    makes the first one (its organisation of kind 'gemeente'); otherwise where to sign in."""
    from layers import auth

    gemeente = settings.gemeente
    engine = _engine(settings, migrate=False)  # the demo has just migrated
    try:
        with engine.connect() as conn:
            users = auth.list_users(conn, gemeente=gemeente)
            organisations = auth.organisations(conn, gemeente=gemeente)
    finally:
        engine.dispose()
    active = [u for u in users if u["actief"]]
    beheerders = [u for u in active if u["rol"] == "beheerder"]
    where = "met 'Inloggen' rechtsboven op de kaart"

    def users_of(listed: list[Any], what: str) -> str:
        return (
            f"{len(listed)} {what}{'' if len(listed) == 1 else 's'} voor {gemeente}; `sia user list` toont ze"
        )

    if beheerders:
        return [
            f"Meld u aan {where} ({users_of(active, 'actieve gebruiker')}). "
            "Zonder aanmelden toont de kaart de openbare weergave."
        ]
    own = next((o for o in organisations if o["soort"] == "gemeente"), None)
    org = own["slug"] if own else "KORTE-NAAM"
    first = (
        f"Nog geen gebruikers voor {gemeente}"
        if not users
        else f"Nog geen actieve beheerder ({users_of(users, 'gebruiker')})"
    )
    return [
        f"{first}: zonder aanmelden toont de kaart alleen de openbare weergave en wordt opslaan "
        "(voorstellen, scenario's, leveringen) geweigerd.",
        "Maak eerst een beheerder (vervang e-mailadres en naam; het wachtwoord wordt gevraagd):",
        f'  {_program()} user add naam@voorbeeld.nl --naam "Voornaam Achternaam" --organisatie {org} '
        f"--gemeente {gemeente} --rol beheerder",
        *(
            []
            if own
            else [
                f"  (KORTE-NAAM: de korte naam van een organisatie uit `sia org list --gemeente {gemeente}`)"
            ]
        ),
        f"Meld u daarna aan {where}; onder 'Beheer' maakt u de andere gebruikers.",
    ]


# -- parser ------------------------------------------------------------------------------------


def _profile_help() -> str:
    from sia.profile import STANDARD_PROFILES, list_profiles

    others = [p for p in list_profiles() if p not in STANDARD_PROFILES]
    return (
        f"wegingsprofiel: {', '.join(STANDARD_PROFILES)}, consensus, het profiel van een organisatie "
        f"van de gemeente ({', '.join(others)}; zie `sia org list`), of een eigen .toml-bestand; "
        "standaard 'default' als de gemeente partnerleveringen heeft, anders 'urgentie'"
    )


def build_parser() -> argparse.ArgumentParser:
    from sia.aggregate import METHODS

    parser = argparse.ArgumentParser(
        prog="sia",
        description="SIA/DIA-beslisondersteuning: buurten, Leefbaarometer en partnerdata laden, "
        "buurten scoren en de kaart tonen. Instellingen via SIA_...-omgevingsvariabelen of .env.",
        formatter_class=_Formatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, title="opdrachten", metavar="OPDRACHT")

    db = _parser(sub, "db", "de database (lokale PostGIS of SIA_DATABASE_URL)")
    db.add_argument(
        "action",
        choices=["start", "stop", "status", "url", "migrate"],
        metavar="ACTIE",
        help="start, stop, status, url (verbindings-URL) of migrate (schema bijwerken)",
    )
    db.set_defaults(func=cmd_db)

    org = _parser(sub, "org", "partnerorganisaties per gemeente (gemeente, corporaties, huurders, BO)")
    org_sub = org.add_subparsers(dest="action", required=True, title="acties", metavar="ACTIE")
    ol = _parser(org_sub, "list", "toon de organisaties van een gemeente")
    ol.add_argument("--gemeente", type=_gemeente, metavar="GMxxxx", help="gemeente; standaard SIA_GEMEENTE")
    ol.add_argument("--alle", action="store_true", help="ook niet-actieve organisaties")
    ol.set_defaults(func=cmd_org)
    oa = _parser(org_sub, "add", "voeg een organisatie toe aan een gemeente")
    oa.add_argument("--gemeente", type=_gemeente, metavar="GMxxxx", help="gemeente; standaard SIA_GEMEENTE")
    oa.add_argument("--naam", required=True, help="naam zoals in leveringen, bijv. 'Woonstichting De Key'")
    oa.add_argument(
        "--soort",
        required=True,
        choices=["gemeente", "corporatie", "huurdersorganisatie", "bo", "overig"],
        help="soort organisatie",
    )
    oa.add_argument("--slug", help="korte naam (kleine letters, cijfers, _); standaard afgeleid van de naam")
    oa.add_argument("--profiel", help="wegingsprofiel van de organisatie (een meegeleverd profiel)")
    oa.set_defaults(func=cmd_org, alle=False)

    load = _parser(sub, "load", "laad een kaartlaag in de database")
    load_sub = load.add_subparsers(dest="layer", required=True, title="lagen", metavar="LAAG")
    lb = _parser(load_sub, "buurten", "CBS wijk- en buurtkaart (GeoPackage, GeoJSON of Shapefile)")
    lb.add_argument(
        "file",
        type=_existing_file_or_folder,
        metavar="BESTAND",
        help="het buurtenbestand (of een map of zip)",
    )
    lb.add_argument(
        "--gemeente",
        action="append",
        type=_gemeente,
        metavar="GMxxxx",
        help="alleen deze gemeente (herhaalbaar)",
    )
    lb.add_argument(
        "--year",
        type=_year(1990),
        metavar="JAAR",
        help="jaar van de buurtindeling, als het bestand het niet zegt",
    )
    lb.add_argument(
        "--laag",
        metavar="NAAM",
        help="de laag in een GeoPackage, map of zip met meerdere lagen; zonder: gekozen op inhoud",
    )
    lb.set_defaults(func=cmd_load, editie=None)
    ll = _parser(load_sub, "leefbaarometer", "Leefbaarometer-scores per buurt")
    ll.add_argument(
        "file", type=_existing_file_or_folder, metavar="BESTAND", help="het Leefbaarometer-bestand"
    )
    ll.add_argument(
        "--editie", type=_year(2000), metavar="JAAR", help="editie, als het bestand het niet zegt"
    )
    ll.add_argument(
        "--gemeente",
        action="append",
        type=_gemeente,
        metavar="GMxxxx",
        help="alleen deze gemeente (herhaalbaar)",
    )
    ll.add_argument(
        "--laag",
        metavar="NAAM",
        help="de laag in een GeoPackage, map of zip met meerdere lagen; zonder: gekozen op inhoud",
    )
    ll.set_defaults(func=cmd_load, year=None)

    lp = _parser(
        load_sub,
        "partner",
        "een partnerlevering: het ingevulde Excel-sjabloon, of één laag als GeoPackage/GeoJSON/CSV",
    )
    lp.add_argument("file", type=_existing_file, metavar="BESTAND", help="het leveringsbestand")
    lp.add_argument(
        "--layer",
        dest="kind",
        choices=["bezit", "projecten", "verkoop"],
        help="voor GIS/CSV: welke laag het bestand bevat",
    )
    lp.add_argument("--partner", help="voor GIS/CSV: de leverende organisatie (zie `sia org list`)")
    lp.add_argument("--period", type=_period, metavar="PERIODE", help="voor GIS/CSV: bijv. 2026-najaar")
    lp.add_argument(
        "--gemeente",
        type=_gemeente,
        metavar="GMxxxx",
        help="gemeente van de levering; standaard SIA_GEMEENTE",
    )
    lp.set_defaults(func=cmd_load_partner)

    lr = _parser(load_sub, "raster", "een rasterindicator (GeoTIFF), samengevat per buurt")
    lr.add_argument("file", type=_existing_file, metavar="BESTAND", help="het GeoTIFF-bestand")
    lr.add_argument("--indicator", required=True, help="korte naam, bijv. hittestress")
    lr.add_argument("--label", help="naam in de kaart, bijv. 'Hittestress'; standaard de korte naam")
    lr.add_argument("--period", required=True, type=_period, metavar="PERIODE", help="bijv. 2026-najaar")
    lr.add_argument("--partner", required=True, help="leverende partner, bijv. 'Gemeente Enschede'")
    lr.add_argument("--unit", help="eenheid van de celwaarden, bijv. °C")
    lr.add_argument(
        "--threshold", type=_number, help="bewaar ook het aandeel cellen boven deze waarde per buurt"
    )
    lr.add_argument("--band", type=_positive_int, default=1, help="rasterband")
    lr.add_argument("--synthetic", action="store_true", help="markeer het raster als synthetisch")
    lr.add_argument(
        "--confidentiality",
        default="openbaar",
        choices=["openbaar", "partners", "eigen"],
        help="wie het raster mag zien",
    )
    lr.add_argument("--gemeente", type=_gemeente, metavar="GMxxxx", help="gemeente; standaard SIA_GEMEENTE")
    lr.set_defaults(func=cmd_load_raster)

    tpl = _parser(
        sub, "template", "schrijf het Excel-leveringssjabloon (met de organisaties van de gemeente)"
    )
    tpl.add_argument(
        "out", type=Path, nargs="?", default=Path("sia-levering.xlsx"), metavar="UIT.xlsx", help="doelbestand"
    )
    tpl.add_argument("--partner", help="vooraf ingevulde partner")
    tpl.add_argument("--period", type=_period, metavar="PERIODE", help="vooraf ingevulde periode")
    tpl.add_argument("--gemeente", type=_gemeente, metavar="GMxxxx", help="gemeente; standaard SIA_GEMEENTE")
    tpl.set_defaults(func=cmd_template)

    fetch = _parser(sub, "fetch", "download een laag bij de uitgever (internet nodig)")
    fetch_sub = fetch.add_subparsers(dest="layer", required=True, title="lagen", metavar="LAAG")
    fb = _parser(fetch_sub, "buurten", "CBS wijk- en buurtkaart van PDOK")
    fb.add_argument(
        "--year", type=_year(1990), required=True, metavar="JAAR", help="jaar van de buurtindeling"
    )
    fb.add_argument(
        "--gemeente",
        action="append",
        type=_gemeente,
        metavar="GMxxxx",
        help="alleen deze gemeente (herhaalbaar)",
    )
    fb.add_argument(
        "--out", type=Path, metavar="MAP", help="map voor de download; standaard SIA_DATA_DIR/downloads"
    )
    fb.add_argument("--no-load", action="store_true", help="alleen downloaden, niet laden")
    fb.set_defaults(func=cmd_fetch)

    sc = _parser(
        sub,
        "score",
        "rangschik de buurten van een gemeente met een wegingsprofiel (CSV, GeoPackage of Excel)",
        description="Rangschik de buurten van een gemeente met een wegingsprofiel. Criteria zonder "
        "gegevens worden weggelaten en genoemd; een profiel met alleen urgentie rangschikt op "
        "urgentie ('potentie onbekend').",
    )
    sc.add_argument("--gemeente", type=_gemeente, metavar="GMxxxx", help="gemeente; standaard SIA_GEMEENTE")
    sc.add_argument(
        "--jaar",
        type=_year(1990),
        metavar="JAAR",
        help="buurtindeling; standaard SIA_JAAR, anders het nieuwste jaar dat de Leefbaarometer dekt",
    )
    sc.add_argument(
        "--editie",
        type=_year(2000),
        metavar="JAAR",
        help="Leefbaarometer-editie; standaard SIA_LBM_EDITIE, anders de nieuwste die de buurten dekt",
    )
    sc.add_argument(
        "--periode",
        type=_period,
        metavar="PERIODE",
        help="periode van de partnerdata, bijv. 2026-najaar; standaard de nieuwste waarin alle partners "
        "geleverd hebben",
    )
    sc.add_argument("--profile", metavar="PROFIEL", help=_profile_help())
    sc.add_argument(
        "--method",
        choices=sorted(METHODS),
        help=f"aggregatiemethode ({', '.join(sorted(METHODS))}); standaard die van het profiel",
    )
    sc.add_argument(
        "--out",
        type=_output_file,
        default=Path("sia_scores.csv"),
        metavar="BESTAND",
        help="uitvoer: .csv, .gpkg (GeoPackage, met buurtvlakken) of .xlsx (Excel, met de bronnen)",
    )
    sc.add_argument(
        "--toon", type=int, default=10, metavar="N", help="toon de N hoogst gerangschikte buurten"
    )
    sc.set_defaults(func=cmd_score)

    serve = _parser(sub, "serve", "toon de kaart en de API")
    serve.add_argument("--host", help="adres; standaard SIA_HOST")
    serve.add_argument("--port", type=_positive_int, help="poort; standaard SIA_PORT")
    serve.add_argument(
        "--workers",
        type=_positive_int,
        help="werkprocessen; standaard SIA_WORKERS, anders één per processorkern (minstens 2)",
    )
    serve.set_defaults(func=cmd_serve)

    demo = _parser(sub, "demo", "richt de database in, laad de gegevens van Enschede en toon de kaart")
    demo.add_argument("--host", help="adres; standaard SIA_HOST")
    demo.add_argument("--port", type=_positive_int, help="poort; standaard SIA_PORT")
    demo.add_argument("--no-serve", action="store_true", help="alleen laden, de kaart niet starten")
    demo.set_defaults(func=cmd_demo)

    from api import cli_dia  # DIA proposals and dossiers (api/cli_dia.py)

    cli_dia.register(sub)
    cli_auth.register(sub)  # `sia user add|list|disable|token` (sign-in, issue 10)
    return parser


def _unexpected(exc: BaseException) -> int:
    """Log the traceback to a file and say where, in one Dutch line."""
    log = Path(tempfile.gettempdir()) / "sia-fout.log"
    try:
        with log.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        where = f"; de details staan in {log}"
    except OSError:
        where = ""
    print(f"Fout: er ging onverwacht iets mis ({type(exc).__name__}){where}.", file=sys.stderr)
    return EXIT_USER_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    from sqlalchemy.exc import DBAPIError, OperationalError

    with _dutch_argparse():
        args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace, Settings], int] = args.func
    settings: Settings | None = None
    try:
        settings = load_settings()
        return func(args, settings)
    except InvalidUpload as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        for item in exc.details[:50]:
            where = ", ".join(f"{k} {v}" for k, v in item.items() if k not in {"melding"} and v is not None)
            print(f"  - {item.get('melding')} ({where})", file=sys.stderr)
        return EXIT_USER_ERROR
    except SiaError as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except (OperationalError, DBAPIError) as exc:
        if settings is not None and (isinstance(exc, OperationalError) or exc.connection_invalidated):
            print(f"Fout: {_database_unreachable(settings, exc).message}", file=sys.stderr)
            return EXIT_USER_ERROR
        return _unexpected(exc)
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for a user: a line and a log file
        import psycopg

        if settings is not None and isinstance(exc, psycopg.OperationalError):
            print(f"Fout: {_database_unreachable(settings, exc).message}", file=sys.stderr)
            return EXIT_USER_ERROR
        return _unexpected(exc)


if __name__ == "__main__":
    raise SystemExit(main())
