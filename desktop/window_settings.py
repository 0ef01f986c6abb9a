"""Window geometry, dock layout and the last workspace, in an INI file in the config folder.

The file is named explicitly (not QSettings' default location) so that it follows
store.settings.config_dir(), which tests point at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from store.settings import config_dir, default_db

LAST_WORKSPACE = "workspace/last"


def window_settings() -> QSettings:
    path = config_dir() / "window.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def last_workspace(settings: QSettings) -> Path | None:
    value = settings.value(LAST_WORKSPACE)
    return Path(str(value)) if value else None


def remember_workspace(settings: QSettings, path: Path) -> None:
    settings.setValue(LAST_WORKSPACE, str(Path(path).resolve()))
    settings.sync()


def resolve_workspace(db_path: str | Path | None, settings: QSettings) -> Path:
    """The workspace to open: the one asked for (--db, then $EVENTMAP_DB), else the last one
    (if it still exists), else the default."""
    if db_path:
        return Path(db_path)
    if os.environ.get("EVENTMAP_DB"):
        return default_db()
    last = last_workspace(settings)
    if last is not None and last.exists():
        return last
    return default_db()
