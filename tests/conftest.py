"""Test setup: Qt offscreen, every Eventmap folder under tmp_path, one gazetteer index per run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The gazetteer index is built once per test run and shared by every test."""
    return tmp_path_factory.mktemp("eventmap-cache")


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, index_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EVENTMAP_CACHE_DIR", str(index_cache))
    monkeypatch.setenv("EVENTMAP_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.setenv("EVENTMAP_DB", str(tmp_path / "data" / "workspace.sqlite"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
