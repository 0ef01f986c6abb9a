"""What a workspace path holds, decided before anything writes to it; then opening it.

A path is inspected without changing a byte: the 100-byte SQLite header is read from the file,
and the tables and version through a read-only connection. A read-only connection to a WAL-mode
file still makes -shm and -wal files beside it, so when no -wal is there (nothing is pending
outside the main file) the inspection opens it with `immutable=1`, which makes none.

Only a missing or empty file (a new workspace) and an Eventmap workspace of a schema this version
reads are opened for writing; anything else is refused with a one-line message and left as it
was. A workspace this user cannot write (a read-only mount, another user's file) opens for
reading: `mode=ro`, or `immutable=1` when its folder cannot be written either, since SQLite could
not make the -wal and -shm files there.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from store import schema
from store.errors import (
    NotAWorkspaceError,
    NoWorkspaceError,
    WorkspaceError,
    write_error,
)
from store.held import HeldConnection, held_here, hold

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_MODE = b"\x02\x02"  # header bytes 18-19 (write and read version) of a WAL-mode file
# Tables that make an SQLite file an Eventmap workspace (others may sit beside them).
EVENTMAP_TABLES = frozenset({"documents", "passages", "places", "mentions", "events"})
BUSY_TIMEOUT_S = 30.0
_SQLITE_BUSY = 5


@dataclass(frozen=True)
class Inspection:
    """What a path holds, found without writing to it."""

    path: Path
    new: bool  # missing, empty, or an SQLite file with no tables yet: the schema is to be made
    version: int  # PRAGMA user_version (0 when new)
    file_writable: bool  # the file (for a new one: the nearest existing folder) can be written
    folder_writable: bool  # -wal, -shm and journal files can be made beside it
    wal_beside: bool  # a -wal file is beside it (changes may be pending outside the main file)

    @property
    def writable(self) -> bool:
        return self.file_writable and self.folder_writable


@dataclass
class Opened:
    conn: sqlite3.Connection
    read_only: bool
    applied: tuple[int, ...]  # schema versions this open applied (made or migrated)


def open_workspace(path: Path, *, create: bool = True) -> Opened:
    """Open the workspace at `path`: read-write when this user may write it, else read-only.

    With create=False a missing or empty file is refused (NoWorkspaceError) instead of made.
    """
    found = inspect_path(path, create=create)
    if found.writable:
        return _open_read_write(found)
    if found.new:
        folder = _existing_ancestor(path) or Path(".")
        raise WorkspaceError(
            f"Cannot create the workspace {path}: the folder {folder} cannot be written.")
    if found.version < schema.SCHEMA_VERSION:
        raise WorkspaceError(
            f"The workspace {path} is from an older Eventmap and is read-only here: open it once "
            "where it can be written, to upgrade it.")
    return _open_read_only(found)


def inspect_path(path: Path, *, create: bool = True) -> Inspection:
    """What `path` holds; raises a WorkspaceError for what is no workspace Eventmap can open."""
    path = Path(path)
    ancestor = _existing_ancestor(path)
    if ancestor is not None and not ancestor.is_dir():
        raise WorkspaceError(f"Cannot use {path} as a workspace: {ancestor} is a file, not a "
                             "folder.")
    if path.is_dir():
        raise NotAWorkspaceError(f"{path} is a folder, not a workspace file.")
    if not path.exists():
        if not create:
            raise NoWorkspaceError(f"No workspace at {path}.")
        folder = ancestor or Path(".")
        writable = os.access(folder, os.W_OK | os.X_OK)
        return Inspection(path, True, 0, writable, writable, False)
    wal_beside = Path(f"{path}-wal").exists()
    held = held_here(path)  # then it is read through SQLite only (store.held says why)
    header = b"" if held else _read_header(path)
    file_writable = os.access(path, os.W_OK)
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    if not header and not wal_beside and not held:
        if not create:
            raise NoWorkspaceError(f"No workspace at {path} (the file is empty).")
        return Inspection(path, True, 0, file_writable, folder_writable, False)
    if header and (len(header) < 100 or not header.startswith(SQLITE_HEADER)):
        raise NotAWorkspaceError(f"{path} is not an Eventmap workspace: it is not an SQLite file.")
    tables, version = _catalogue(path, header, wal_beside)
    if not tables and version == 0:  # an empty SQLite file: the schema is made in it
        if not create:
            raise NoWorkspaceError(f"No workspace at {path} (the file holds no tables).")
        return Inspection(path, True, 0, file_writable, folder_writable, wal_beside)
    if not EVENTMAP_TABLES.issubset(tables):
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise NotAWorkspaceError(
            f"{path} is not an Eventmap workspace: it is an SQLite file of another program "
            f"(tables {shown or 'none'}).")
    if version > schema.SCHEMA_VERSION:
        raise NotAWorkspaceError(schema.newer_schema_message(path, version))
    if version < 1:
        raise NotAWorkspaceError(f"{path} is not an Eventmap workspace: it has Eventmap's tables "
                                 "but no schema version.")
    return Inspection(path, False, version, file_writable, folder_writable, wal_beside)


def _existing_ancestor(path: Path) -> Path | None:
    """The nearest parent of `path` that exists (a folder, or a plain file blocking the way)."""
    for parent in Path(path).absolute().parents:
        if parent.exists():
            return parent
    return None


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(100)
    except PermissionError as e:
        raise WorkspaceError(f"Cannot read the workspace {path}: permission denied.") from e
    except OSError as e:
        raise WorkspaceError(f"Cannot read the workspace {path}: {e.strerror}.") from e


def _catalogue(path: Path, header: bytes, wal_beside: bool) -> tuple[set[str], int]:
    """The tables and user_version of an SQLite file, read without changing it.

    With no -wal beside the file, the file alone holds the database: `immutable=1` reads it
    without locks and makes no -shm/-wal (a WAL-mode file would get both with plain `mode=ro`).
    With a -wal beside it, changes may be pending there, so a `mode=ro` connection reads them.
    """
    immutable = not wal_beside and header[18:20] == WAL_MODE
    try:
        conn = _connect_read_only(path, immutable=immutable)
        try:
            conn.execute("BEGIN")  # one snapshot for both, while another opener may be writing
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute("COMMIT")
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise NotAWorkspaceError(f"{path} is not a workspace Eventmap can read: {e}.") from e
    return tables, version


def _connect_read_only(path: Path, *, immutable: bool) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                           factory=HeldConnection)


def _open_read_write(found: Inspection) -> Opened:
    path = found.path
    if found.new:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise write_error(e, path) or WorkspaceError(
                f"Cannot create the workspace {path}: {e.strerror}.") from e
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S,
                               factory=HeldConnection)
    except sqlite3.Error as e:
        raise WorkspaceError(f"Cannot open the workspace {path}: {e}.") from e
    try:
        _use_wal(conn)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        if not found.new and found.version < schema.SCHEMA_VERSION:
            back_up(conn, path, found.version)
        applied = schema.migrate(conn, path)
    except WorkspaceError:
        conn.close()
        raise
    except sqlite3.Error as e:
        conn.close()
        raise write_error(e, path) or WorkspaceError(
            f"Cannot open the workspace {path}: {e}.") from e
    hold(path, conn)
    return Opened(conn, read_only=False, applied=applied)


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a workspace is kept before it is upgraded from `version`."""
    return path.with_name(f"{path.stem}.schema{version}-backup{path.suffix or '.sqlite'}")


