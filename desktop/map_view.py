"""The map widget: the Leaflet page of geo.mapping in a QWebEngineView, fully offline.

Everything the page loads comes from the ``eventmap://app/`` scheme served here (vendored
scripts, basemap tiles, borders). Every remote request is blocked and recorded, unless the
analyst turns online tiles on. Clicks come back through QWebChannel.

Qt requires custom URL schemes to be registered before the QApplication exists, so an entry
point calls ``prepare_webengine()`` (or at least ``register_schemes()``) first::

    from desktop.map_view import prepare_webengine
    prepare_webengine()
    app = QApplication(sys.argv)
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import weakref
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QIODevice,
    QObject,
    QSize,
    Qt,
    QTimer,
    QtMsgType,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QImage, QPageLayout
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from shiboken6 import Shiboken

from desktop.map_payload import encode_events
from geo import mapping
from store.errors import EventmapError
from store.models import EventRecord

log = logging.getLogger(__name__)

SCHEME = b"eventmap"
PAGE_URL = mapping.APP_URL + mapping.PAGE_PATH
ONLINE_TILE_HOSTS = frozenset({"tile.openstreetmap.org"})
LOCAL_SCHEMES = frozenset({"eventmap", "qrc", "data", "blob", "about"})
EVENTS_PATH = "events/"  # eventmap://app/events/<key>.bin: a view's events (map_payload)


class MapError(EventmapError):
    """The map page could not be loaded, rendered or printed."""


def register_schemes() -> None:
    """Register the ``eventmap`` URL scheme. Must run before the QApplication is created."""
    if QWebEngineUrlScheme.schemeByName(QByteArray(SCHEME)).name() == QByteArray(SCHEME):
        return
    if QCoreApplication.instance() is not None:
        raise MapError(
            "The eventmap:// scheme must be registered before the QApplication exists: "
            "call desktop.map_view.prepare_webengine() first."
        )
    scheme = QWebEngineUrlScheme(QByteArray(SCHEME))
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.LocalAccessAllowed
        | QWebEngineUrlScheme.Flag.CorsEnabled
        | QWebEngineUrlScheme.Flag.FetchApiAllowed  # the page fetches area outlines
    )
    QWebEngineUrlScheme.registerScheme(scheme)


def prepare_webengine(*, offscreen: bool = False, quiet: bool = False) -> None:
    """Everything QtWebEngine needs before the QApplication: the scheme, and as root (containers)
    Chromium's --no-sandbox. ``offscreen`` selects Qt's offscreen platform (headless exports);
    ``quiet`` keeps Qt's and Chromium's notes about missing GPU, Vulkan and D-Bus off the
    terminal (a command-line export succeeds without them), leaving critical messages."""
    if offscreen:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if quiet:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--log-level" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --log-level=3".strip()
        qInstallMessageHandler(_critical_only)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --no-sandbox".strip()
    register_schemes()


def _critical_only(kind: QtMsgType, _context: object, message: str) -> None:
    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        print(message, file=sys.stderr)


class AppSchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves eventmap://app/... from geo.mapping.serve; records what it could not serve."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.failed_requests: list[str] = []
        self.payloads: dict[str, bytes] = {}  # the events of each view, by their path

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt name)
        url = job.requestUrl()
        found = None
        payload = self.payloads.get(url.path().lstrip("/")) if url.host() == "app" else None
        if payload is not None:
            found = payload, "application/octet-stream"
        elif url.host() == "app":
            try:
                found = mapping.serve(url.path())
            except (OSError, EventmapError) as e:
                log.warning("cannot serve %s: %s", url.toString(), e)
        if found is None and url.path().lstrip("/").startswith(EVENTS_PATH):
            # events replaced (or their view closed) before the page asked: the page has
            # newer ones, or is going away
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        if found is None:
            self.failed_requests.append(url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        data, mime = found
        buffer = QBuffer(job)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime.encode("ascii")), buffer)


class RemoteRequestBlocker(QWebEngineUrlRequestInterceptor):
    """Blocks every request that is not local; online tile hosts pass only when allowed."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.allowed_hosts: frozenset[str] = frozenset()
        self.blocked_requests: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802
        url = info.requestUrl()
        scheme = url.scheme()
        if scheme in LOCAL_SCHEMES:
            return
        if scheme in ("http", "https") and url.host() in self.allowed_hosts:
            return
        self.blocked_requests.append(url.toString())
        info.block(True)


