"""A full disk and a read-only workspace, for real: a small tmpfs that fills up, a tmpfs or a single
file mounted read-only, SQLite's own limit on the database size, and another user (setuid) who
may read a workspace but not write it. Root bypasses file permissions, so permissions alone
cannot make a read-only workspace here.

Mounting needs root (and a sandbox that allows it); those tests skip where it is refused.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import desktop.cli  # imported before any setuid child: it cannot read /root afterwards
import geo.export  # noqa: F401  # (the same: cmd_export imports it)
from store.errors import ReadOnlyWorkspaceError, StorageFullError
from store.workspace import Workspace
from tests.store.test_workspace import VLADIVOSTOK, make_doc

NOBODY = 65534


def doc(n: int, size: int = 4000):
    return make_doc(f"Meeting {n} in Vladivostok. " + "word " * (size // 5), VLADIVOSTOK, None)


def fill(ws: Workspace, limit: int = 2000) -> int:
    """Add documents until the disk is full; how many were stored."""
    with pytest.raises(StorageFullError, match="is full") as info:
        for n in range(limit):
            ws.add_document(doc(n))
    assert "\n" not in str(info.value)
    assert not ws.db.conn.in_transaction
    return ws.counts().documents


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


@contextlib.contextmanager
def mounted_tmpfs(size: str) -> Iterator[Path]:
    """A real tmpfs of `size` (skips where mounting is not permitted)."""
    folder = Path(tempfile.mkdtemp(prefix="eventmap-tmpfs-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                           str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)


def make_workspace(path: Path, documents: int) -> None:
    with Workspace(path) as ws:
        for n in range(documents):
            ws.add_document(doc(n, 200))
    assert siblings(path) == []  # closed cleanly: nothing pending in a -wal


def check_reading(path: Path, documents: int) -> None:
    """Reading works, writing is refused with the one-line message, in this process."""
    with Workspace(path) as ws:
        assert ws.read_only
        assert ws.counts().documents == documents
        assert len(ws.events()) == 1
        assert len(ws.search_passages("Vladivostok")) == documents
        with pytest.raises(ReadOnlyWorkspaceError, match="is read-only here"):
            ws.add_document(doc(999))
        with pytest.raises(ReadOnlyWorkspaceError):
            ws.cache_geocode("nominatim", "q", "{}")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert desktop.cli.main(["summary", "--db", str(path)]) == 0
        assert desktop.cli.main(["export", "--db", str(path), "--format", "geojson"]) == 0
    assert out.getvalue().startswith(f"{documents} documents")
    assert '"FeatureCollection"' in out.getvalue()


# -- a full disk -------------------------------------------------------------------------------

def test_sqlite_full_stops_the_write_and_keeps_what_was_stored(tmp_path: Path) -> None:
    """SQLITE_FULL for real through SQLite's limit on the database size (no mount needed)."""
    path = tmp_path / "w.sqlite"
    with Workspace(path) as ws:
        pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
        ws.db.execute(f"PRAGMA max_page_count = {pages + 30}")
        stored = fill(ws)
        assert 0 < stored < 30
        assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ws.db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the next one goes in
        assert ws.add_document(doc(5000)) is not None
    with Workspace(path) as ws:
        assert ws.counts().documents == stored + 1


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_a_full_tmpfs_stops_the_write_and_a_bigger_one_takes_the_rest() -> None:
    with mounted_tmpfs("1m") as folder:
        path = folder / "w.sqlite"
        with Workspace(path) as ws:
            stored = fill(ws)
            assert stored > 5
            assert ws.counts().documents == stored  # reading still works on a full disk
        with Workspace(path) as ws:  # reopened on the full disk: nothing lost
            assert ws.counts().documents == stored
            assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            remount(folder, "size=8m")
            assert ws.add_document(doc(5000)) is not None


# -- a read-only workspace ---------------------------------------------------------------------

