"""Browsing and importing the workspace's own folder while another program reads the workspace.

SQLite's locks are POSIX advisory locks, held per process: if anything in the app opens and
closes the workspace file outside SQLite (a file dialog sniffing a file's type, a header check),
the app's locks are gone, and the next reader in another process that closes its connection
believes it is the last one: it checkpoints and deletes the -wal and -shm files while the app
still writes to them (issue 9). `reader_closes` is that other program; the -wal file it sees
after closing must be the same file (the same inode) as long as the window holds the workspace.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel

from desktop.file_dialogs import (
    import_files_dialog,
    import_folder_dialog,
    open_workspace_dialog,
    save_dialog,
)
from store.held import without_workspace_files
from store.workspace import Workspace
from tests.conftest import SEEDS

pytestmark = pytest.mark.gui

IMPORT_TIMEOUT_MS = 120_000

# One read by another program: connect, count, close. Closing is when SQLite deletes the -wal
# of a workspace no other process holds; it prints the -wal's inode seen after closing.
READ_ONCE = """
import os, sqlite3, sys
db = sys.argv[1]
conn = sqlite3.connect(db, timeout=30)
count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
conn.close()
wal = db + "-wal"
print(count, os.stat(wal).st_ino if os.path.exists(wal) else 0)
"""

# The other program reading in a loop until told to stop (or for at most `seconds`).
READ_LOOP = """
import json, os, sqlite3, sys, time
db, stop, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
wal, inodes, counts, errors = db + "-wal", set(), [], []
deadline = time.monotonic() + seconds
while not os.path.exists(stop) and time.monotonic() < deadline:
    try:
        conn = sqlite3.connect(db, timeout=30)
        counts.append(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        conn.close()
    except sqlite3.Error as e:
        errors.append(str(e))
    inodes.add(os.stat(wal).st_ino if os.path.exists(wal) else 0)
print(json.dumps({"reads": len(counts), "last": counts[-1] if counts else None,
                  "inodes": sorted(inodes), "errors": errors[:5]}))
"""

ARTICLES = {
    "port-visit.txt": "Port visit planned\n\nA Russian navy frigate will call at Vladivostok "
                      "on 14 September 2023, officials in Moscow said on Tuesday. The ship "
                      "left Sevastopol last month.\n",
    "rail-link.txt": "Rail link reopens\n\nThe rail bridge between Khasan and Tumangang "
                     "reopened on 2 September 2023, the operator said in Khabarovsk.\n",
    "talks.md": "Talks in Beijing\n\nDiplomats from Seoul and Tokyo met in Beijing on "
                "5 September 2023 to discuss the summit.\n",
}


def reader_closes(db: Path) -> tuple[int, int]:
    """Another process reads the workspace once: the documents it counted and the inode of the
    -wal file after its connection closed (0 when it deleted the file)."""
    out = subprocess.run([sys.executable, "-c", READ_ONCE, str(db)], check=True,
                         capture_output=True, text=True, timeout=60).stdout.split()
    return int(out[0]), int(out[1])


def wal_inode(db: Path) -> int:
    return os.stat(f"{db}-wal").st_ino


def hold_workspace(db: Path) -> sqlite3.Connection:
    """A connection in this process that keeps the workspace in WAL mode with a -wal beside it."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY)")
    conn.execute("INSERT INTO documents DEFAULT VALUES")
    return conn


def wait_listed(qtbot, dialog: QFileDialog, folder: Path, names: set[str]) -> None:
    """Wait until the dialog's model has listed `folder` and asked for every row's icon and
    type, as its view does when it paints them."""
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    loaded: list[str] = []
    model.directoryLoaded.connect(loaded.append)
    dialog.open()
    qtbot.waitUntil(lambda: str(folder) in loaded, timeout=10000)
    root = model.index(str(folder))

    def listed() -> set[str]:
        rows = [model.index(r, 0, root) for r in range(model.rowCount(root))]
        for index in rows:
            model.data(index, Qt.ItemDataRole.DecorationRole)
            model.type(index)
        return {model.fileName(index) for index in rows}

    qtbot.waitUntil(lambda: names <= listed(), timeout=10000)


