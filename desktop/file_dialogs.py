"""The app's file dialogs, built so that browsing a folder never opens a file in it.

SQLite's locks on a workspace are POSIX advisory locks, which belong to the process: closing
*any* descriptor on the workspace file drops every lock the app holds on it ("How To Corrupt An
SQLite Database File", section 2.2). Another program reading the workspace then believes it is
the last one, checkpoints, and deletes the -wal and -shm files under the app, whose next writes
go to a deleted file. Qt's default icon provider asks QMimeDatabase for each file's type, and that
reads the first bytes of every file whose name does not settle it (story.sqlite-wal, -shm, and
story.sqlite itself), so merely listing the workspace's folder in a dialog did exactly that.

The dialogs here use Qt's own widget dialog (a native one may sniff files in-process too, and
cannot be given an icon provider) with `NameOnlyIconProvider`, which knows a file by its name.
Windows locks per handle, not per process, so there the native dialogs are kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QFileDialog, QWidget

USE_QT_DIALOG = sys.platform != "win32"  # POSIX locks are per process everywhere but Windows

ARTICLE_FILTER = "Articles (*.txt *.md *.html *.htm);;All files (*)"
WORKSPACE_FILTER = "Eventmap workspace (*.sqlite *.db);;All files (*)"


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and type names from what a directory listing already knows (folder or file, and
    the name's suffix), never from a file's contents."""

    def icon(self, what: QFileInfo | QAbstractFileIconProvider.IconType) -> QIcon:  # type: ignore[override]
        if isinstance(what, QFileInfo):
            kind = (QAbstractFileIconProvider.IconType.Folder if what.isDir()
                    else QAbstractFileIconProvider.IconType.File)
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


def file_dialog(parent: QWidget | None, caption: str, directory: str | Path,
                name_filter: str = "") -> QFileDialog:
    """A QFileDialog that reads no file's contents while it lists a folder.

    `directory` must be a folder: given a file, the dialog would look it up (and ask its
    default icon provider, which reads the file, about it) while it is being constructed,
    before it has ours. Preselect a file with selectFile() afterwards (see save_dialog).
    """
    dialog = QFileDialog(parent, caption, str(directory))
    provider = NameOnlyIconProvider()
    dialog.setIconProvider(provider)
    dialog._icon_provider = provider  # type: ignore[attr-defined]  # Qt does not own it
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, USE_QT_DIALOG)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
    if name_filter:
        dialog.setNameFilter(name_filter)
    return dialog


def ask_paths(dialog: QFileDialog) -> list[str]:
    """Show the dialog modally; the chosen paths, or none when it was cancelled."""
    try:
        return dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    finally:
        dialog.deleteLater()


def import_files_dialog(parent: QWidget | None, directory: str | Path) -> QFileDialog:
    dialog = file_dialog(parent, "Import articles", directory, ARTICLE_FILTER)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return dialog


def import_folder_dialog(parent: QWidget | None, directory: str | Path) -> QFileDialog:
    dialog = file_dialog(parent, "Import every article in a folder", directory)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return dialog


def open_workspace_dialog(parent: QWidget | None, directory: str | Path) -> QFileDialog:
    dialog = file_dialog(parent, "Open workspace", directory, WORKSPACE_FILTER)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog


def save_dialog(parent: QWidget | None, caption: str, suggested: str | Path,
                name_filter: str) -> QFileDialog:
    suggested = Path(suggested)
    dialog = file_dialog(parent, caption, suggested.parent, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.selectFile(suggested.name)
    return dialog


def ask_path(dialog: QFileDialog) -> str:
    chosen = ask_paths(dialog)
    return chosen[0] if chosen else ""