@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_a_workspace_on_a_read_only_mount_opens_for_reading() -> None:
    """Folder and file read-only: opened `immutable=1` (no -wal/-shm can be made there)."""
    with mounted_tmpfs("4m") as folder:
        path = folder / "w.sqlite"
        make_workspace(path, 3)
        before = path.read_bytes()
        remount(folder, "ro")
        check_reading(path, 3)
        with pytest.raises(Exception, match="cannot be written"):
            Workspace(folder / "new.sqlite")
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["w.sqlite"]


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_a_read_only_file_in_a_writable_folder_opens_for_reading(tmp_path: Path) -> None:
    """Only the file read-only (a read-only bind mount of it): opened `mode=ro`."""
    source, path = tmp_path / "source.sqlite", tmp_path / "w.sqlite"
    make_workspace(source, 2)
    path.touch()
    done = subprocess.run(["mount", "--bind", str(source), str(path)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {done.stderr.strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True)
        check_reading(path, 2)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
    with Workspace(source) as ws:
        assert ws.counts().documents == 2


def as_other_user(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) run by a user who may not write root's files: `nobody` when we are root (a
    forked child that drops to it), else this user (whom chmod alone stops)."""
    if os.geteuid() != 0:
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()

    def child() -> None:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        try:
            results.put(("ok", fn(*args)))
        except BaseException as e:  # the test reports whatever the child met
            results.put(("error", f"{type(e).__name__}: {e}"))

    proc = ctx.Process(target=child)
    proc.start()
    outcome, value = results.get(timeout=120)
    proc.join(timeout=30)
    assert outcome == "ok", value
    return value


def _read_as_other_user(path: str) -> tuple[int, bool, str, list[str]]:
    with Workspace(path) as ws:
        counts, read_only = ws.counts().documents, ws.read_only
        try:
            ws.add_document(doc(999))
            refusal = ""
        except ReadOnlyWorkspaceError as e:
            refusal = str(e)
        during = siblings(Path(path))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = desktop.cli.main(["summary", "--db", path])
    assert status == 0, status
    assert out.getvalue().startswith(f"{counts} documents"), out.getvalue()
    return counts, read_only, refusal, during


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder outside pytest's (which only root may enter), that another user can read."""
    folder = Path(tempfile.mkdtemp(prefix="eventmap-shared-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_another_users_workspace_opens_for_reading(shared_folder: Path) -> None:
    """File and folder not writable by this user: opened `immutable=1`; nothing made beside."""
    path = shared_folder / "w.sqlite"
    make_workspace(path, 2)
    path.chmod(0o444)
    shared_folder.chmod(0o555)
    counts, read_only, refusal, during = as_other_user(_read_as_other_user, str(path))
    assert (counts, read_only, during) == (2, True, [])
    assert "is read-only here" in refusal
    assert siblings(path) == []


def test_a_read_only_file_in_a_folder_the_user_may_write(shared_folder: Path) -> None:
    """Only the file is not writable: opened `mode=ro`, whose -wal/-shm SQLite makes beside it."""
    path = shared_folder / "w.sqlite"
    make_workspace(path, 2)
    path.chmod(0o444)
    shared_folder.chmod(0o777)
    counts, read_only, refusal, during = as_other_user(_read_as_other_user, str(path))
    assert (counts, read_only) == (2, True)
    assert "is read-only here" in refusal
    assert during == ["w.sqlite-shm", "w.sqlite-wal"]  # the mode=ro connection's, not immutable


# -- an ingest meets them ----------------------------------------------------------------------

TOWNS = ["Vladivostok", "Pyongyang", "Khabarovsk", "Nakhodka", "Ussuriysk", "Wonsan"]


def articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:03d}.txt").write_text(
            f"Report {i}\n\nOfficials met in {TOWNS[i % len(TOWNS)]} on September {1 + i % 28}, "
            f"2023, to discuss item {i} of the agenda. " + "The talks went on " * 60 + ".\n")
    return folder


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_an_ingest_stops_at_a_full_disk_and_a_rerun_resumes(
        tmp_path: Path, store_pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    import extraction.ingest as ingest

    monkeypatch.setattr(ingest, "CHUNK", 4)  # so that whole chunks are left unread
    folder = articles(tmp_path / "articles", 30)
    with mounted_tmpfs("16m") as mount:  # room for the WAL (checkpointed at 4 MB) once freed
        path = mount / "w.sqlite"
        Workspace(path).close()
        stat = os.statvfs(mount)
        filler = mount / "filler"
        filler.write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - 600 * 1024))
        seen: list[str] = []
        with Workspace(path) as ws:
            report = ingest.ingest_paths([folder], ws, store_pipeline,
                                         progress=lambda done, total, f: f and seen.append(f))
            assert ws.counts().documents == len(report.added)
        stored = len(report.added)
        assert 0 < stored < 30, report
        assert report.skipped == [] and not report.ok
        assert "is full" in report.stopped and "free some space" in report.stopped
        assert "run the same import again" in report.stopped and "\n" not in report.stopped
        assert len(seen) <= (stored // 4 + 1) * 4 < 30  # the chunks after the full one: unread
        filler.unlink()
        with Workspace(path) as ws:
            again = ingest.ingest_paths([folder], ws, store_pipeline)
            assert again.ok and again.stopped is None, (again.stopped, again.skipped)
            assert ws.counts().documents == 30
        assert (len(again.added), len(again.duplicates)) == (30 - stored, stored)


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_an_ingest_into_a_read_only_workspace_stops_before_reading(
        tmp_path: Path, store_pipeline, capsys: pytest.CaptureFixture[str]) -> None:
    from extraction.ingest import ingest_paths

    folder = articles(tmp_path / "articles", 3)
    with mounted_tmpfs("4m") as mount:
        path = mount / "w.sqlite"
        make_workspace(path, 1)
        remount(mount, "ro")
        seen: list[str] = []
        with Workspace(path) as ws:
            report = ingest_paths([folder], ws, store_pipeline,
                                  progress=lambda done, total, f: seen.append(f))
        assert seen == [] and report.added == [] and report.skipped == []
        assert "is read-only here" in report.stopped
        assert "make the workspace writable and run the same import again" in report.stopped
        capsys.readouterr()
        assert desktop.cli.main(["ingest", str(folder), "--db", str(path)]) == 1
        err = capsys.readouterr().err
        assert f"eventmap: The workspace {path} is read-only here" in err
        assert "Traceback" not in err and "internal error" not in err
