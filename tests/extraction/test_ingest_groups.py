"""An ingest stores its documents a group at a time (extraction.ingest.STORE_GROUP): the same
workspace as a transaction each, and a document that cannot be stored costs only itself.

Real spaCy pipeline, real SQLite workspaces under tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction import ingest
from extraction.ingest import ingest_paths
from extraction.pipeline import Pipeline
from store.workspace import Workspace
from tests.extraction.test_parallel_ingest import contents

pytestmark = [pytest.mark.model, pytest.mark.slow]

TOWNS = ["Vladivostok", "Pyongyang", "Khabarovsk", "Seoul", "Nakhodka"]


def articles(folder: Path, count: int = 7) -> Path:
    folder.mkdir()
    for i in range(count):
        town, other = TOWNS[i % len(TOWNS)], TOWNS[(i + 2) % len(TOWNS)]
        (folder / f"{i:02d}.txt").write_text(
            f"Report {i}\n\nOfficials met in {town} on September {1 + i}, 2023, and agreed to "
            f"build a bridge. Minister Lavrov will visit {other} next week.\n")
    return folder


def fresh(pipeline: Pipeline) -> Pipeline:
    """The pipeline as if just loaded: its actor links forget the runs before."""
    pipeline.normaliser = type(pipeline.normaliser)(pipeline.gazetteer)
    return pipeline


def test_groups_store_what_a_transaction_each_stores(
        tmp_path: Path, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = articles(tmp_path / "articles")
    monkeypatch.setattr(ingest, "CHUNK", 4)
    reports = {}
    for group in (1, 3):
        monkeypatch.setattr(ingest, "STORE_GROUP", group)
        with Workspace(tmp_path / f"g{group}.sqlite") as ws:
            reports[group] = ingest_paths([folder], ws, fresh(pipeline))
    assert reports[1].added == reports[3].added and len(reports[3].added) == 7
    one, three = contents(tmp_path / "g1.sqlite"), contents(tmp_path / "g3.sqlite")
    assert len(one["events"]) >= 7
    for table in one:
        assert one[table] == three[table], table


def test_a_document_that_cannot_be_stored_costs_only_itself(
        tmp_path: Path, pipeline: Pipeline) -> None:
    folder = articles(tmp_path / "articles")
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.db.execute("CREATE TRIGGER refuse BEFORE INSERT ON documents "
                      "WHEN new.path LIKE '%03.txt' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        report = ingest_paths([folder], ws, fresh(pipeline))
        stored = {d.id: Path(d.path).name for d in ws.documents()}
        assert ws.search_passages("Report 3") == []
    assert report.skipped == [(str(folder / "03.txt"), "internal error (IntegrityError: refused)")]
    assert {i: Path(p).name for p, i in report.added} == stored
    assert sorted(stored.values()) == [f"{i:02d}.txt" for i in range(7) if i != 3]


def test_a_cancelled_ingest_reports_what_it_stored(tmp_path: Path, pipeline: Pipeline) -> None:
    folder = articles(tmp_path / "articles")
    seen: list[int] = []
    with Workspace(tmp_path / "w.sqlite") as ws:
        report = ingest_paths([folder], ws, fresh(pipeline),
                              progress=lambda done, total, _: seen.append(done),
                              cancelled=lambda: len(seen) >= 3)
        stored = ws.counts().documents
    assert report.cancelled
    # the third file read, cancelled before the fourth: the first one finished is stored
    assert [Path(p).name for p, _ in report.added] == ["00.txt"] and stored == 1
