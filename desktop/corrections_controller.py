"""Corrections from the window: the "Correct place…" link of a source card, Edit › Undo and the
corrections list. Each is one call of store.corrections (milliseconds, so on the GUI thread)
followed by the window's own refresh, the one an import uses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, TypeVar

from desktop.correction_dialog import CorrectionChoice, CorrectionDialog
from geo.gazetteer import Gazetteer, GazetteerError
from store import corrections
from store.errors import EventmapError
from store.models import Place

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

T = TypeVar("T")

log = logging.getLogger(__name__)


class CorrectionController:
    def __init__(self, window: MainWindow):
        self.window = window
        self.dialog: CorrectionDialog | None = None
        self._gazetteer: Gazetteer | None = None

    def gazetteer(self) -> Gazetteer | None:
        """The place index, opened on first use (it exists once anything was imported)."""
        if self._gazetteer is None:
            try:
                self._gazetteer = Gazetteer.open()
            except GazetteerError as e:
                log.warning("No place index for the correction dialog: %s", e)
        return self._gazetteer

    def candidates(self, keys: tuple[str, ...], current: Place | None = None
                   ) -> tuple[list[Place], dict[str, str]]:
        """The candidate places of a mention and their addresses ("Moscow, Idaho, ...")."""
        gazetteer = self.gazetteer()
        if gazetteer is None:
            return [], {}
        places = [p for p in (gazetteer.get(k) for k in keys) if p is not None]
        extra = [current] if current is not None else []
        return places, {p.key: gazetteer.address(p) for p in places + extra}

    def open_dialog(self, mention_id: int) -> CorrectionDialog | None:
        """Show the dialog for one mention; the choice is applied when the analyst accepts."""
        session = self.window.session
        if session is None:
            return None
        try:
            info = corrections.mention_info(session.ws, mention_id)
        except EventmapError as e:
            self.window.statusBar().showMessage(str(e), 8000)
            return None
        if self.dialog is not None:
            self.dialog.close()
        places, addresses = self.candidates(info.candidates, info.place)
        dialog = CorrectionDialog(info, places, self.window, addresses)
        dialog.accepted.connect(lambda d=dialog: self.apply(d.choice()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def apply(self, choice: CorrectionChoice | None) -> corrections.Correction | None:
        session = self.window.session
        if choice is None or session is None:
            return None
        if choice.place is None:
            done = self._attempt("The correction was not applied", corrections.reject_mention,
                                 session.ws, choice.mention_id, choice.scope)
        else:
            done = self._attempt("The correction was not applied",
                                 corrections.choose_candidate, session.ws, choice.mention_id,
                                 choice.place, choice.scope)
        if done is None:
            return None
        self._refresh(f"Corrected: {done.description}", follow=choice.mention_id
                      if choice.place is not None else None)
        return done

    def undo(self) -> str | None:
        session = self.window.session
        if session is None:
            return None
        description = self._attempt("Could not undo", corrections.undo_last, session.ws)
        if description is not None:
            self._refresh(f"Undone: {description}")
        return description

    def accept_dates(self) -> str | None:
        """Edit › Accept file dates: the articles dated by their file's time join the dated
        timeline (Ctrl+Z reverts)."""
        session = self.window.session
        if session is None:
            return None
        done = self._attempt("Could not accept the dates", corrections.accept_guessed_dates,
                             session.ws)
        if done is None:
            self.window.statusBar().showMessage("No article has a guessed date", 5000)
            return None
        self._refresh(f"Done: {done.description}. Ctrl+Z reverts it.")
        return done.description

    def _attempt(self, failure: str, call: Callable[..., T], *args: object) -> T | None:
        """`call(*args)`, or None after a warning titled `failure` when it raises."""
        try:
            return call(*args)
        except EventmapError as e:
            self.window.show_message("warning", failure, str(e))
            return None

    def update_undo(self) -> None:
        """Edit › Undo says what it undoes, and is off when there is nothing to undo; Accept
        file dates is on while some article's date is a guess."""
        session = self.window.session
        guessed = session.guessed_count() if session else 0
        accept = self.window.ui_actions.accept_dates
        accept.setEnabled(guessed > 0)
        accept.setText(f"Accept the file dates of {guessed:,} article"
                       f"{'s' if guessed != 1 else ''}" if guessed else "Accept file dates")
        last = corrections.last_correction(session.ws) if session else None
        action = self.window.ui_actions.undo
        action.setEnabled(last is not None)
        text = last.description.replace("&", "&&") if last else ""  # no mnemonic from text
        action.setText(f"&Undo {text}" if last else "&Undo")

    def show_list(self) -> None:
        session = self.window.session
        done = corrections.corrections(session.ws) if session else []
        if not done:
            text = "No corrections in this workspace yet. Use <i>Correct place…</i> on a source."
        else:
            rows = "".join(
                f"<tr><td>{escape(c.created[:16].replace('T', ' '))}</td><td>&nbsp;&nbsp;"
                f"{escape(c.description)}</td><td>&nbsp;&nbsp;{c.mentions}</td></tr>"
                for c in done
            )
            text = (f"<table><tr><th align=left>When (UTC)</th><th align=left>&nbsp;&nbsp;What"
                    f"</th><th>&nbsp;&nbsp;Mentions</th></tr>{rows}</table>")
        self.window.show_message("information", "Corrections", text, rich=True)

    def _refresh(self, message: str, follow: int | None = None) -> None:
        """Re-read the workspace into every view, keeping the sources panel on its event (or
        on the event the corrected mention moved to)."""
        w = self.window
        shown = w.sources.current_event

        def follow_up() -> None:  # once the views hold the workspace as it is now
            session = w.session
            if session is None:
                return
            event_id = corrections.event_of_mention(session.ws, follow) if follow else None
            if event_id is None and shown is not None and session.event(shown.id) is not None:
                event_id = shown.id
            if event_id is not None:
                w.show_event_sources(event_id)
            else:
                w.sources.show_event(None)
                w.map_view.highlight([])
            w.statusBar().showMessage(message, 10000)

        w.refresh_all(then=follow_up)

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
        if self._gazetteer is not None:
            self._gazetteer.close()
            self._gazetteer = None