class MapPage(QWebEnginePage):
    """Keeps the page's console messages, so errors in the page do not go unnoticed."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None):
        super().__init__(profile, parent)
        self.console_messages: list[tuple[str, str, int, str]] = []

    def javaScriptConsoleMessage(  # noqa: N802 (Qt name)
        self, level: QWebEnginePage.JavaScriptConsoleMessageLevel, message: str, line: int,
        source: str,
    ) -> None:
        name = {
            QWebEnginePage.JavaScriptConsoleMessageLevel.InfoMessageLevel: "info",
            QWebEnginePage.JavaScriptConsoleMessageLevel.WarningMessageLevel: "warning",
        }.get(level, "error")
        self.console_messages.append((name, message, line, source))
        if name == "error":
            log.warning("map page: %s (%s:%d)", message, source, line)


class MapBridge(QObject):
    """The object the page sees as ``bridge`` through QWebChannel."""

    clicked = Signal(int)
    loaded = Signal()
    places = Signal(bool)

    @Slot(bool)
    def placesToggled(self, on: bool) -> None:  # noqa: N802 (called from JavaScript)
        self.places.emit(bool(on))

    @Slot(int)
    def eventClicked(self, event_id: int) -> None:  # noqa: N802 (called from JavaScript)
        self.clicked.emit(int(event_id))

    @Slot()
    def pageReady(self) -> None:  # noqa: N802 (called from JavaScript)
        self.loaded.emit()


_profile: QWebEngineProfile | None = None
_handler: AppSchemeHandler | None = None
_views: weakref.WeakSet[MapView] = weakref.WeakSet()


def shared_profile() -> QWebEngineProfile:
    """One off-the-record profile for every map view, with the eventmap:// handler installed."""
    global _profile, _handler
    if _profile is None:
        register_schemes()
        app = QCoreApplication.instance()
        _profile = QWebEngineProfile(app)
        _handler = AppSchemeHandler(_profile)
        _profile.installUrlSchemeHandler(QByteArray(SCHEME), _handler)
        # Pages must be deleted before their profile: release the views first at the end.
        if app is not None:
            app.aboutToQuit.connect(release_views)
        atexit.register(release_views)
    return _profile


def release_views() -> None:
    """Delete every map view still alive (at exit, before the shared profile goes)."""
    for view in list(_views):
        _views.discard(view)
        if Shiboken.isValid(view):  # Qt may have deleted it with its window already
            view.close()
            delete_now(view)


def scheme_handler() -> AppSchemeHandler:
    shared_profile()
    assert _handler is not None
    return _handler


