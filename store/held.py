"""The workspace files this process holds open through SQLite, which nothing may open beside it.

SQLite locks a file with POSIX advisory locks, and those belong to the process: closing *any*
descriptor on the file, even one opened just to read its 100-byte header, drops every lock the
process's connections hold on it ("How To Corrupt An SQLite Database File", section 2.2; SQLite
itself defers such closes, Python's open() does not). Another program reading the workspace then
takes its closing connection for the last one, checkpoints, and deletes the -wal and -shm files
under connections that are still writing. So a file held here is inspected through SQLite only.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Iterable
from pathlib import Path

WORKSPACE_SIDE_FILES = ("-wal", "-shm", "-journal")  # what SQLite keeps beside a workspace


class HeldConnection(sqlite3.Connection):
    """A workspace connection (a subclass only so that it can be referenced weakly)."""


_held: dict[tuple[int, int], weakref.WeakSet[sqlite3.Connection]] = {}
_lock = threading.Lock()


def _key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def hold(path: Path, conn: sqlite3.Connection) -> None:
    """Note that `conn` (a HeldConnection) holds `path` until it is closed or collected."""
    key = _key(path)
    if key is not None:
        with _lock:
            _held.setdefault(key, weakref.WeakSet()).add(conn)


def held_here(path: Path) -> bool:
    """Whether a connection of this process (any thread) has `path` open and is not closed."""
    key = _key(path)
    if key is None:
        return False
    with _lock:
        for conn in list(_held.get(key, ())):
            try:
                conn.total_changes  # noqa: B018  # raises once closed; not bound to a thread
            except sqlite3.ProgrammingError:
                continue
            return True
    return False


def workspace_files(db: Path) -> set[Path]:
    """The workspace file and the files SQLite keeps beside it, as absolute paths."""
    db = Path(os.path.abspath(db))
    return {db} | {db.with_name(db.name + side) for side in WORKSPACE_SIDE_FILES}


def without_workspace_files(paths: Iterable[str | Path],
                            db: Path | None) -> tuple[list[str | Path], list[str | Path]]:
    """`paths` split into those to import and the open workspace's own files (compared by
    name, without opening or even stat-ing them)."""
    if db is None:
        return list(paths), []
    own = workspace_files(db)
    kept: list[str | Path] = []
    refused: list[str | Path] = []
    for path in paths:
        (refused if Path(os.path.abspath(path)) in own else kept).append(path)
    return kept, refused
