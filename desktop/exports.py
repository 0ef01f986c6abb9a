"""Export targets of the Export menu: formats, file filters, and writing events as data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.export import WRITERS
from store.errors import EventmapError
from store.models import EventRecord


class ExportError(EventmapError):
    """An export's file cannot be written where asked."""


@dataclass(frozen=True)
class ExportTarget:
    key: str  # what the Export menu and window.export() use
    label: str
    suffix: str
    file_filter: str


VIEW_TARGETS = [
    ExportTarget("png", "Map as PNG…", ".png", "PNG image (*.png)"),
    ExportTarget("png2x", "Map as PNG at 2× resolution…", ".png", "PNG image (*.png)"),
    ExportTarget("pdf", "Map as PDF with sources…", ".pdf", "PDF document (*.pdf)"),
    ExportTarget("html", "Map as offline HTML…", ".html", "HTML page (*.html)"),
]
DATA_TARGETS = [
    ExportTarget("geojson", "Events as GeoJSON…", ".geojson", "GeoJSON (*.geojson *.json)"),
    ExportTarget("kml", "Events as KML…", ".kml", "KML (*.kml)"),
    ExportTarget("csv", "Events as CSV…", ".csv", "CSV (*.csv)"),
]
TARGETS = {t.key: t for t in VIEW_TARGETS + DATA_TARGETS}


def with_suffix(path: str | Path, target: ExportTarget) -> Path:
    path = Path(path)
    return path if path.suffix else path.with_suffix(target.suffix)


def check_output(out: str | Path) -> Path:
    """The file an export will write, refused in one line when it cannot be: a folder, or a
    file in a folder that does not exist."""
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"{out} is a folder: give a file name, such as {out / 'events'}.")
    if not out.parent.is_dir():
        raise ExportError(f"No folder {out.parent} to write {out.name} in.")
    return out


def write_events(events: list[EventRecord], fmt: str, out: str | Path, **options) -> Path:
    """Write events with geo.export's writer for `fmt` (geojson, kml, csv); `options` go to the
    writer (csv: rows="sources")."""
    out = check_output(out)
    text = WRITERS[fmt](events, **options)
    try:
        # Excel reads a CSV as UTF-8 only after a byte-order mark ("’" would show as "â€™")
        out.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    except OSError as e:
        raise ExportError(f"Cannot write {out}: {e.strerror or e}.") from e
    return out
