"""Opening a workspace that this process already holds must not drop the holder's SQLite locks
(POSIX locks are per process; see store.held), or another program's reader deletes the -wal."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from store.held import held_here
from store.workspace import Workspace

READ_ONCE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=30)
conn.execute("SELECT count(*) FROM documents").fetchone()
conn.close()
"""


def another_program_reads(db: Path) -> None:
    subprocess.run([sys.executable, "-c", READ_ONCE, str(db)], check=True, timeout=60)


def test_a_second_opening_in_another_thread_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    db = tmp_path / "story.sqlite"
    with Workspace(db) as ws:
        assert held_here(db)
        wal = os.stat(f"{db}-wal").st_ino

        def worker() -> None:  # as the import worker does, with its own connection
            with Workspace(db) as mine:
                mine.counts()

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        another_program_reads(db)
        assert Path(f"{db}-wal").exists() and os.stat(f"{db}-wal").st_ino == wal
        assert ws.counts().documents == 0
    assert not held_here(db)
