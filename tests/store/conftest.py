"""Store fixtures: the sample corpus ingested once with the real pipeline, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS


@pytest.fixture(scope="session")
def store_pipeline(index_cache: Path):
    """One loaded pipeline for the store tests that ingest (loading spaCy takes seconds)."""
    from extraction.pipeline import Pipeline

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVENTMAP_CACHE_DIR", str(index_cache))
        return Pipeline()


@pytest.fixture(scope="session")
def store_seeds_template(tmp_path_factory: pytest.TempPathFactory, index_cache: Path,
                         store_pipeline) -> Path:
    from extraction.ingest import ingest_paths
    from store.workspace import Workspace

    db = tmp_path_factory.mktemp("store-seeds") / "seeds.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVENTMAP_CACHE_DIR", str(index_cache))
        with Workspace(db) as ws:
            report = ingest_paths([SEEDS], ws, store_pipeline)
    assert report.ok and len(report.added) == 5
    return db


@pytest.fixture
def seeds_ws(store_seeds_template: Path, tmp_path: Path):
    """An open Workspace on a private copy of the seeded workspace."""
    from store.workspace import Workspace

    db = tmp_path / "seeds.sqlite"
    shutil.copy(store_seeds_template, db)
    with Workspace(db) as ws:
        yield ws
