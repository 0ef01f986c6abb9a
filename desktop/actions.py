"""Menus, toolbar and keyboard shortcuts of the main window. Each action asks for a file name
where it needs one (through desktop.file_dialogs, whose dialogs never open the files they list)
and then calls a window method that tests call directly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox, QSizePolicy, QToolBar, QWidget

from desktop.exports import DATA_TARGETS, TARGETS, VIEW_TARGETS, with_suffix
from desktop.file_dialogs import (
    WORKSPACE_FILTER,
    ask_path,
    ask_paths,
    import_files_dialog,
    import_folder_dialog,
    open_workspace_dialog,
    save_dialog,
)
from geo.mapping import BASEMAPS
from store.event_facets import EventFacets
from store.settings import data_dir

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

@dataclass
class Actions:
    import_files: QAction
    import_folder: QAction
    load_samples: QAction
    open_workspace: QAction
    new_workspace: QAction
    quit: QAction
    exports: dict[str, QAction]
    search: QAction
    fit: QAction
    undated: QAction
    play: QAction
    step_back: QAction
    step_forward: QAction
    clear_filters: QAction
    places: QAction
    online_tiles: QAction
    undo: QAction
    corrections: QAction
    accept_dates: QAction
    basemaps: dict[str, QAction]  # the offline basemap choice, keyed like geo.mapping.BASEMAPS


def _action(window: MainWindow, text: str, slot, shortcut: str | QKeySequence | None = None,
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({action.shortcut().toString()})" if shortcut else tip)
    action.triggered.connect(slot)
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


def build_actions(w: MainWindow) -> Actions:
    a = Actions(
        import_files=_action(w, "&Import articles…", lambda: ask_import_files(w),
                             QKeySequence.StandardKey.Open, "Add article files to the workspace"),
        import_folder=_action(w, "Import &folder…", lambda: ask_import_folder(w), "Ctrl+Shift+O",
                              "Add every article in a folder"),
        load_samples=_action(w, "Load the &sample corpus", w.load_samples, None,
                             "Import the five sample articles"),
        open_workspace=_action(w, "&Open workspace…", lambda: ask_open_workspace(w),
                               "Ctrl+Shift+W", "Open another workspace file"),
        new_workspace=_action(w, "&New workspace…", lambda: ask_new_workspace(w),
                              QKeySequence.StandardKey.New, "Start an empty workspace file"),
        quit=_action(w, "&Quit", w.close, "Ctrl+Q"),  # StandardKey.Quit is empty on some desktops
        exports={},
        search=_action(w, "&Search", w.focus_search, QKeySequence.StandardKey.Find,
                       "Search passages and places"),
        fit=_action(w, "&Fit map to events", lambda: w.map_view.fit_events(), "Ctrl+0",
                    "Zoom the map to the events shown"),
        undated=_action(w, "Show &undated events", w.set_include_undated, "Ctrl+U"),
        play=_action(w, "&Play through time", lambda: w.timeline.play(not w.timeline.playing),
                     "Ctrl+P", "Move the time window through the events"),
        step_back=_action(w, "Step &back in time", lambda: w.timeline.step(-1), "Alt+Left"),
        step_forward=_action(w, "Step fo&rward in time", lambda: w.timeline.step(1), "Alt+Right"),
        clear_filters=_action(w, "&Clear all filters", lambda: clear_filters(w), "Ctrl+Shift+A",
                              "Show every event: all dates, all documents, no search"),
        places=_action(w, "Show other &places named", lambda on: w.map_view.set_places_shown(on),
                       "Ctrl+Shift+P", "Places the articles name where no event happens: a "
                       "quieter layer"),
        online_tiles=_action(w, "&Online map tiles", lambda on: w.map_view.set_online_tiles(on),
                             None, "Load OpenStreetMap tiles from the internet"),
        undo=_action(w, "&Undo", lambda: w.corrections.undo(), QKeySequence.StandardKey.Undo,
                     "Undo the last place correction"),
        corrections=_action(w, "&Corrections…", lambda: w.corrections.show_list(), None,
                            "List the place corrections of this workspace"),
        accept_dates=_action(w, "Accept file dates", lambda: w.corrections.accept_dates(), None,
                             "Articles without a publication date are dated by their file's "
                             "time, kept off the dated timeline until you accept it"),
        basemaps={},
    )
    a.accept_dates.setEnabled(False)
    a.undo.setEnabled(False)
    a.undated.setCheckable(True)
    a.undated.setChecked(True)
    w.timeline.undated.toggled.connect(a.undated.setChecked)
    a.online_tiles.setCheckable(True)
    a.places.setCheckable(True)
    basemap_group = QActionGroup(w)  # exclusive: one basemap at a time
    for key, label in BASEMAPS.items():
        a.basemaps[key] = action = QAction(label, basemap_group, checkable=True)
        action.setChecked(key == w.map_view.basemap())
        action.triggered.connect(lambda _=False, k=key: w.map_view.set_basemap(k))
    w.map_view.placesToggled.connect(a.places.setChecked)
    for target in VIEW_TARGETS + DATA_TARGETS:
        a.exports[target.key] = _action(w, target.label, lambda _=False, k=target.key:
                                        ask_export(w, k))
    a.exports["png"].setShortcut(QKeySequence("Ctrl+E"))
    a.exports["pdf"].setShortcut(QKeySequence("Ctrl+Shift+E"))

    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    for action in (a.new_workspace, a.open_workspace, None, a.import_files, a.import_folder,
                   a.load_samples, None, a.quit):
        file_menu.addSeparator() if action is None else file_menu.addAction(action)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(a.undo)
    edit_menu.addAction(a.corrections)
    edit_menu.addAction(a.accept_dates)
    from desktop.geocoder_dialog import ask_online_geocoder

    edit_menu.addSeparator()
    edit_menu.addAction(_action(w, "Online &geocoder…", lambda: ask_online_geocoder(w), None,
                                "Look up places the gazetteer lacks on a Nominatim server"))
    export_menu = bar.addMenu("&Export")
    for t in VIEW_TARGETS:
        export_menu.addAction(a.exports[t.key])
    export_menu.addSeparator()
    for t in DATA_TARGETS:
        export_menu.addAction(a.exports[t.key])
    view_menu = bar.addMenu("&View")
    for action in (a.search, a.fit, a.clear_filters, None, a.undated, a.play, a.step_back,
                   a.step_forward, None, a.places, a.online_tiles):
        view_menu.addSeparator() if action is None else view_menu.addAction(action)
    view_menu.addMenu("Base&map").addActions(list(a.basemaps.values()))
    view_menu.addSeparator()
    for dock in (w.filters_dock, w.documents_dock, w.sources_dock, w.search_dock,
                 w.timeline_dock):
        view_menu.addAction(dock.toggleViewAction())
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(_action(w, "&Keyboard shortcuts", lambda: show_shortcuts(w), "F1"))

    toolbar = QToolBar("Main", w)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    for action, label in ((a.import_files, "Import"), (a.import_folder, "Import folder"),
                          (a.exports["png"], "Export PNG"), (a.exports["pdf"], "PDF"),
                          (a.fit, "Fit map"), (a.clear_filters, "Clear filters")):
        button_action = toolbar.addAction(label)
        button_action.setToolTip(action.toolTip() or action.text().replace("&", ""))
        button_action.triggered.connect(action.trigger)
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    toolbar.addWidget(w.search_box)
    w.addToolBar(toolbar)
    return a


def clear_filters(w: MainWindow) -> None:
    w.filters.set_facets(EventFacets(), emit=False)
    w.set_facets(EventFacets())
    w.documents.clear_selection()
    w.timeline.clear_window()
    w.set_include_undated(True)
    w.search_box.clear()
    w.set_search("")
    w.map_view.highlight([])


def ask_import_files(w: MainWindow) -> None:
    paths = ask_paths(import_files_dialog(w, Path.home()))
    w.import_paths(paths)


def ask_import_folder(w: MainWindow) -> None:
    folder = ask_path(import_folder_dialog(w, Path.home()))
    if folder:
        w.import_paths([folder])


def ask_open_workspace(w: MainWindow) -> None:
    path = ask_path(open_workspace_dialog(w, _workspace_folder(w)))
    if path:
        w.open_workspace(path)


def ask_new_workspace(w: MainWindow) -> None:
    path = ask_path(save_dialog(w, "New workspace", _workspace_folder(w) / "story.sqlite",
                                WORKSPACE_FILTER))
    if not path:
        return
    path = Path(path) if Path(path).suffix else Path(path).with_suffix(".sqlite")
    if path.exists():
        w.show_message("warning", "The file exists",
                       f"{path.name} already exists; use File › Open workspace to open it.")
        return
    w.open_workspace(path)


def _workspace_folder(w: MainWindow) -> Path:
    return w.db_path.parent if w.db_path else data_dir()


def ask_export(w: MainWindow, key: str) -> None:
    target = TARGETS[key]
    stem = w.db_path.stem if w.db_path else "eventmap"
    suggested = Path.home() / f"{stem}{'-2x' if key == 'png2x' else ''}{target.suffix}"
    path = ask_path(save_dialog(w, target.label.rstrip("…"), suggested, target.file_filter))
    if path:
        from desktop.export_actions import export

        export(w, key, with_suffix(path, target))


def show_shortcuts(w: MainWindow) -> None:
    rows = []
    for action in QWidget.actions(w):
        if not action.shortcut().isEmpty():
            rows.append(f"<tr><td><b>{action.shortcut().toString()}</b></td><td>&nbsp;&nbsp;"
                        f"{action.text().replace('&', '').rstrip('…')}</td></tr>")
    rows.append("<tr><td><b>Esc</b></td><td>&nbsp;&nbsp;Clear the search box</td></tr>")
    QMessageBox.information(w, "Keyboard shortcuts", f"<table>{''.join(rows)}</table>")