@pytest.fixture
def held_folder(tmp_path: Path):
    """A folder holding a WAL-mode workspace (held open here), an article and a bare file."""
    folder = tmp_path / "story"
    folder.mkdir()
    db = folder / "story.sqlite"
    conn = hold_workspace(db)
    (folder / "article.txt").write_text("Officials met in Vladivostok.\n", encoding="utf-8")
    (folder / "README").write_text("notes\n", encoding="utf-8")
    yield folder, db
    conn.close()


def test_the_reader_sees_a_dropped_lock(held_folder) -> None:
    """The check can fail: one open() and close() of the file in this process is enough for the
    other program's close to delete the -wal under the connection that holds it."""
    folder, db = held_folder
    assert reader_closes(db)[1] == wal_inode(db)  # held: the reader leaves the -wal alone
    with open(db, "rb") as f:
        f.read(100)
    assert reader_closes(db)[1] == 0


DIALOGS: dict[str, Callable] = {
    "import articles": lambda folder: import_files_dialog(None, folder),
    "import folder": lambda folder: import_folder_dialog(None, folder),
    "open workspace": lambda folder: open_workspace_dialog(None, folder),
    "new workspace": lambda folder: save_dialog(None, "New workspace", folder / "story.sqlite",
                                                "Eventmap workspace (*.sqlite *.db)"),
    "export": lambda folder: save_dialog(None, "Export", folder / "story.geojson",
                                         "GeoJSON (*.geojson)"),
}


@pytest.mark.parametrize("kind", DIALOGS)
def test_listing_the_workspace_folder_opens_none_of_its_files(qtbot, held_folder,
                                                              kind: str) -> None:
    folder, db = held_folder
    before = wal_inode(db)
    dialog = DIALOGS[kind](folder)
    qtbot.addWidget(dialog)
    if kind != "import folder":  # every file listed, the workspace's own among them
        dialog.setNameFilter("All files (*)")
    names = set() if kind == "import folder" else {"story.sqlite", "story.sqlite-wal",
                                                    "story.sqlite-shm", "README", "article.txt"}
    wait_listed(qtbot, dialog, folder, names)
    dialog.reject()

    assert reader_closes(db)[1] == before


def test_import_drops_the_workspace_own_files_by_name(tmp_path: Path) -> None:
    db = tmp_path / "story.sqlite"
    chosen = [db, f"{db}-wal", tmp_path / "story.sqlite-shm", tmp_path / "a.txt", tmp_path]
    kept, refused = without_workspace_files(chosen, db)
    assert kept == [tmp_path / "a.txt", tmp_path]
    assert len(refused) == 3


@pytest.fixture
def loaded_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders the app's modal file dialogs have listed (QFileSystemModel.directoryLoaded,
    which follows the model's handling of every file in the folder)."""
    import desktop.actions
    import desktop.file_dialogs

    loaded: list[str] = []
    ask_paths = desktop.file_dialogs.ask_paths

    def watching(dialog: QFileDialog) -> list[str]:
        loaded.clear()
        dialog.findChild(QFileSystemModel).directoryLoaded.connect(loaded.append)
        return ask_paths(dialog)

    monkeypatch.setattr(desktop.file_dialogs, "ask_paths", watching)
    monkeypatch.setattr(desktop.actions, "ask_paths", watching)
    return loaded


