"""Start time: from launching `eventmap gui` to a shown window and to its map ready.

Usage: .venv/bin/python -m bench.start [--db WORKSPACE] [--runs N]

Each run launches `eventmap gui --db WORKSPACE` as an analyst does, offscreen, and the app
writes when its window was shown and when the map page was up (EVENTMAP_START_REPORT, see
desktop.app.report_start); the clock starts just before the launch. The reference, measured in
the same run, is the least any QtWebEngine window costs here: a process that imports PySide6,
shows a web view and loads an empty page. Without --db the workspace is the seeds, ingested
first. The first run of the app starts with an empty cache folder (its map page comes from
`make setup`, geo.page_file; a checkout without it builds the page with folium then); the others
find the cache filled. Target: a usable window < 1.5 s.
Results also go to bench/results/start-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.result_files import write_results

ROOT = Path(__file__).resolve().parent.parent

BARE_WINDOW = """
import json, os, time
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication
app = QApplication([])
view = QWebEngineView()
view.resize(1400, 900)
view.show()
shown = time.time()
def done(_ok):
    times = {"shown": shown, "ready": time.time()}
    open(os.environ["EVENTMAP_START_REPORT"], "w").write(json.dumps(times))
    app.quit()
view.loadFinished.connect(done)
view.setHtml("<p>ready</p>")
app.exec()
"""


def environment(config: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EVENTMAP_CONFIG_DIR=str(config),
               EVENTMAP_CACHE_DIR=str(cache))
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    return env


def timed_launch(command: list[str], env: dict[str, str], report: Path) -> tuple[float, float]:
    """Seconds from the launch to the window shown and to the page ready."""
    report.unlink(missing_ok=True)
    env = dict(env, EVENTMAP_START_REPORT=str(report))
    started = time.time()
    subprocess.run(command, env=env, check=True, timeout=120, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = json.loads(report.read_text(encoding="utf-8"))
    return times["shown"] - started, times["ready"] - started


def seeds_workspace(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "seeds.sqlite"
    eventmap = Path(sys.executable).with_name("eventmap")
    subprocess.run([str(eventmap), "ingest", str(ROOT / "seeds"), "--db", str(db)], env=env,
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = environment(work / "config", work / "cache")
        db = args.db or seeds_workspace(work, environment(work / "config", work / "index"))
        report = work / "start.json"
        app = [str(Path(sys.executable).with_name("eventmap")), "gui", "--db", str(db)]
        bare = [sys.executable, "-c", BARE_WINDOW]
        cold = timed_launch(app, env, report)
        runs = {"app": [], "reference": []}
        for _ in range(args.runs):  # interleaved, so both see the same machine
            runs["reference"].append(timed_launch(bare, env, report))
            runs["app"].append(timed_launch(app, env, report))
    median = {k: (statistics.median(s for s, _ in v), statistics.median(r for _, r in v))
              for k, v in runs.items()}
    result = {
        "workspace": str(args.db or "seeds"), "runs": args.runs,
        "cold_shown_s": round(cold[0], 3), "cold_ready_s": round(cold[1], 3),
        "shown_s": round(median["app"][0], 3), "ready_s": round(median["app"][1], 3),
        "reference_shown_s": round(median["reference"][0], 3),
        "reference_ready_s": round(median["reference"][1], 3),
        "ready_vs_reference": round(median["app"][1] / median["reference"][1], 3),
    }
    print(f"start of `eventmap gui` on {result['workspace']}, median of {args.runs} runs")
    print(f"  window shown      {result['shown_s']:.2f} s   (first start, empty cache: "
          f"{result['cold_shown_s']:.2f} s)")
    print(f"  map ready         {result['ready_s']:.2f} s   (first start: "
          f"{result['cold_ready_s']:.2f} s)   target < 1.5 s")
    print(f"  reference: a bare QtWebEngine window shown {result['reference_shown_s']:.2f} s, "
          f"page ready {result['reference_ready_s']:.2f} s")
    print(f"  map ready / reference: {result['ready_vs_reference']:.2f}x")
    write_results("start", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
