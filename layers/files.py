"""Files from outside: what a file really is, archives unpacked safely, and the limits every
reader checks before the expensive work.

Every reader of a user's file (buurten, Leefbaarometer, partner deliveries, rasters) goes through
here first: the file's first bytes must match its suffix (a ``.gpkg`` that is not SQLite, or a
``.tif`` that is a GDAL VRT pointing elsewhere, never reaches GDAL), a zip archive is unpacked by
us with bounded sizes into a temporary folder (never handed to GDAL's ``/vsizip/``), and a workbook
is checked for macros, DTDs and its unpacked size before openpyxl opens it.

Problems raise :class:`FileProblem` (a Dutch core text and what was expected); each reader turns it
into its own :class:`~layers.errors.InvalidUpload` with the file name, so no library text reaches
a user.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = [
    "CONTROL_RE",
    "LOADER_LIMITS",
    "UPLOAD_LIMITS",
    "FileProblem",
    "Limits",
    "brief",
    "check_kind",
    "check_workbook",
    "control_characters",
    "describe_kind",
    "sniff",
    "unpacked",
]

MiB = 1024 * 1024
GiB = 1024 * MiB


@dataclass(frozen=True)
class Limits:
    """How much of a file a reader accepts; checked before the expensive work."""

    unzipped_bytes: int
    """Total size of an archive's members once unpacked (a zip, or an .xlsx workbook)."""
    zip_members: int
    features: int
    """Objects in one GIS layer (read from the file's header before the objects are read)."""
    vertices_per_geometry: int
    vertices: int
    """Vertices of all geometries of a file together."""
    rows: int
    """Filled rows of one table (Excel sheet or CSV file)."""
    columns: int
    raster_cells: int
    """Cells of a raster that are read: the window over the buurten, all bands."""
    raster_block_cells: int
    """Cells of one block (tile or strip) that GDAL decompresses at once."""
    text_chars: int
    """Characters of one cell (e.g. a WKT geometry)."""


LOADER_LIMITS = Limits(
    unzipped_bytes=8 * GiB,
    zip_members=10_000,
    features=250_000,  # the national buurten layer has ~14,500 buurten
    vertices_per_geometry=5_000_000,
    vertices=400_000_000,
    rows=250_000,
    columns=2_000,
    raster_cells=2_000_000_000,
    raster_block_cells=64 * MiB,
    text_chars=10_000_000,
)
"""For the beheerder's own files loaded with ``sia load buurten|leefbaarometer``: national files."""

UPLOAD_LIMITS = Limits(
    unzipped_bytes=150 * MiB,
    zip_members=200,
    features=100_000,  # a corporation delivers tens of thousands of addresses at most
    vertices_per_geometry=25_000,  # a detailed project area has a few thousand
    vertices=2_000_000,
    rows=100_000,
    columns=200,
    raster_cells=200_000_000,  # a gemeente the size of Enschede at 1 m: ~170 million cells
    raster_block_cells=16 * MiB,
    text_chars=1_000_000,
)
"""For partner deliveries and rasters (uploaded through the API or loaded with the CLI)."""


class FileProblem(Exception):
    """A file is not what it should be: ``core`` says what (Dutch), ``expected`` what was expected."""

    def __init__(self, core: str, expected: str | None = None) -> None:
        super().__init__(core)
        self.core = core
        self.expected = expected


CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no text of ours may hold (tab, newline and carriage return excepted)."""


def control_characters(text: str) -> str | None:
    """The control characters in ``text`` as ``U+0000, ...``, or None when there are none."""
    found = sorted({f"U+{ord(c):04X}" for c in CONTROL_RE.findall(text)})
    return ", ".join(found) or None


def brief(text: str, limit: int) -> str:
    """A text as it may be shown back: control characters escaped, at most ``limit`` characters."""
    if control_characters(text):
        text = CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- what a file is --------------------------------------------------------------------------

_KIND_NAMES = {
    "sqlite": "een SQLite-database (GeoPackage)",
    "zip": "een zip-archief",
    "json": "JSON-tekst",
    "shp": "een Shapefile (.shp)",
    "tiff": "een TIFF-raster",
    "fgb": "een FlatGeobuf-bestand",
    "ole": "een oud Office-bestand (bijv. .xls)",
    "pdf": "een PDF",
    "xml": "XML-tekst",
    "text": "tekst",
    "binary": "een binair bestand van onbekend type",
    "empty": "leeg",
}

# suffix → (kinds that may carry it, what the user should give)
_EXPECTED: dict[str, tuple[set[str], str]] = {
    ".gpkg": ({"sqlite"}, "een GeoPackage (.gpkg), een SQLite-database"),
    ".geojson": ({"json"}, "GeoJSON-tekst (.geojson)"),
    ".json": ({"json"}, "GeoJSON-tekst (.json)"),
    ".shp": ({"shp"}, "een Shapefile (.shp met .shx, .dbf en .prj ernaast)"),
    ".zip": ({"zip"}, "een zip-archief met een Shapefile of GeoPackage"),
    ".fgb": ({"fgb"}, "een FlatGeobuf-bestand (.fgb)"),
    ".csv": ({"text"}, "een CSV-bestand (tekst met een kopregel)"),
    ".txt": ({"text"}, "een CSV-bestand (tekst met een kopregel)"),
    ".xlsx": ({"zip"}, "een Excel-werkmap (.xlsx)"),
    ".tif": ({"tiff"}, "een GeoTIFF (.tif)"),
    ".tiff": ({"tiff"}, "een GeoTIFF (.tif)"),
}


def sniff(path: Path) -> str:
    """What the file's first bytes say it is (one of the keys of ``_KIND_NAMES``)."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    if not head:
        return "empty"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head[:4] == b"\x00\x00\x27\x0a":
        return "shp"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "tiff"
    if head.startswith(b"fgb\x03"):
        return "fgb"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with a byte order mark
    if b"\x00" in head:
        return "binary"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"{", b"["):
        return "json"
    if text[:1] == b"<":
        return "xml"
    return "text"


def describe_kind(kind: str) -> str:
    """What a kind of :func:`sniff` is, in Dutch ("een zip-archief")."""
    return _KIND_NAMES.get(kind, kind)


def check_kind(path: Path, name: str) -> str:
    """The file's kind; raise FileProblem when its content does not match its suffix."""
    suffix = Path(name).suffix.lower()
    kind = sniff(path)
    if kind == "empty":
        raise FileProblem("het bestand is leeg (0 bytes)", "een bestand met gegevens")
    allowed = _EXPECTED.get(suffix)
    if kind == "binary" and suffix in {".csv", ".txt"}:
        raise FileProblem(
            "het bestand bevat NUL-bytes of andere binaire gegevens: het is geen tekst",
            "een CSV-bestand (tekst) in UTF-8",
        )
    if allowed is not None and kind not in allowed[0]:
        raise FileProblem(
            f"de inhoud past niet bij de extensie '{suffix}': het is {_KIND_NAMES[kind]}",
            allowed[1],
        )
    return kind


# -- zip archives ----------------------------------------------------------------------------

_SKIPPED_PARTS = {"__MACOSX"}


def _open_zip(path: Path, limits: Limits, *, what: str = "het zip-archief") -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        expected = "een volledig zip-archief" if what == "het zip-archief" else "een volledige Excel-werkmap"
        raise FileProblem(f"{what} is beschadigd of onvolledig", expected) from None
    if len(members) > limits.zip_members:
        archive.close()
        raise FileProblem(
            f"{what} bevat {len(members):,} bestanden".replace(",", "."),
            f"hoogstens {limits.zip_members:,} bestanden".replace(",", "."),
        )
    return archive


def _size(n: int) -> str:
    return f"{n / MiB:,.0f} MB".replace(",", ".") if n >= MiB else f"{n:,} bytes".replace(",", ".")


