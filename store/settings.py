"""Where Eventmap keeps its files. Each folder has an environment override (used by the tests)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "eventmap"
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("EVENTMAP_DATA_DIR") or platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    """Built indexes (the gazetteer). Safe to delete: rebuilt on next use."""
    return Path(os.environ.get("EVENTMAP_CACHE_DIR") or platformdirs.user_cache_dir(APP))


def config_dir() -> Path:
    """The desktop app's window settings (geometry, dock layout, last workspace)."""
    return Path(os.environ.get("EVENTMAP_CONFIG_DIR") or platformdirs.user_config_dir(APP))


def log_dir() -> Path:
    return Path(os.environ.get("EVENTMAP_LOG_DIR") or platformdirs.user_log_dir(APP))


def default_db() -> Path:
    return Path(os.environ.get("EVENTMAP_DB") or data_dir() / "workspace.sqlite")


def resources_dir() -> Path:
    return REPO_ROOT / "resources"


def seeds_dir() -> Path:
    return REPO_ROOT / "seeds"
