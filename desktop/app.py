"""The composition root of the desktop app: the QApplication, logging, the error dialog, and
the main window on the workspace to open."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from store.settings import log_dir

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

log = logging.getLogger(__name__)
qt_log = logging.getLogger("eventmap.qt")
QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
             QtMsgType.QtFatalMsg: logging.CRITICAL}

STYLE_SHEET = """
QMainWindow::separator { background: #d5dbe3; width: 1px; height: 1px; }
QDockWidget { font-weight: 600; }
QDockWidget::title { padding: 5px 8px; background: #eef1f5; border-bottom: 1px solid #d5dbe3; }
QTableView { gridline-color: #e6e9ee; selection-background-color: #cfe0f5;
             selection-color: #111; font-weight: normal; }
QHeaderView::section { padding: 4px 6px; background: #f4f6f8; border: none;
                       border-bottom: 1px solid #d5dbe3; font-weight: 600; }
QTextBrowser { background: #f6f7f9; border: none; font-weight: normal; }
QLabel { font-weight: normal; }
QLabel#emptyTitle { font-size: 22px; font-weight: 600; color: #22303f; }
QLabel#countsLabel { padding: 0 8px; color: #33404d; }
QWidget#emptyState { background: #f6f7f9; }
QPushButton#primaryButton { background: #2f6db5; color: white; border: 1px solid #255a96;
                            border-radius: 4px; padding: 4px 14px; font-weight: 600; }
QPushButton#primaryButton:hover { background: #255a96; }
QToolBar { spacing: 4px; padding: 3px; border-bottom: 1px solid #d5dbe3; }
QToolBar QToolButton { padding: 3px 8px; }
QLineEdit { padding: 3px 6px; }
"""


def quiet_chromium() -> None:
    """Chromium (inside QtWebEngine) logs straight to the terminal, e.g. an ERROR for a missing
    system D-Bus; keep only its fatal messages unless the user asked for another level."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--log-level" not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --log-level=3".strip()


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with QtWebEngine prepared first (it must be, before the app exists)."""
    from desktop.map_view import prepare_webengine

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    prepare_webengine()
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Eventmap")
    app.setOrganizationName("Eventmap")
    app.setApplicationDisplayName("Eventmap")
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
    return app


def configure_logging() -> RotatingFileHandler:
    """The rotating log file in the platform's log folder; the root logger writes to it."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "eventmap.log"
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    return handler


def route_qt_messages(handler: logging.Handler) -> None:
    """Qt's own messages go to the log file, not the terminal: sessions without a GPU (offscreen,
    remote desktops) print a dozen harmless rendering fallbacks that read like failures."""
    qt_log.propagate = False
    qt_log.addHandler(handler)
    qt_log.setLevel(logging.INFO)
    qInstallMessageHandler(_log_qt_message)


def _log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    qt_log.log(QT_LEVELS.get(kind, logging.WARNING), "%s%s", message,
               f" [{context.category}]" if context.category not in (None, "default") else "")


def install_error_dialog(log_path: Path) -> None:
    """Unexpected errors go to the log and to a short message, not to a traceback dialog."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        QMessageBox.critical(
            None, "Something went wrong",
            f"Eventmap hit an unexpected problem: {error}\n\nYour workspace is safe: every "
            f"document is stored in one transaction. Details are in {log_path}.",
        )

    sys.excepthook = hook


def run_gui(db_path: str | Path | None = None) -> int:
    """Open the main window on `db_path`, else the last workspace, else the default one."""
    from desktop.main_window import MainWindow
    from desktop.window_settings import resolve_workspace, window_settings

    quiet_chromium()
    app = create_app()
    handler = configure_logging()
    route_qt_messages(handler)
    install_error_dialog(Path(handler.baseFilename))
    settings = window_settings()
    window = MainWindow(resolve_workspace(db_path, settings), settings=settings)
    window.show()
    if os.environ.get(START_REPORT):
        report_start(window, app, Path(os.environ[START_REPORT]))
    close_on_interrupt(app)
    return app.exec()


START_REPORT = "EVENTMAP_START_REPORT"  # bench/start.py: where to write the start's times


def report_start(window: MainWindow, app: QApplication, path: Path) -> None:
    """Write when the window was shown and when its map was ready (seconds since the epoch,
    as the benchmark measures from the moment it launched us), then close."""
    shown = time.time()

    def ready() -> None:
        path.write_text(json.dumps({"shown": shown, "ready": time.time()}), encoding="utf-8")
        app.closeAllWindows()

    window.map_view.ready.connect(ready)


def close_on_interrupt(app: QApplication) -> QTimer:
    """Ctrl+C in the terminal (`make run`) closes the window the normal way, saving its layout.
    Python handles signals only between bytecodes, so a timer wakes it while Qt waits."""
    signal.signal(signal.SIGINT, lambda *_: app.closeAllWindows())
    timer = QTimer(app)
    timer.setInterval(250)
    timer.timeout.connect(lambda: None)
    timer.start()
    return timer
