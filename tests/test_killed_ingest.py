"""A killed ingest: what was stored stays, the workspace stays consistent, a rerun finishes.

A real `eventmap ingest` process over more files than one chunk (extraction.chunks.CHUNK), so
that it is killed while a later chunk is being read and the first chunk's documents are stored.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extraction.chunks import CHUNK
from store.workspace import Workspace

pytestmark = [pytest.mark.model, pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")]

TOWNS = ["Vladivostok", "Pyongyang", "Khabarovsk", "Nakhodka", "Ussuriysk", "Wonsan"]
FILES = CHUNK + 60


def _articles(folder: Path) -> None:
    folder.mkdir()
    for i in range(FILES):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"{i:04d}.txt").write_text(
            f"Report {i}\n\nOfficials met in {town} on September {1 + i % 28}, 2023, to discuss "
            f"item {i} of the agenda. A second round is planned in Moscow.\n")


def _documents(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to reap it has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _consistent(ws: Workspace) -> None:
    db = ws.db
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # every document has its passages; every event, on the map or off it, has sources; a
    # source that names its place has that mention; an event on the map has a source whose
    # mention puts it there (a source without a place of its own may join it)
    assert db.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                      "(SELECT 1 FROM passages p WHERE p.document_id = d.id)").fetchone()[0] == 0
    assert all(e.source_count > 0 and e.sources for e in ws.events(located=None))
    assert db.execute("SELECT count(*) FROM event_sources es WHERE es.mention_id IS NOT NULL "
                      "AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.id = es.mention_id)"
                      ).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM events e WHERE e.place_id IS NOT NULL AND NOT EXISTS "
                      "(SELECT 1 FROM event_sources es JOIN mentions m ON m.id = es.mention_id "
                      "WHERE es.event_id = e.id AND m.place_id = e.place_id)").fetchone()[0] == 0


def test_a_killed_ingest_keeps_what_it_stored_and_a_rerun_finishes(tmp_path: Path) -> None:
    folder, db = tmp_path / "articles", tmp_path / "w.sqlite"
    _articles(folder)
    command = [sys.executable, "-m", "desktop.cli", "ingest", str(folder), "--db", str(db)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while _documents(db) < CHUNK // 2:  # the first chunk is being stored
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the ingest stored nothing in time"
            time.sleep(0.05)
        workers = _children(proc.pid)  # its worker processes (and multiprocessing's tracker)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert workers  # `eventmap ingest` uses a worker process per core
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers):  # the workers end with their ingest
        assert time.monotonic() < deadline, [p for p in workers if _alive(p)]
        time.sleep(0.2)
    stored = _documents(db)
    assert 0 < stored < FILES
    with Workspace(db) as ws:
        _consistent(ws)
        before = {d.id for d in ws.documents()}
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{FILES - len(before)} added, {len(before)} already stored" in rerun.stdout
    with Workspace(db) as ws:
        _consistent(ws)
        assert before <= {d.id for d in ws.documents()}  # nothing stored before was lost
        assert ws.counts().documents == FILES
