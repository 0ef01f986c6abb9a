"""Desktop fixtures: one workspace holding the sample corpus, ingested once per test run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS


@pytest.fixture(scope="session")
def seeds_template(tmp_path_factory: pytest.TempPathFactory, index_cache: Path) -> Path:
    """The seeds ingested with the real pipeline; copy it (see `seeds_db`) before changing it."""
    from extraction.ingest import ingest_paths
    from extraction.pipeline import Pipeline
    from store.workspace import Workspace

    db = tmp_path_factory.mktemp("seeds-template") / "seeds.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVENTMAP_CACHE_DIR", str(index_cache))
        with Workspace(db) as ws:
            report = ingest_paths([SEEDS], ws, Pipeline())
    assert report.ok and len(report.added) == 5
    return db


@pytest.fixture
def seeds_db(seeds_template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded workspace for one test."""
    db = tmp_path / "seeds.sqlite"
    shutil.copy(seeds_template, db)
    return db


# -- the desktop app -------------------------------------------------------------------------
# QtWebEngine needs its URL scheme registered before pytest-qt creates the QApplication.
from desktop.map_view import prepare_webengine  # noqa: E402

prepare_webengine()


@pytest.fixture(scope="session")
def pipeline(index_cache: Path):
    """One loaded pipeline for every GUI import in the run (loading spaCy takes seconds)."""
    from extraction.pipeline import Pipeline

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVENTMAP_CACHE_DIR", str(index_cache))
        return Pipeline()


@pytest.fixture
def make_window(qtbot, pipeline):
    """Build a shown MainWindow on a workspace; pytest-qt closes it after the test."""
    from desktop.main_window import MainWindow

    def make(db: Path, **kwargs):
        kwargs.setdefault("pipeline_factory", lambda: pipeline)
        window = MainWindow(db, **kwargs)
        qtbot.addWidget(window)
        window.show()
        return window

    return make


@pytest.fixture
def view(qtbot):
    """A shown MapView, 1000 x 700, its page loaded (a module may define its own `view`)."""
    from desktop.map_view import MapView

    v = MapView()
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    qtbot.waitUntil(lambda: v.is_ready, timeout=30000)
    return v
