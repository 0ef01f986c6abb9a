"""Reading article files: encodings, HTML extraction, manifests and publication dates.

Every problem a user can meet here is an InputError with a one-line message; nothing is written
to the workspace from this module.
"""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from extraction.dates import find_dateline
from extraction.decoding import Decoded, decode
from extraction.manifest import MANIFEST, Manifest, ManifestEntry, load_manifest
from store.errors import InputError

__all__ = [  # Decoded, decode, Manifest, ManifestEntry, load_manifest: re-exported from here
    "Decoded", "MANIFEST", "MAX_BYTES", "Manifest", "ManifestEntry", "RawArticle", "SUFFIXES",
    "collect_files", "decode", "decoding_notes", "file_date", "format_size", "load_manifest",
    "normalise_text", "read_article", "storable_path", "text_hash",
]

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MB = 1024 * 1024  # the unit of --max-size and of the messages
MAX_BYTES = 10 * MB


@dataclass
class RawArticle:
    """An article as read from disk, before any NLP."""

    text: str
    path: str
    title: str = ""
    outlet: str | None = None
    published: str | None = None
    published_source: str = "unknown"
    encoding: str = "utf-8"
    replaced: int = 0  # bytes that were not valid in the encoding, replaced by U+FFFD

    @property
    def sha256(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def collect_files(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Article files under the given paths (folders are walked), and the paths that failed:
    missing paths, folders (or subfolders) that cannot be read, folders with no article file."""
    files: list[Path] = []
    failed: list[tuple[Path, str]] = []
    for path in paths:
        try:
            is_dir, is_file, exists = path.is_dir(), path.is_file(), path.exists()
        except OSError as e:  # e.g. a parent folder that cannot be entered
            failed.append((path, f"cannot read it ({e.strerror or e})"))
            continue
        if is_dir:
            found, unreadable = _walk(path)
            failed.extend(unreadable)
            if not found and not unreadable:
                failed.append((path, "no article files in it"))
            files.extend(found)
        elif is_file:
            files.append(path)
        elif exists:
            failed.append((path, "not a regular file"))
        else:
            failed.append((path, "no such file or folder"))
    return files, failed


def _walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The article files below a folder, and the subfolders that could not be read (os.walk
    reports them; Path.rglob skips them without a word). Symbolic links to folders are not
    followed, so a link loop cannot recurse."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []

    def report(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        unreadable.append((where, f"cannot read the folder ({error.strerror or error}); "
                                  "the files in it were not read"))

    for root, _, names in os.walk(folder, onerror=report):
        for name in names:
            candidate = Path(root, name)
            if (not name.startswith(".") and candidate.suffix.lower() in SUFFIXES
                    and candidate.is_file()):
                found.append(candidate)
    return sorted(found), unreadable


def read_article(
    path: Path, *, manifest: ManifestEntry | None = None, published: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> RawArticle:
    """Read one article file; raise InputError with a one-line reason when it cannot be used."""
    data = _read_bytes(path, max_bytes)
    decoded = decode(data)
    text = decoded.text
    meta: dict[str, str | None] = {}
    if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(text):
        text, meta = _extract_html(text)
    text = normalise_text(text)
    if not text.strip():
        raise InputError("no article text in it")
    article = RawArticle(text=text, path=storable_path(path), encoding=decoded.encoding,
                         replaced=decoded.replaced)
    article.title = (manifest and manifest.title) or meta.get("title") or _first_line_title(text)
    article.outlet = (manifest and manifest.outlet) or meta.get("outlet")
    article.published, article.published_source = _publication_date(
        path, text, manifest, published, meta.get("date")
    )
    return article


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"too large ({format_size(size, max_bytes)})")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since stat
        if len(data) > max_bytes:
            raise InputError(f"too large ({format_size(len(data), max_bytes)})")
    except PermissionError as e:
        raise InputError("permission denied") from e
    except IsADirectoryError as e:
        raise InputError("is a folder") from e
    except OSError as e:
        raise InputError(f"cannot read it ({e.strerror or e})") from e
    if not data.strip():
        raise InputError("empty file")
    return data


def storable_path(path: Path) -> str:
    """The path as text; a name whose bytes are not UTF-8 (os.fsdecode keeps them as lone
    surrogates, which SQLite and Qt refuse) gets them as \\xNN escapes."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return text


def format_size(size: int, limit: int) -> str:
    """'0.6 MB; the limit is 0.5 MB': as few decimals as tell the two apart and show neither
    as 0 MB (up to 4), else bytes."""
    for digits in (1, 2, 3, 4):
        shown, allowed = (f"{n / MB:.{digits}f}".rstrip("0").rstrip(".") for n in (size, limit))
        if shown != allowed and "0" not in (shown, allowed):
            return f"{shown} MB; the limit is {allowed} MB"
    return f"{size:,} bytes; the limit is {limit:,} bytes"


def decoding_notes(article: RawArticle) -> list[str]:
    """What the user should know about how a file was decoded (nothing for plain UTF-8)."""
    notes = []
    if not article.encoding.startswith("utf-8"):
        notes.append(f"decoded as {article.encoding}")
    if article.replaced:
        unit = "byte was" if article.replaced == 1 else "bytes were"
        label = "UTF-8" if article.encoding.startswith("utf-8") else article.encoding
        notes.append(f"{article.replaced} {unit} not valid {label} and replaced")
    return notes


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return text.strip()


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def _extract_html(html: str) -> tuple[str, dict[str, str | None]]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=False,
    )
    if doc is None:
        raise InputError("no article text found in the HTML")
    fields = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return fields.get("text") or "", {
        "title": fields.get("title"),
        "outlet": fields.get("sitename") or fields.get("hostname"),
        "date": fields.get("date"),
    }


def _first_line_title(text: str) -> str:
    first = text.lstrip().split("\n", 1)[0].strip()
    return first if len(first) <= 200 else first[:197] + "…"


def _publication_date(
    path: Path, text: str, manifest: ManifestEntry | None, user: str | None,
    html_date: str | None,
) -> tuple[str | None, str]:
    """The date and where it came from; the manifest's is already checked (extraction.manifest),
    the user's by the command line or the dialog."""
    if manifest and manifest.published:
        return manifest.published, "manifest"
    if user:
        return user, "user"
    if html_date:
        try:
            return date.fromisoformat(html_date[:10]).isoformat(), "html"
        except ValueError:
            pass
    dateline = find_dateline(text)
    if dateline:
        return dateline.isoformat(), "text"
    mtime = file_date(path.stat().st_mtime)
    return (mtime, "file time") if mtime else (None, "unknown")


def file_date(timestamp: float) -> str | None:
    """The UTC date of a file time, or None for a time beyond the calendar (years 1-9999)."""
    try:
        return datetime.fromtimestamp(timestamp, tz=UTC).date().isoformat()
    except (OSError, OverflowError, ValueError):
        return None
