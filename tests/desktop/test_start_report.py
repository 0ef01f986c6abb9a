"""`eventmap gui` as bench/start.py launches it: the window reports when it was shown and when
its map was ready, then closes by itself, saving nothing but its layout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_window_reports_its_start_and_closes(seeds_db: Path, tmp_path: Path) -> None:
    report = tmp_path / "start.json"
    env = dict(os.environ, EVENTMAP_START_REPORT=str(report),
               EVENTMAP_CONFIG_DIR=str(tmp_path / "config"))
    launched = time.time()
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "gui", "--db", str(seeds_db)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    times = json.loads(report.read_text(encoding="utf-8"))
    assert launched < times["shown"] <= times["ready"] < time.time()