def run_modal(qtbot, trigger: Callable[[], None], folder: Path, names: set[str],
              finish: Callable[[QFileDialog], None], loaded: list[str]) -> None:
    """Trigger an action that shows a modal file dialog; choose its "All files" filter when
    `names` are to be seen, and once the dialog has listed `folder` (and shows `names`, with
    each row's icon and type asked for), `finish` it (Esc, or accept)."""
    done: list[bool] = []
    ticks: list[int] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            return
        ticks.append(1)
        if len(ticks) > 1000:  # 20 s: give up rather than hang on a modal dialog
            timer.stop()
            dialog.reject()
            return
        model = dialog.findChild(QFileSystemModel)
        if names and dialog.selectedNameFilter() != "All files (*)":
            dialog.selectNameFilter("All files (*)")
        root = model.index(str(folder))
        rows = [model.index(r, 0, root) for r in range(model.rowCount(root))]
        for index in rows:
            model.data(index, Qt.ItemDataRole.DecorationRole)
            model.type(index)
        if str(folder) in loaded and names <= {model.fileName(i) for i in rows}:
            timer.stop()
            finish(dialog)
            done.append(True)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(act)
    timer.start()
    trigger()  # returns when the dialog is closed
    timer.stop()
    assert done


def esc(dialog: QFileDialog) -> None:
    QTest.keyClick(dialog, Qt.Key.Key_Escape)


@pytest.mark.slow
@pytest.mark.model
def test_browsing_and_importing_its_own_folder_keeps_the_workspace_whole(
    make_window, qtbot, tmp_path: Path, seeds_db: Path, monkeypatch: pytest.MonkeyPatch,
    loaded_folders: list[str],
) -> None:
    folder = tmp_path / "story"
    folder.mkdir()
    db = folder / "story.sqlite"
    shutil.move(seeds_db, db)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    shutil.copy(next(SEEDS.glob("*.txt")), folder)  # one already in the workspace
    window = make_window(db)
    monkeypatch.setenv("HOME", str(folder))  # the dialogs open the workspace's own folder
    qtbot.waitUntil(lambda: Path(f"{db}-wal").exists())
    wal = wal_inode(db)
    stop = tmp_path / "stop-reading"
    reader = subprocess.Popen([sys.executable, "-c", READ_LOOP, str(db), str(stop), "300"],
                              stdout=subprocess.PIPE, text=True)
    try:
        a = window.ui_actions
        run_modal(qtbot, a.import_folder.trigger, folder, set(), esc, loaded_folders)
        assert reader_closes(db) == (5, wal)
        workspace_files = {"story.sqlite", "story.sqlite-wal", "story.sqlite-shm"}
        for action, names in ((a.import_files, workspace_files),
                              (a.open_workspace, workspace_files),
                              (a.new_workspace, workspace_files),
                              (a.exports["geojson"], set())):  # lists GeoJSON files only
            run_modal(qtbot, action.trigger, folder, names, esc, loaded_folders)
            assert reader_closes(db) == (5, wal), action.text()
        assert window.db_path == db and not window.messages

        # The workspace's own files dropped on the window are refused by name, unopened.
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(db)), QUrl.fromLocalFile(f"{db}-wal")])
        for event, at in ((QDragEnterEvent, QPoint(200, 200)), (QDropEvent, QPointF(200, 200))):
            QApplication.sendEvent(window, event(
                at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier))
        assert not window.runner.busy and "file of this workspace" in window.messages[-1].text()
        window.messages[-1].close()
        assert reader_closes(db) == (5, wal)

        # Now the import of the folder itself, chosen in the dialog, while the reader reads.
        with qtbot.waitSignal(window.runner.finished, timeout=IMPORT_TIMEOUT_MS) as finished:
            run_modal(qtbot, a.import_folder.trigger, folder, set(), lambda d: d.accept(),
                      loaded_folders)
        report = finished.args[0]
        assert wal_inode(db) == wal and reader_closes(db) == (8, wal)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    seen = json.loads(out)
    assert seen["reads"] > 0 and not seen["errors"]
    assert seen["inodes"] == [wal]  # the -wal was never deleted while the window held it

    assert sorted(Path(p).name for p, _ in report.added) == sorted(ARTICLES)
    assert len(report.duplicates) == 1 and not report.skipped
    window.close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    with Workspace.open_existing(db) as ws:
        assert ws.counts().documents == 5 + len(ARTICLES)
