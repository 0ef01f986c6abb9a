"""Reading article files: encodings, HTML extraction, manifests and publication dates.

Every problem a user can meet here is an InputError with a one-line message; nothing is written
to the workspace from this module.
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import charset_normalizer

from extraction.dates import find_dateline
from store.errors import InputError

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_BYTES = 10 * 1024 * 1024
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


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

    @property
    def sha256(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def collect_files(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Article files under the given paths (folders are walked), and the paths that failed."""
    files: list[Path] = []
    failed: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            try:
                found = sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
                )
            except OSError as e:
                failed.append((path, f"cannot read the folder: {e.strerror or e}"))
                continue
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            failed.append((path, "not a regular file"))
        else:
            failed.append((path, "no such file or folder"))
    return files, failed


def load_manifest(folder: Path) -> dict[str, ManifestEntry]:
    """Titles, outlets and dates from a folder's manifest.json, keyed by file name."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = data["documents"] if isinstance(data, dict) else data
        return {
            str(d["file"]): ManifestEntry(d.get("title"), d.get("outlet"), d.get("published"))
            for d in docs
        }
    except (OSError, ValueError, KeyError, TypeError) as e:
        log.warning("Ignoring the unreadable manifest %s: %s", path, e)
        return {}


def read_article(
    path: Path, *, manifest: ManifestEntry | None = None, published: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> RawArticle:
    """Read one article file; raise InputError with a one-line reason when it cannot be used."""
    data = _read_bytes(path, max_bytes)
    text, encoding = decode(data)
    meta: dict[str, str | None] = {}
    if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(text):
        text, meta = _extract_html(text)
    text = normalise_text(text)
    if not text.strip():
        raise InputError("no article text in it")
    article = RawArticle(text=text, path=str(path), encoding=encoding)
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
            raise InputError(
                f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)"
            )
        data = path.read_bytes()
    except PermissionError as e:
        raise InputError("permission denied") from e
    except IsADirectoryError as e:
        raise InputError("is a folder") from e
    except OSError as e:
        raise InputError(f"cannot read it ({e.strerror or e})") from e
    if not data.strip():
        raise InputError("empty file")
    return data


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name; raise InputError for binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("binary file, not text (no text encoding fits it)")
    text = str(best)
    if _control_share(text) > 0.05:
        raise InputError("binary file, not text")
    return text, best.encoding


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return bad / len(sample)


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
) -> tuple[str, str]:
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
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    return mtime.isoformat(), "file time"
