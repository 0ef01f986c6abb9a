"""The command line on paths that are no workspace: one line, exit 1, no traceback, no change."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from tests.conftest import REPO


def eventmap(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=REPO)


def one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 1, done
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("eventmap: "), done.stderr
    assert all(n in lines[0] for n in needles), lines[0]
    assert done.stdout == ""


def test_summary_of_a_foreign_sqlite_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for command in (["summary"], ["export", "--format", "geojson"]):
        one_line_error(eventmap(*command, "--db", str(path)), "not an Eventmap workspace",
                       "tables orders, users")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]  # no -wal, no -shm


def test_a_db_below_a_plain_file_is_one_line(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("hello")
    one_line_error(eventmap("summary", "--db", str(plain / "w.sqlite")), "is a file, not a folder")


@pytest.mark.parametrize("command", [["summary"], ["export", "--format", "csv"],
                                     ["export", "--format", "html", "-o", "out.html"]])
def test_reading_commands_refuse_a_missing_workspace_and_make_none(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "folder" / "w.sqlite"
    assert main([*command, "--db", str(path)]) == 1
    assert capsys.readouterr().err == f"eventmap: No workspace at {path}.\n"
    assert not (tmp_path / "folder").exists()



def test_ingest_never_reads_its_own_workspace(tmp_path: Path, capsys) -> None:
    """`eventmap ingest story.txt --db story.txt`: the workspace is skipped by name, not read
    (reading it in this process would drop SQLite's locks on it)."""
    from store.workspace import Workspace

    db = tmp_path / "story.txt"  # an article suffix, so the folder scan would pick it up
    Workspace(db).close()
    assert main(["ingest", str(tmp_path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "the workspace itself" in err and "binary" not in err
    with Workspace(db) as ws:
        assert ws.counts().documents == 0
