"""Adding a source to an event updates it in place (store.event_writer._add_to_event), without
reading all its sources: what it stores must be what a full refresh from the sources stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extraction.ingest import ingest_paths
from store import event_writer
from store.event_writer import COUNT_COLUMNS, EVENT_COLUMNS, refresh_event
from store.workspace import Workspace
from tests.conftest import SEEDS

pytestmark = [pytest.mark.model, pytest.mark.slow]

# More reports of the seeds' story: other words, other dates and places for the same meeting.
ADDED = (
    "Kim Jong-un will meet Vladimir Putin in Vladivostok next week, officials in Seoul said.",
    "Kim Jong Un is expected to visit Russia this month for talks with Putin.",
    "North Korean leader Kim Jong-un arrived in Vladivostok on Tuesday to meet Vladimir Putin.",
    "The Kremlin said Putin would hold talks with Kim in the Russian Far East in September.",
)


def story(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(SEEDS / "manifest.json", folder / "manifest.json")
    for n, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        shutil.copy(path, folder / path.name)
        for k, line in enumerate(ADDED):
            (folder / f"report-{n}-{k}-{path.name}").write_text(
                f"{text}\n\n{line}\n", encoding="utf-8")
    return folder


def snapshot(ws: Workspace) -> tuple[list[tuple], ...]:
    conn = ws.db.conn
    columns = ", ".join(EVENT_COLUMNS + COUNT_COLUMNS)
    events = conn.execute(f"SELECT {columns} FROM events ORDER BY id").fetchall()
    actors = conn.execute("SELECT event_id, actor_id, role FROM event_actors "
                          "ORDER BY event_id, actor_id, role").fetchall()
    outlets = conn.execute("SELECT event_id, outlet FROM event_outlets "
                           "ORDER BY event_id, outlet").fetchall()
    triggers = conn.execute("SELECT event_id, trigger, sources, first_source FROM "
                            "event_triggers ORDER BY event_id, trigger").fetchall()
    return events, actors, outlets, triggers


def test_an_event_updated_in_place_equals_its_full_refresh(
        tmp_path: Path, store_pipeline, index_cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTMAP_CACHE_DIR", str(index_cache))
    in_place = []
    add = event_writer._add_to_event

    def counted(*args, **kwargs):
        done = add(*args, **kwargs)
        in_place.append(done)
        return done

    monkeypatch.setattr(event_writer, "_add_to_event", counted)
    folder = story(tmp_path / "story")
    with Workspace(tmp_path / "w.sqlite") as ws:
        report = ingest_paths([folder], ws, store_pipeline, workers=1)
        assert report.ok and len(report.added) == 25
        assert sum(in_place) >= 20, in_place  # the in-place path is the common one
        assert not all(in_place)  # and some sources still ask for a full refresh
        before = snapshot(ws)
        with ws.db.conn:
            for (event_id,) in ws.db.conn.execute("SELECT id FROM events").fetchall():
                refresh_event(ws.db.conn, event_id)
        assert snapshot(ws) == before
        assert max(row[-3] for row in before[0]) >= 5  # an event with five articles or more
