"""What a workspace path holds is decided before anything writes to it (store.opening).

A refused file must be left byte-identical, with no -wal, -shm or -journal made beside it; a new
workspace's schema is made exactly once however many processes open it at once.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from store import schema
from store.errors import NotAWorkspaceError, NoWorkspaceError, WorkspaceError
from store.workspace import Workspace
from tests.store.test_workspace import VLADIVOSTOK, make_doc


def state(path: Path) -> tuple[str, list[str]]:
    """The file's bytes (hashed) and the names in its folder."""
    names = sorted(p.name for p in path.parent.iterdir())
    return hashlib.sha256(path.read_bytes()).hexdigest(), names


def foreign_file(path: Path, journal_mode: str) -> Path:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode={journal_mode}")
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO users (name) VALUES ('ann')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_a_foreign_sqlite_file_is_refused_and_left_as_it_was(tmp_path: Path,
                                                              journal_mode: str) -> None:
    path = foreign_file(tmp_path / "shop.db", journal_mode)
    before = state(path)
    for create in (True, False):
        with pytest.raises(NotAWorkspaceError, match=r"not an Eventmap workspace.*orders, users"):
            Workspace(path, create=create)
    assert state(path) == before  # same bytes, and no -wal/-shm/-journal beside it
    assert path.read_bytes()[18:20] == (b"\x02\x02" if journal_mode == "wal" else b"\x01\x01")


def test_a_newer_workspace_is_refused_without_a_write(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    with Workspace(path) as ws:
        ws.add_document(make_doc("They meet in Vladivostok.", VLADIVOSTOK, None))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = state(path)
    assert int.from_bytes(path.read_bytes()[60:64], "big") == 99
    with pytest.raises(NotAWorkspaceError, match=r"newer Eventmap \(schema 99\)"):
        Workspace(path)
    assert state(path) == before


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b"SQLite format 3\x00",
                                     b"\x00" * 4096])
def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_was(tmp_path: Path,
                                                                 content: bytes) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    before = state(path)
    with pytest.raises(NotAWorkspaceError, match="not an SQLite file|cannot read"):
        Workspace(path)
    assert state(path) == before


def test_a_path_below_a_plain_file_or_a_folder_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("hello")
    with pytest.raises(WorkspaceError, match=r"notes.txt is a file, not a folder"):
        Workspace(plain / "sub" / "w.sqlite")
    with pytest.raises(WorkspaceError, match="is a folder, not a workspace file"):
        Workspace(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    assert plain.read_text() == "hello"


def test_a_missing_workspace_is_refused_when_not_to_be_made(tmp_path: Path) -> None:
    path = tmp_path / "folder" / "w.sqlite"
    with pytest.raises(NoWorkspaceError, match="No workspace at"):
        Workspace.open_existing(path)
    assert not (tmp_path / "folder").exists()
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with pytest.raises(NoWorkspaceError, match="the file is empty"):
        Workspace.open_existing(empty)
    assert state(empty)[1] == ["empty.sqlite"]


def test_a_missing_an_empty_file_and_an_empty_database_become_workspaces(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    blank = tmp_path / "blank.sqlite"
    sqlite3.connect(blank).execute("VACUUM").connection.close()  # an SQLite file, no tables
    assert blank.stat().st_size > 0
    for path in (tmp_path / "sub" / "new.sqlite", empty, blank):
        with Workspace(path) as ws:
            assert ws.schema_applied == tuple(range(1, schema.SCHEMA_VERSION + 1))
            assert not ws.read_only
            ws.add_document(make_doc("They meet in Vladivostok.", VLADIVOSTOK, None))
        with Workspace.open_existing(path) as ws:
            assert ws.schema_applied == ()
            assert ws.counts().documents == 1
        assert path.read_bytes()[18:20] == b"\x02\x02"  # WAL mode


def test_an_older_workspace_is_migrated_in_one_transaction(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.sqlite"
    with Workspace(path) as ws:
        ws.add_document(make_doc("They meet in Vladivostok.", VLADIVOSTOK, None))
    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    # the second statement fails: the first must not stay, nor the version change
    monkeypatch.setitem(schema.MIGRATIONS, current + 1,
                        "CREATE TABLE later (x);\nINSERT INTO no_such_table VALUES (1);\n")
    with pytest.raises(WorkspaceError, match="no such table"):
        Workspace(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == current
    later = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'later'").fetchone()[0]
    assert later == 0
    conn.close()
    monkeypatch.setitem(schema.MIGRATIONS, current + 1,
                        "CREATE TABLE later (x);\nCREATE TRIGGER later_t AFTER INSERT ON later "
                        "BEGIN\n  UPDATE later SET x = 1;\nEND;\n")
    with Workspace(path) as ws:
        assert ws.schema_applied == (current + 1,)
        assert ws.db.execute("PRAGMA user_version").fetchone()[0] == current + 1
        assert ws.counts().documents == 1
        assert ws.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def _open_at_once(path: str, barrier, results) -> None:
    barrier.wait()
    try:
        with Workspace(path) as ws:
            results.put(("ok", ws.schema_applied))
    except Exception as e:  # report every failure to the test, whatever it is
        results.put(("error", f"{type(e).__name__}: {e}"))


def test_many_first_opens_at_once_make_the_schema_exactly_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    openers, rounds = 12, 8
    for n in range(rounds):
        path = tmp_path / f"w{n}.sqlite"
        barrier, results = ctx.Barrier(openers), ctx.Queue()
        procs = [ctx.Process(target=_open_at_once, args=(str(path), barrier, results))
                 for _ in range(openers)]
        for p in procs:
            p.start()
        got = [results.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert [g for g in got if g[0] == "error"] == []
        made = [g for g in got if g[1]]
        assert made == [("ok", tuple(range(1, schema.SCHEMA_VERSION + 1)))]
        with Workspace.open_existing(path) as ws:
            assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