@contextmanager
def unpacked(path: Path, limits: Limits, *, keep: set[str]) -> Iterator[Path]:
    """Unpack the members of a zip archive whose suffix is in ``keep`` into a temporary folder.

    The folder structure inside the archive is kept (a Shapefile in a subfolder stays beside its
    .dbf and .prj); macOS resource folders and hidden files are skipped. The unpacked size is
    limited by the archive's own directory and counted again while unpacking, so a zip bomb stops
    at the limit; member names are used only after every part was checked (no ``..``, no absolute
    paths). The folder is removed afterwards.
    """
    with _open_zip(path, limits) as archive:
        chosen: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            raw = info.filename.replace("\\", "/")
            rel = PurePosixPath(raw)
            if rel.is_absolute() or any(p in ("..", "") for p in rel.parts[:-1]) or "\x00" in raw:
                raise FileProblem(
                    "het zip-archief bevat een bestandsnaam die buiten het archief wijst",
                    "een gewoon zip-archief (bijv. gemaakt met 'Comprimeren' of 7-Zip)",
                )
            if any(p in _SKIPPED_PARTS or p.startswith(".") for p in rel.parts):
                continue
            if rel.suffix.lower() not in keep:
                continue
            if info.flag_bits & 0x1:
                raise FileProblem(
                    f"'{rel}' in het zip-archief is met een wachtwoord versleuteld",
                    "een zip-archief zonder wachtwoord",
                )
            chosen.append((info, rel))
        total = sum(info.file_size for info, _ in chosen)
        if total > limits.unzipped_bytes:
            raise FileProblem(
                f"uitgepakt zou het zip-archief {_size(total)} groot zijn",
                f"hoogstens {_size(limits.unzipped_bytes)} uitgepakt",
            )
        folder = Path(tempfile.mkdtemp(prefix="sia-unzip-"))
        try:
            written = 0
            for info, rel in chosen:
                target = folder.joinpath(*rel.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    with archive.open(info) as src, target.open("wb") as dst:
                        while block := src.read(MiB):
                            written += len(block)
                            if written > limits.unzipped_bytes:
                                raise FileProblem(
                                    "het zip-archief is uitgepakt groter dan het zelf opgeeft",
                                    f"hoogstens {_size(limits.unzipped_bytes)} uitgepakt",
                                )
                            dst.write(block)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                    raise FileProblem(
                        f"'{rel}' in het zip-archief is beschadigd of gebruikt een onbekende compressie",
                        "een zip-archief gemaakt met 'Comprimeren' of 7-Zip (Deflate)",
                    ) from None
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


# -- Excel workbooks -------------------------------------------------------------------------

_MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaProjectSignature\.bin|activeX/)", re.IGNORECASE)
_MACRO_TYPES = (b"macroEnabled", b"vbaProject", b"ms-excel.addin", b"ms-excel.template.macro")
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb", ".xla", ".xlm"}


def check_workbook(path: Path, limits: Limits) -> None:
    """Refuse a workbook with macros, a DTD or entities, or a too large unpacked size.

    An Office Open XML package never holds a DTD (the standard forbids it), so any ``<!DOCTYPE``
    or ``<!ENTITY`` before a part's root element is an attack on the XML parser and refused.
    """
    with _open_zip(path, limits, what="de werkmap") as archive:
        members = archive.infolist()
        names = [m.filename for m in members]
        if "[Content_Types].xml" not in names:
            raise FileProblem(
                "het bestand is een zip-archief maar geen Excel-werkmap", "een Excel-werkmap (.xlsx)"
            )
        total = sum(m.file_size for m in members)
        if total > limits.unzipped_bytes:
            raise FileProblem(
                f"uitgepakt zou de werkmap {_size(total)} groot zijn",
                f"hoogstens {_size(limits.unzipped_bytes)} (vaak helpt: lege rijen en opmaak verwijderen)",
            )
        if archive.getinfo("[Content_Types].xml").file_size > MiB:
            raise FileProblem(
                "de inhoudsopgave van de werkmap is onwaarschijnlijk groot", "een Excel-werkmap (.xlsx)"
            )
        types = archive.read("[Content_Types].xml")
        if any(_MACRO_PARTS.search(n) for n in names) or any(t in types for t in _MACRO_TYPES):
            raise FileProblem(
                "de werkmap bevat macro's (VBA) of ActiveX-elementen; die worden om veiligheidsredenen "
                "niet geaccepteerd",
                "een werkmap zonder macro's, opgeslagen als 'Excel-werkmap (.xlsx)'",
            )
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, member):
                raise FileProblem(
                    f"onderdeel '{member.filename}' van de werkmap bevat een DTD of entiteit "
                    "(<!DOCTYPE of <!ENTITY), wat in een Excel-werkmap niet voorkomt",
                    "een werkmap zoals Excel of LibreOffice die opslaat",
                )


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether the part's prolog (everything before its root element) declares a DTD or entity."""
    tail = b""
    try:
        with archive.open(member) as fh:
            while block := fh.read(65536):
                chunk = tail + block
                root = _ROOT_START.search(chunk)
                prolog = chunk if root is None else chunk[: root.start()]
                if _DTD.search(prolog):
                    return True
                if root is not None:
                    return False
                tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise FileProblem(
            f"onderdeel '{member.filename}' van de werkmap is beschadigd", "een volledige Excel-werkmap"
        ) from None
    return False