class MapView(QWebEngineView):
    """The map. Load once; then push events as data.

    Signals: ``ready()`` when the page and its event layer are up (emitted again after a
    reload), ``eventClicked(int)`` with the id of a clicked event marker.
    """

    ready = Signal()
    eventClicked = Signal(int)  # noqa: N815 (Qt signal name)
    placesToggled = Signal(bool)  # noqa: N815 (the legend's "other places named" box)

    def __init__(self, parent: Any = None, *, online_tiles: bool = False):
        super().__init__(parent)
        _views.add(self)
        self._page = MapPage(shared_profile(), self)
        self._blocker = RemoteRequestBlocker(self)
        self._page.setUrlRequestInterceptor(self._blocker)
        self._bridge = MapBridge(self)
        self._channel = QWebChannel(self)
        self._channel.registerObject("bridge", self._bridge)
        self._page.setWebChannel(self._channel)
        self.setPage(self._page)
        settings = self._page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls,
                              False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PrintElementBackgrounds, True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._is_ready = False
        self._pending: list[str] = []
        self._events_js: str | None = None
        self._events_path: str | None = None
        self._events_serial = 0
        self._events_payload: bytes | None = None  # the payload given to set_events, if any
        self.destroyed.connect(partial(_forget_payloads, f"{EVENTS_PATH}{id(self):x}-"))
        self._state: dict[str, str] = {}  # replayed on a clone and after a reload
        self._online = False
        self._bridge.clicked.connect(self.eventClicked)
        self._bridge.places.connect(self._on_places_toggled)
        self._bridge.loaded.connect(self._on_page_ready)
        self._page.loadStarted.connect(self._on_load_started)
        self._page.loadFinished.connect(self._on_load_finished)
        if online_tiles:
            self.set_online_tiles(True)
        self.load(QUrl(PAGE_URL))

    # -- state -----------------------------------------------------------------------------

    @property
    def is_ready(self) -> bool:
        return self._is_ready

    @property
    def blocked_requests(self) -> list[str]:
        """Remote requests this view blocked (should stay empty while offline)."""
        return self._blocker.blocked_requests

    @property
    def failed_requests(self) -> list[str]:
        """eventmap:// URLs that could not be served (shared by every map view)."""
        return scheme_handler().failed_requests

    @property
    def js_errors(self) -> list[str]:
        return [m[1] for m in self._page.console_messages if m[0] == "error"]

    @property
    def console_messages(self) -> list[tuple[str, str, int, str]]:
        return self._page.console_messages

    # -- the page API ----------------------------------------------------------------------

    def set_events(self, events: list[EventRecord], payload: bytes | None = None) -> None:
        """Replace the events on the map (as binary columns the page fetches from the app's
        scheme, desktop.map_payload; no passages reach the page). `payload`: these events
        already encoded (off the GUI thread)."""
        if payload is not None and payload is self._events_payload:
            return  # these very bytes are on the map (sent ahead of the records)
        self._events_payload = payload
        payloads = scheme_handler().payloads
        if self._events_path:  # the ones before stay one more round: a load may be on its way
            payloads.pop(self._events_path.replace(f"-{self._events_serial}.",
                                                   f"-{self._events_serial - 1}."), None)
        self._events_serial += 1
        self._events_path = f"{EVENTS_PATH}{id(self):x}-{self._events_serial}.bin"
        payloads[self._events_path] = encode_events(events) if payload is None else payload
        self._events_js = f"eventmap.loadEvents({json.dumps(mapping.APP_URL + self._events_path)});"
        if self._is_ready:
            self._page.runJavaScript(self._events_js)

    def prepare_clustering(self) -> None:
        """Many events are on their way (a large workspace is being read): the page starts its
        clustering worker now, while it waits, rather than when they arrive."""
        self._run("eventmap.prepareClustering();")

    def highlight(self, event_ids: Iterable[int]) -> None:
        """Emphasise these events (others are dimmed); an empty iterable clears."""
        self._remember("highlight", f"eventmap.highlight({_int_list(event_ids)});")

    def set_visible(self, event_ids: Iterable[int] | None) -> None:
        """Show only these events (None shows all); combines with the date filter."""
        ids = "null" if event_ids is None else _int_list(event_ids)
        self._remember("visible", f"eventmap.setVisible({ids});")

    def set_kinds(self, families: Iterable[str] | None,
                  statuses: Iterable[str] | None) -> None:
        """Show only events of these families and statuses (None: all of them)."""
        args = json.dumps([None if families is None else sorted(families),
                           None if statuses is None else sorted(statuses)])[1:-1]
        self._remember("kinds", f"eventmap.setKinds({args});")

    def set_places(self, places: list[tuple[str, float, float, int]]) -> None:
        """The places the articles name where no event is: (name, lat, lon, mentions)."""
        columns = {"name": [p[0] for p in places], "lat": [round(p[1], 5) for p in places],
                   "lon": [round(p[2], 5) for p in places], "mentions": [p[3] for p in places]}
        payload = json.dumps(columns, ensure_ascii=False, separators=(",", ":"))
        self._remember("places", f"eventmap.setPlaces(JSON.parse({json.dumps(payload)}));")

    def set_places_shown(self, on: bool) -> None:
        """The quieter layer of other places named, off by default."""
        self._remember("places_shown", f"eventmap.setPlacesShown({'true' if on else 'false'});")

    def set_caption(self, title: str, date_range: str = "",
                    filters: Sequence[str] = ()) -> None:
        """The caption every snapshot of this view carries (not drawn on screen)."""
        caption = {"title": title, "range": date_range, "filters": list(filters)}
        payload = json.dumps(json.dumps(caption))
        self._remember("caption", f"eventmap.setCaption(JSON.parse({payload}));")

    def select(self, event_id: int | None) -> None:
        """The event whose sources are open: its area's outline stays drawn."""
        self._remember("select", f"eventmap.select({json.dumps(event_id)});")

    def set_date_filter(self, date_from: str | None, date_to: str | None,
                        include_undated: bool = True) -> None:
        """Show events overlapping [date_from, date_to] (ISO dates, either may be None)."""
        args = json.dumps([date_from, date_to, include_undated])[1:-1]
        self._remember("dates", f"eventmap.setDateFilter({args});")

    def fit_events(self, event_ids: Iterable[int] | None = None) -> None:
        """Fit the view to the shown events (or to these)."""
        ids = "null" if event_ids is None else _int_list(event_ids)
        self._remember("view", f"eventmap.fitEvents({ids});")

    def set_view(self, lat: float, lon: float, zoom: float) -> None:
        """Centre the map there; ``zoom`` may be fractional (fitted views are)."""
        self._remember("view", f"eventmap.setView({float(lat)}, {float(lon)}, {float(zoom)});")

    def set_online_tiles(self, on: bool) -> None:
        """Online OpenStreetMap tiles over the offline basemap; off by default."""
        self._online = bool(on)
        self._blocker.allowed_hosts = ONLINE_TILE_HOSTS if on else frozenset()
        self._remember("online", f"eventmap.setOnlineTiles({'true' if on else 'false'});")

    @property
    def online_tiles(self) -> bool:
        return self._online

    _basemap_name: str = mapping.DEFAULT_BASEMAP

    def set_basemap(self, name: str) -> None:
        """The offline basemap under the events: "english" (vector tiles with English labels,
        the default) or "osm" (OpenStreetMap raster, local-script labels, zooms 0-6)."""
        if name not in mapping.BASEMAPS:
            raise ValueError(f"basemap must be one of {sorted(mapping.BASEMAPS)}, not {name!r}")
        self._basemap_name = name
        self._remember("basemap",
                       f"window.eventmapBasemap && eventmapBasemap.set({json.dumps(name)});")

    def basemap(self) -> str:
        """The basemap asked for (the page shows "osm" if the English one was not built)."""
        return self._basemap_name

    def run_js(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        """Run a script in the page (after it is ready)."""
        if callback is None:
            self._run(script)
        elif self._is_ready:
            self._page.runJavaScript(script, 0, callback)
        else:
            raise MapError("The map page is not ready yet.")

    def evaluate(self, expression: str, timeout_ms: int = 10000) -> Any:
        """The value of a JavaScript expression, through JSON (waits; spins a local loop)."""
        self.wait_ready(timeout_ms)
        text = self._call(f"JSON.stringify(({expression}))", timeout_ms)
        return None if text in (None, "") else json.loads(text)

    def wait_ready(self, timeout_ms: int = 30000) -> None:
        if self._is_ready:
            return
        _wait(lambda: self._is_ready, self.ready, timeout_ms,
              "The map page did not load within {} ms.")

    def wait_idle(self, timeout_ms: int = 30000) -> None:
        """Wait until tiles are loaded, markers are drawn and the frame is painted."""
        self.wait_ready(timeout_ms)
        deadline = QDeadlineTimer(timeout_ms)
        while not self._call("eventmap.isIdle()", timeout_ms):
            _pause(10)
            if deadline.hasExpired():
                raise MapError(f"The map did not finish drawing within {timeout_ms} ms.")
        self._call("eventmap.markFrames()", timeout_ms)
        while not self._call("eventmap.isIdle() && eventmap.framesPainted()", timeout_ms):
            _pause(5)
            if deadline.hasExpired():
                raise MapError(f"The map did not paint within {timeout_ms} ms.")

    def _call(self, script: str, timeout_ms: int) -> Any:
        result: list[Any] = []
        loop = QEventLoop()

        def done(value: Any) -> None:
            result.append(value)
            loop.quit()

        self._page.runJavaScript(script, 0, done)
        if not result:
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        if not result:
            raise MapError(f"The map page did not answer within {timeout_ms} ms.")
        return result[0]

    # -- images and print ------------------------------------------------------------------

    def grab_image(self, scale: float = 1.0, *, controls: bool = False) -> QImage:
        """The pixels of the map as shown; ``scale`` 2 renders the same view at twice the
        resolution (a hidden twin of this view, same events, filters and viewport). The zoom
        buttons are left out unless ``controls``."""
        if abs(scale - 1.0) < 1e-6:
            self.wait_ready()
            if not controls:
                self._call("eventmap.setSnapshotMode(true)", 10000)
            try:
                self.wait_idle()
                return self._stable_grab()
            finally:
                if not controls:
                    self._page.runJavaScript("eventmap.setSnapshotMode(false)")
        view = self.evaluate("eventmap.view()")
        twin = MapView(online_tiles=self._online)
        try:
            twin.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            twin.resize(QSize(round(self.width() * scale), round(self.height() * scale)))
            twin.setZoomFactor(scale)
            twin.show()
            twin.wait_ready()
            for script in self._replay():
                twin.run_js(script)
            twin.set_view(view["lat"], view["lon"], view["zoom"])
            if not controls:
                twin.run_js("eventmap.setSnapshotMode(true)")
            twin.wait_idle()
            return twin._stable_grab()
        finally:
            twin.close()
            delete_now(twin)

    def _stable_grab(self, settle_ms: int = 300, timeout_ms: int = 10000) -> QImage:
        """Grab until the picture stops changing: painted frames can reach the widget a little
        after the page is idle (notably for a widget that is not on screen)."""
        image = self.grab().toImage()
        deadline = QDeadlineTimer(timeout_ms)
        stable = 0
        while stable < settle_ms and not deadline.hasExpired():
            _pause(50)
            again = self.grab().toImage()
            stable = stable + 50 if again == image else 0
            image = again
        return image

    def print_pdf(self, path: str | Path, layout: QPageLayout | None = None,
                  timeout_ms: int = 60000) -> Path:
        """Print the page (the map as shown) to a PDF file and wait until it is written."""
        self.wait_idle()
        path = Path(path)
        result: list[bool] = []
        loop = QEventLoop()

        def finished(_file: str, ok: bool) -> None:
            result.append(ok)
            loop.quit()

        self._page.pdfPrintingFinished.connect(finished)
        try:
            if layout is None:
                self._page.printToPdf(str(path))
            else:
                self._page.printToPdf(str(path), layout)
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        finally:
            self._page.pdfPrintingFinished.disconnect(finished)
        if not result or not result[0]:
            raise MapError(f"Could not print the map to {path}.")
        return path

    # -- internals -------------------------------------------------------------------------

    def _remember(self, key: str, script: str) -> None:
        self._state[key] = script
        if self._is_ready:
            self._page.runJavaScript(script)

    def _replay(self) -> list[str]:
        scripts = [self._events_js] if self._events_js else []
        order = ("basemap", "online", "places", "places_shown", "kinds", "visible", "dates",
                 "highlight", "select", "caption", "view")
        return scripts + [self._state[k] for k in order if k in self._state]

    def _run(self, script: str) -> None:
        if self._is_ready:
            self._page.runJavaScript(script)
        else:
            self._pending.append(script)

    def _on_places_toggled(self, on: bool) -> None:
        self._state["places_shown"] = f"eventmap.setPlacesShown({'true' if on else 'false'});"
        self.placesToggled.emit(on)

    def _on_load_started(self) -> None:
        self._is_ready = False

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            log.warning("the map page failed to load")

    def _on_page_ready(self) -> None:
        self._is_ready = True
        # The page starts empty (first load or reload): replay the state, then the queue.
        pending, self._pending = self._pending, []
        for script in self._replay() + pending:
            self._page.runJavaScript(script)
        self.ready.emit()


def _forget_payloads(prefix: str, *_args: object) -> None:
    """A view is gone: so are the events it served its page."""
    if _handler is not None:
        for path in [p for p in _handler.payloads if p.startswith(prefix)]:
            del _handler.payloads[path]


def delete_now(widget: QObject) -> None:
    """Delete a view at once: its page must go before the shared web profile does."""
    if Shiboken.isValid(widget):
        Shiboken.delete(widget)


def _pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _int_list(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


def _wait(done: Callable[[], bool], signal: Any, timeout_ms: int, message: str) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    try:
        if not done():
            loop.exec()
    finally:
        signal.disconnect(loop.quit)
    if not done():
        raise MapError(message.format(timeout_ms))
