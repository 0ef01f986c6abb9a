"""Reading at the edges: unreadable subfolders, empty folders, size limits, file times beyond
the calendar, what the user is told about a file's decoding."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from extraction.reading import (
    MB,
    RawArticle,
    collect_files,
    decoding_notes,
    file_date,
    format_size,
    read_article,
)
from store.errors import InputError

NOBODY = 65534


def test_an_empty_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    files, failed = collect_files([tmp_path / "empty"])
    assert files == [] and failed == [(tmp_path / "empty", "no article files in it")]


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder another user can enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="eventmap-walk-"))
    folder.chmod(0o755)
    yield folder
    for sub in folder.rglob("*"):
        if sub.is_dir():
            sub.chmod(0o755)
    shutil.rmtree(folder)


def _collect_as(uid: int | None, folder: Path) -> tuple[list[str], list[list[str]]]:
    """collect_files([folder]) as this process, or in a forked child that became `uid` (root
    reads a folder of mode 000, so the test must run as somebody else to see it refused)."""
    if uid is None:
        files, failed = collect_files([folder])
        return [str(f) for f in files], [[str(p), r] for p, r in failed]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the modules are loaded, no file of the venv is needed
        status = 1
        try:
            os.setgid(uid)
            os.setuid(uid)
            files, failed = collect_files([folder])
            os.write(write, json.dumps(
                [[str(f) for f in files], [[str(p), r] for p, r in failed]]).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return tuple(json.loads(data))  # type: ignore[return-value]


def test_an_unreadable_subfolder_is_reported_not_skipped_silently(shared_folder: Path) -> None:
    (shared_folder / "a.txt").write_text("Kim visits Vladivostok.")
    locked = shared_folder / "sub" / "locked"
    locked.mkdir(parents=True)
    (locked / "b.txt").write_text("Kim visits Vladivostok.")
    locked.chmod(0)
    uid = NOBODY if os.geteuid() == 0 else None
    files, failed = _collect_as(uid, shared_folder)
    assert files == [str(shared_folder / "a.txt")]
    assert len(failed) == 1 and failed[0][0] == str(locked)
    assert failed[0][1].startswith("cannot read the folder (Permission denied)")


def test_rglob_would_have_said_nothing(shared_folder: Path) -> None:
    """Why collect_files walks with os.walk: Path.rglob skips a folder it cannot read."""
    locked = shared_folder / "locked"
    locked.mkdir()
    locked.chmod(0)
    if os.geteuid() == 0:
        pytest.skip("root reads a folder of mode 000")
    assert list(shared_folder.rglob("*")) == [locked]


@pytest.mark.parametrize(("size", "limit", "message"), [
    (int(0.6 * MB), int(0.5 * MB), "0.6 MB; the limit is 0.5 MB"),
    (int(1.04 * MB), MB, "1.04 MB; the limit is 1 MB"),
    (MB + 1, MB, "1,048,577 bytes; the limit is 1,048,576 bytes"),
    (12 * MB, 10 * MB, "12 MB; the limit is 10 MB"),
    (11_000, int(0.004 * MB), "0.01 MB; the limit is 0.004 MB"),
    (300, 100, "0.0003 MB; the limit is 0.0001 MB"),
    (30, 10, "30 bytes; the limit is 10 bytes"),
])
def test_too_large_tells_the_sizes_apart(size: int, limit: int, message: str) -> None:
    assert format_size(size, limit) == message


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Kim visits Vladivostok. " * 30_000)  # 0.69 MB
    with pytest.raises(InputError, match=r"too large \(0\.7 MB; the limit is 0\.5 MB\)"):
        read_article(path, max_bytes=MB // 2)


@pytest.mark.parametrize(("when", "expected"), [
    (1_700_000_000, "2023-11-14"), (-62_135_596_800, "0001-01-01"),
    (253_402_300_799, "9999-12-31"), (253_402_300_800, None), (-62_135_596_801, None),
    (2.0**63, None), (float("nan"), None),
])
def test_file_times_beyond_the_calendar_give_no_date(when: float, expected: str | None) -> None:
    assert file_date(when) == expected


def test_decoding_is_recorded_and_told(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes("Réunion à Zürich. Le président s'est rendu à Montréal.".encode("latin-1"))
    article = read_article(path, published="2023-09-05")
    assert article.text.startswith("Réunion à Zürich")
    assert (article.encoding, article.replaced) == ("cp1252", 0)
    assert decoding_notes(article) == ["decoded as cp1252"]
    stray = tmp_path / "stray.txt"
    stray.write_bytes("Réunion à Zürich. ".encode() * 3 + b"\xff\xfe!")
    article = read_article(stray, published="2023-09-05")
    assert (article.encoding, article.replaced) == ("utf-8", 2)
    assert decoding_notes(article) == ["2 bytes were not valid UTF-8 and replaced"]
    assert decoding_notes(RawArticle("x", "p", encoding="utf-8-sig")) == []
