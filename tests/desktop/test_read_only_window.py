"""The window on a workspace this user cannot write (a read-only mount): it shows the workspace,
and an import stops at once with the message that says how to resume."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")]


@pytest.fixture
def read_only_seeds(seeds_db: Path):
    folder = Path(tempfile.mkdtemp(prefix="eventmap-ro-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        shutil.copy(seeds_db, folder / "seeds.sqlite")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder / "seeds.sqlite"
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def test_the_window_reads_a_read_only_workspace_and_an_import_stops(
        read_only_seeds: Path, make_window, qtbot, tmp_path: Path) -> None:
    window = make_window(read_only_seeds)
    assert window.session is not None and window.session.ws.read_only
    assert window.documents.model.rowCount() == 5
    article = tmp_path / "new.txt"
    article.write_text("Talks\n\nOfficials met in Vladivostok on September 12, 2023.\n")
    with qtbot.waitSignal(window.runner.failed, timeout=60000) as failed:
        assert window.import_paths([article])
    message = failed.args[0]
    assert "is read-only here" in message and "run the same import again" in message
    box = window.messages[-1]
    assert box.isVisible() and "read-only" in box.text()
    assert window.documents.model.rowCount() == 5
