"""Errors a user can meet, with messages written for that user."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

_SQLITE_READONLY = 8
_SQLITE_FULL = 13


class EventmapError(Exception):
    """Base of the errors the command line and the GUI turn into a message."""


class WorkspaceError(EventmapError):
    """The workspace file cannot be opened or written."""


class NoWorkspaceError(WorkspaceError):
    """There is no workspace at the path, and the command does not make one."""


class NotAWorkspaceError(WorkspaceError):
    """The path holds something that is not an Eventmap workspace this version can read; it is
    left exactly as it was."""


class WorkspaceWriteError(WorkspaceError):
    """No write to the workspace can succeed now: every later document would fail the same way,
    so an ingest stops at the first one."""


class StorageFullError(WorkspaceWriteError):
    def __init__(self, path: str | Path):
        super().__init__(f"The disk holding the workspace {path} is full.")


class ReadOnlyWorkspaceError(WorkspaceWriteError):
    def __init__(self, path: str | Path):
        super().__init__(f"The workspace {path} is read-only here (its file or folder cannot be "
                         "written).")


class InputError(EventmapError):
    """An input file was skipped; the message says why in one line."""


def write_error(error: sqlite3.Error | OSError, path: str | Path) -> WorkspaceWriteError | None:
    """The WorkspaceWriteError that a failed write means, or None for any other failure."""
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return StorageFullError(path)
        return ReadOnlyWorkspaceError(path) if error.errno == errno.EROFS else None
    code = getattr(error, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    text = str(error).lower()
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return StorageFullError(path)
    if primary == _SQLITE_READONLY or "readonly database" in text:
        return ReadOnlyWorkspaceError(path)
    return None


class SettingsError(EventmapError):
    """An option or setting is missing or wrong; the message says which and how to fix it."""