def back_up(conn: sqlite3.Connection, path: Path, version: int) -> Path | None:
    """Copy the workspace (through SQLite's backup API, consistent even while others write)
    before an upgrade changes it; an earlier copy is kept as it is. None when it exists."""
    target = backup_path(path, version)
    if target.exists():
        return None
    partial = target.with_name(target.name + ".partial")
    copy = sqlite3.connect(str(partial))
    try:
        conn.backup(copy)
    except sqlite3.Error as e:
        copy.close()
        partial.unlink(missing_ok=True)
        raise write_error(e, target) or WorkspaceError(
            f"Cannot upgrade the workspace {path}: its copy {target} could not be written "
            f"({e}).") from e
    copy.close()
    partial.replace(target)
    log.info("Copied %s to %s before upgrading it from schema %d", path, target, version)
    return target


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL mode. Several openers of a new file at once may find it locked: SQLite
    returns SQLITE_BUSY for this switch without calling the busy handler, so wait here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            conn.execute("PRAGMA journal_mode=WAL").fetchone()
            return  # in WAL mode now (or in the mode the file system allows)
        except sqlite3.OperationalError as e:
            if getattr(e, "sqlite_errorcode", 0) & 0xFF != _SQLITE_BUSY or (
                    time.monotonic() > deadline):
                raise
            time.sleep(0.005)


def _open_read_only(found: Inspection) -> Opened:
    # Without a writable folder SQLite cannot make the -wal/-shm files a WAL-mode file needs, so
    # the file is read as immutable: right while no one else writes it, as here, where no one can.
    immutable = not found.folder_writable and not found.wal_beside
    try:
        conn = _connect_read_only(found.path, immutable=immutable)
        conn.execute("PRAGMA query_only=ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as e:
        raise WorkspaceError(f"Cannot open the read-only workspace {found.path}: {e}.") from e
    if not immutable:  # an immutable connection takes no locks
        hold(found.path, conn)
    return Opened(conn, read_only=True, applied=())
