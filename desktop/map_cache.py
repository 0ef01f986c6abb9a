"""The map's payload of a workspace, kept between sessions: reopening a large workspace draws
its map from the payload of the last read while the events are read again.

A payload is kept under the workspace's path, with a stamp of the workspace's state (size and
modification time of the file and of its write-ahead log, taken before the read that made it)
and of the payload's format (the encoder's source). A payload whose stamp no longer matches is
not used. One that matches but is stale (a file system with coarse times) is only shown briefly:
the window reads the events anyway and replaces a payload that differs
(desktop.workspace_data). A cache only: any failure to read or write it is logged and ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import lru_cache
from pathlib import Path

from desktop import map_payload
from store import event_families
from store.settings import cache_dir

log = logging.getLogger(__name__)

KEPT = 4  # workspaces whose map is kept (the most recently read)


def workspace_stamp(path: str | Path) -> str:
    """The state of the workspace file and its write-ahead log, as size and modification
    time: any committed write changes it."""
    parts = []
    for file in (Path(path), Path(f"{path}-wal")):
        try:
            st = file.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        if file.name.endswith("-wal"):
            # made anew (empty) by each first connection: only what it holds tells
            parts.append(f"{st.st_size}:{st.st_mtime_ns}" if st.st_size else "-")
        else:
            parts.append(f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
    return " ".join(parts)


def cached_payload(path: str | Path, stamp: str) -> bytes | None:
    """The payload kept for this workspace in this state and format, or None."""
    try:
        raw = _file(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        log.warning("Cannot read the map cache: %s", e)
        return None
    head, _, payload = raw.partition(b"\n")
    try:
        kept = json.loads(head)
    except ValueError:
        return None
    if kept != {"stamp": stamp, "format": _format(), "path": str(Path(path).resolve())}:
        return None
    return payload


def keep_payload(path: str | Path, stamp: str, payload: bytes) -> None:
    """Keep the payload read from the workspace in the state `stamp` says (written whole or
    not at all); the oldest kept payloads beyond KEPT are removed."""
    file = _file(path)
    head = json.dumps({"stamp": stamp, "format": _format(), "path": str(Path(path).resolve())})
    partial = file.with_suffix(".part")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(head.encode() + b"\n" + payload)
        os.replace(partial, file)
        _prune(file.parent)
    except OSError as e:
        log.warning("Cannot keep the map in the cache: %s", e)
        partial.unlink(missing_ok=True)


def _file(path: str | Path) -> Path:
    key = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:20]
    return cache_dir() / "maps" / f"{key}.bin"


@lru_cache(maxsize=1)
def _format() -> str:
    """The encoder's source and the families' (their keys are in the payload)."""
    digest = hashlib.sha1()
    for module in (map_payload, event_families):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


def _prune(folder: Path) -> None:
    kept = sorted(folder.glob("*.bin"), key=lambda f: f.stat().st_mtime_ns, reverse=True)
    for old in kept[KEPT:]:
        old.unlink(missing_ok=True)
