"""Window geometry, dock layout and the last workspace, in an INI file in the config folder.

The file is named explicitly (not QSettings' default location) so that it follows
store.settings.config_dir(), which tests point at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from store.settings import config_dir, default_db

LAST_WORKSPACE = "workspace/last"
STATE_VERSION = 1  # bump when the docks change so that an old layout is not restored


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


def restore_layout(window: QMainWindow, settings: QSettings) -> bool:
    """Geometry and docks as the analyst left them; False when there was no saved layout."""
    geometry = settings.value("window/geometry")
    state = settings.value("window/state")
    if geometry is not None:
        window.restoreGeometry(geometry)
    return state is not None and window.restoreState(state, STATE_VERSION)


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(STATE_VERSION))
    settings.sync()
