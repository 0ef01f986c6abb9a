"""Article text as HTML with the place mentions and date expressions highlighted.

Article text is hostile input: every piece of it goes through html.escape, and highlights are
placed by character offsets, never by searching the text for the mention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from desktop.formatting import GUESS_COLOUR, event_when, format_day, plural
from store.models import EventRecord, EventSource

# Inline styles: QTextBrowser's CSS support for class selectors on spans is patchy.
STYLES = {
    "passage": "background-color:#fff6d6;",
    "mention": "background-color:#ffd166; color:#3d2c00; font-weight:600;",
    "unresolved": "color:#6b6b6b; text-decoration:underline;",
    "date": "background-color:#cfe3ff; color:#0b3a75;",
}
PRIORITY = ("passage", "unresolved", "mention", "date")  # later kinds style on top


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a key of STYLES
    title: str = ""  # tooltip, e.g. the place a mention resolved to


def marked_html(text: str, spans: Iterable[Span]) -> str:
    """`text` escaped, with each span wrapped in a styled <span>; spans may overlap."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text) and s.kind in STYLES]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[a:b]).replace("\n", "<br>")
        covering = [s for s in spans if s.start <= a and b <= s.end]
        if not covering:
            out.append(piece)
            continue
        kinds = {s.kind for s in covering}
        style = "".join(STYLES[k] for k in PRIORITY if k in kinds)
        title = next((s.title for s in covering if s.title), "")
        title_attr = f' title="{escape(title)}"' if title else ""
        out.append(f'<span style="{style}"{title_attr}>{piece}</span>')
    return "".join(out)


def source_spans(source: EventSource) -> list[Span]:
    spans = []
    if source.mention_start is not None and source.mention_end is not None:
        spans.append(Span(source.mention_start, source.mention_end, "mention"))
    if source.date_start is not None and source.date_end is not None:
        spans.append(Span(source.date_start, source.date_end, "date"))
    return spans


def byline(title: str, outlet: str | None, published: str | None,
           guessed: bool = False) -> str:
    meta = " · ".join(escape(x) for x in (outlet or "", format_day(published)) if x)
    if guessed:
        meta += (f' <span style="color:{GUESS_COLOUR};">(the file\'s time: a guessed '
                 "date)</span>")
    return f'<b>{escape(title or "Untitled")}</b><br><span style="color:#5f6b7a;">{meta}</span>'


def event_header_html(event: EventRecord) -> str:
    documents = len({s.document_id for s in event.sources})
    where = escape(event.place)
    kind = escape(event.kind) + (f", {escape(event.country)}" if event.country else "")
    approx = (
        f'<br><span style="color:#a15c00;">Approximate location (±{event.precision_km:g} km)'
        "</span>" if event.approximate else ""
    )
    guess = (f' <span style="color:{GUESS_COLOUR};">(from a file\'s time: a guess)</span>'
             if event.guessed_dates else "")
    return (
        f'<p style="margin:0;"><span style="font-size:large; font-weight:600;">{where}</span> '
        f'<span style="color:#5f6b7a;">{kind}</span><br>'
        f"{escape(event_when(event))}{guess} — "
        f"{plural(event.source_count, 'source')} in {plural(documents, 'document')}"
        f'<span style="color:#8a94a3;"> · {event.lat:.3f}, {event.lon:.3f}</span>{approx}</p>'
    )


def source_card_html(source: EventSource, selected: bool = False) -> str:
    """One source passage as a card with links to open the article, show its markers or
    correct the place its mention resolved to."""
    background = "#eef4ff" if selected else "#ffffff"
    correct = ("" if source.mention_id is None else
               f'&nbsp;&nbsp;·&nbsp;&nbsp;<a href="correct:{int(source.mention_id)}">'
               "Correct place…</a>")
    return (
        f'<table width="100%" cellpadding="8" cellspacing="0" bgcolor="{background}" '
        f'style="border:1px solid #d5dbe3; margin-bottom:6px;"><tr><td>'
        f"{byline(source.title, source.outlet, source.published, source.guessed_date)}"
        f'<p style="margin-top:6px; margin-bottom:6px;">'
        f"{marked_html(source.passage, source_spans(source))}</p>"
        f"{_reason_html(source.reason)}"
        f'<a href="open:{source.document_id}:{source.passage_id}">Open article</a>'
        f'&nbsp;&nbsp;·&nbsp;&nbsp;<a href="passage:{source.passage_id}">Markers of this passage'
        f"</a>{correct}</td></tr></table>"
    )


def _reason_html(reason: str) -> str:
    if not reason:
        return ""
    return (f'<p style="margin-top:0; margin-bottom:6px; color:#5f6b7a; font-size:small;">'
            f"Placed here: {escape(reason)}</p>")


def event_sources_html(event: EventRecord, selected_passage: int | None = None) -> str:
    cards = "".join(
        source_card_html(s, selected=s.passage_id == selected_passage) for s in event.sources
    )
    return f"{event_header_html(event)}<br>{cards}"


def document_html(
    text: str,
    mentions: Iterable[tuple[int, int, str, str | None]],
    passage: tuple[int, int] | None = None,
) -> str:
    """A whole document with every mention highlighted; `passage` shaded and anchored."""
    spans = [
        Span(start, end, "mention" if place else "unresolved",
             f"→ {place}" if place else "not resolved to a place")
        for start, end, _surface, place in mentions
    ]
    if passage is None:
        body = marked_html(text, spans)
    else:
        spans.append(Span(passage[0], passage[1], "passage"))
        # The anchor sits in front of the passage: split the text, then escape each side.
        head = marked_html(text[:passage[0]], _clip(spans, 0, passage[0]))
        tail = marked_html(text[passage[0]:], _clip(spans, passage[0], len(text)))
        body = f'{head}<a name="passage"></a>{tail}'
    return f'<div style="line-height:140%;">{body}</div>'


def _clip(spans: list[Span], lo: int, hi: int) -> Iterable[Span]:
    for s in spans:
        a, b = max(s.start, lo), min(s.end, hi)
        if a < b:
            yield Span(a - lo, b - lo, s.kind, s.title)


def legend_html() -> str:
    return (
        f'<span style="{STYLES["mention"]}">&nbsp;place&nbsp;</span>&nbsp;'
        f'<span style="{STYLES["date"]}">&nbsp;date&nbsp;</span>'
    )
