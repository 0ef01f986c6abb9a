"""A folder's manifest.json: titles, outlets and publication dates of its article files.

A manifest is written by hand or by other tools, so any field may be of the wrong type. A bad
field costs that field only (with a warning), a bad entry that entry only; a manifest that
cannot be read at all (not JSON, nested too deep) is ignored with one warning. Never an
exception: the folder's files go in all the same.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 50 * 1024 * 1024
MAX_DIGITS = 50  # longer integers are kept as an infinite number, not parsed


@dataclass(frozen=True)
class ManifestEntry:
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # an ISO date (YYYY-MM-DD) within the calendar


@dataclass(frozen=True)
class Manifest(Mapping[str, ManifestEntry]):
    """The entries of one manifest by file name, and one line for each problem found in it."""

    path: Path | None = None
    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> ManifestEntry:
        return self.entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def load_manifest(folder: Path) -> Manifest:
    """The folder's manifest.json, or an empty Manifest when it has none."""
    path = folder / MANIFEST
    if not path.is_file():
        return Manifest(path)
    try:
        manifest = _parse(path)
    except _Unusable as e:
        manifest = Manifest(path, {}, [f"ignored: {e}"])
    if manifest.warnings:
        more = f" (and {len(manifest.warnings) - 1} more)" if len(manifest.warnings) > 1 else ""
        log.warning("%s: %s%s", path, manifest.warnings[0], more)
    return manifest


class _Unusable(Exception):
    """The whole manifest cannot be used; the message says why, for the user."""


def _parse(path: Path) -> Manifest:
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise _Unusable(f"larger than {MAX_MANIFEST_BYTES // (1024 * 1024)} MB")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise _Unusable(f"cannot read it ({e.strerror or e})") from e
    except UnicodeDecodeError as e:
        raise _Unusable("not UTF-8 text") from e
    try:
        data = json.loads(text, parse_int=_integer)
    except RecursionError as e:
        raise _Unusable("nested too deep") from e
    except ValueError as e:  # JSONDecodeError is a ValueError
        raise _Unusable(f"not valid JSON ({e})") from e
    docs = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(docs, list):
        raise _Unusable('no list of documents (a list, or an object with a "documents" list)')
    entries: dict[str, ManifestEntry] = {}
    warnings: list[str] = []
    for number, doc in enumerate(docs, start=1):
        _add_entry(number, doc, entries, warnings)
    return Manifest(path, entries, warnings)


def _integer(digits: str) -> int | float:
    """JSON integers; a huge one (Python refuses over 4,300 digits) becomes an infinity."""
    if len(digits) <= MAX_DIGITS:
        return int(digits)
    return -math.inf if digits.startswith("-") else math.inf


def _add_entry(
    number: int, doc: Any, entries: dict[str, ManifestEntry], warnings: list[str]
) -> None:
    if not isinstance(doc, dict):
        warnings.append(f"entry {number} is {_kind(doc)}, not an object; left out")
        return
    name = doc.get("file")
    if not isinstance(name, str) or not name.strip():
        what = "no" if name is None else "an empty" if name == "" else f"{_kind(name)} as its"
        warnings.append(f'entry {number} has {what} "file" name; left out')
        return
    label = f"entry {number} ({_short(name)})"
    if name in entries:
        warnings.append(f"{label}: the file is listed twice; the first entry is used")
        return
    title = _text(doc, "title", label, warnings)
    outlet = _text(doc, "outlet", label, warnings)
    published = _published(doc, label, warnings)
    entries[name] = ManifestEntry(title, outlet, published)


def _text(doc: dict, key: str, label: str, warnings: list[str]) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        warnings.append(f'{label}: "{key}" is {_kind(value)}, not text; left out')
        return None
    return " ".join(value.split()) or None


def _published(doc: dict, label: str, warnings: list[str]) -> str | None:
    value = doc.get("published")
    if value is None:
        return None
    parsed = iso_date(value) if isinstance(value, str) else None
    if parsed is None:
        shown = _short(value) if isinstance(value, str) else _kind(value)
        warnings.append(f'{label}: "published" is {shown}, not a date (YYYY-MM-DD); left out')
    return parsed


def iso_date(value: str) -> str | None:
    """YYYY-MM-DD for an ISO date or date-time within the calendar (years 1 to 9999), else None."""
    value = value.strip()
    if len(value) < 10 or not value[:4].isdigit() or value[4:5] != "-":
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return "text"


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
