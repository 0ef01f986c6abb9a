"""An ingest with worker processes stores exactly what one process stores."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from extraction import ingest
from extraction.ingest import ingest_paths
from extraction.pipeline import Pipeline
from store.workspace import Workspace
from tests.conftest import SEEDS

pytestmark = [pytest.mark.model, pytest.mark.slow]


def corpus(folder: Path) -> Path:
    """The seeds and a variant of each (another last paragraph: another document)."""
    folder.mkdir()
    shutil.copy(SEEDS / "manifest.json", folder / "manifest.json")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        shutil.copy(path, folder / path.name)
        (folder / f"variant-{path.name}").write_text(
            text + "\n\nOfficials in Seoul said the talks in Vladivostok would go ahead.\n",
            encoding="utf-8")
    return folder


def contents(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (but the ingest time and the full-text index's internals)."""
    conn = sqlite3.connect(db)
    try:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'passages_fts%'")]
        out = {}
        for table in tables:
            columns = [f'"{c[1]}"' for c in conn.execute(f'PRAGMA table_info("{table}")')
                       if c[1] != "ingested_at"]
            out[table] = conn.execute(
                f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY rowid').fetchall()
        return out
    finally:
        conn.close()


def test_worker_processes_store_what_one_process_stores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path / "articles")
    monkeypatch.setattr(ingest, "CHUNK", 3)  # several chunks: the workers run ahead of storing
    pipeline = Pipeline()
    reports = {}
    for workers in (1, 2):
        with Workspace(tmp_path / f"w{workers}.sqlite") as ws:
            reports[workers] = ingest_paths([folder], ws, pipeline, workers=workers)
        pipeline.normaliser = type(pipeline.normaliser)(pipeline.gazetteer)  # a fresh run
    one, two = contents(tmp_path / "w1.sqlite"), contents(tmp_path / "w2.sqlite")
    assert len(reports[2].added) == 10 and reports[2].ok
    assert [p for p, _ in reports[1].added] == [p for p, _ in reports[2].added]
    assert len(one["events"]) > 50 and len(one["documents"]) == 10
    for table in one:
        assert one[table] == two[table], table


def test_a_second_run_with_workers_finds_every_file_stored(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "articles")
    pipeline = Pipeline()
    with Workspace(tmp_path / "w.sqlite") as ws:
        assert len(ingest_paths([folder], ws, pipeline, workers=2).added) == 10
        again = ingest_paths([folder], ws, pipeline, workers=2)
    assert not again.added and len(again.duplicates) == 10
