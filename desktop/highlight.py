"""Article text as HTML with what was read from it highlighted: the words that report an event,
its actors, the place mentions and the date expressions; and the event card above them.

Article text is hostile input: every piece of it goes through html.escape, and highlights are
placed by character offsets, never by searching the text for the mention.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape

from desktop.formatting import GUESS_COLOUR, event_when, format_day, format_range, plural
from store.document_annotations import DocumentAnnotations
from store.event_families import family_of
from store.models import EventActor, EventRecord, EventSource

# Inline styles: QTextBrowser's CSS support for class selectors on spans is patchy.
STYLES = {
    "passage": "background-color:#fff6d6;",
    "actor": "background-color:#d4f1dc; color:#14532d;",
    "mention": "background-color:#ffd166; color:#3d2c00; font-weight:600;",
    "unresolved": "color:#6b6b6b; text-decoration:underline;",
    "date": "background-color:#cfe3ff; color:#0b3a75;",
    "trigger": "background-color:#ffd3c4; color:#9a2600; font-weight:700; "
               "text-decoration:underline;",
}
PRIORITY = ("passage", "unresolved", "actor", "mention", "date", "trigger")  # later on top
STATUS_STYLES = {
    "reported": "color:#3d4753;",
    "planned": "color:#1f5fa8; font-style:italic; font-weight:600;",
    "hypothetical": "color:#6b3fa0; font-style:italic; font-weight:600;",
    "denied": "color:#b42318; font-weight:600;",
}
AREA_KINDS = ("country", "region", "county", "continent")  # an event there is at an area
GREY = "color:#5f6b7a;"
ROLE_WORDS = {"source": "who", "target": "with"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a key of STYLES
    title: str = ""  # tooltip, e.g. the place a mention resolved to


def marked_html(text: str, spans: Iterable[Span]) -> str:
    """`text` escaped, with each span wrapped in a styled <span>; spans may overlap."""
    spans = [s for s in spans if _valid(s, len(text)) and s.kind in STYLES]
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
        # Every tooltip, the top style's first: a place named as an actor says both.
        title = " · ".join(dict.fromkeys(s.title for s in sorted(covering, key=_on_top)
                                         if s.title))
        title_attr = f' title="{escape(title)}"' if title else ""
        out.append(f'<span style="{style}"{title_attr}>{piece}</span>')
    return "".join(out)


def _valid(span: Span, length: int) -> bool:
    return (isinstance(span.start, int) and isinstance(span.end, int)
            and 0 <= span.start < span.end <= length)


def _on_top(span: Span) -> int:
    return -PRIORITY.index(span.kind)


def source_spans(source: EventSource,
                 actors: Mapping[int, EventActor] | None = None) -> list[Span]:
    """The trigger, actors, place and date of one source passage (passage offsets)."""
    spans = []
    for a in source.actors:
        actor = (actors or {}).get(a.actor_id)
        name = actor.name if actor else a.text
        spans.append(Span(a.start, a.end, "actor", f"{name} ({ROLE_WORDS.get(a.role, a.role)})"))
    if source.mention_start is not None and source.mention_end is not None:
        spans.append(Span(source.mention_start, source.mention_end, "mention"))
    if source.date_start is not None and source.date_end is not None:
        spans.append(Span(source.date_start, source.date_end, "date"))
    if source.trigger_start is not None and source.trigger_end is not None:
        spans.append(Span(source.trigger_start, source.trigger_end, "trigger",
                          f"reports the event ({source.status})"))
    return spans


def byline(title: str, outlet: str | None, published: str | None,
           guessed: bool = False) -> str:
    meta = " · ".join(escape(x) for x in (outlet or "", format_day(published)) if x)
    if guessed:
        meta += (f' <span style="color:{GUESS_COLOUR};">(the file\'s time: a guessed '
                 "date)</span>")
    return f'<b>{escape(title or "Untitled")}</b><br><span style="{GREY}">{meta}</span>'


def status_html(status: str) -> str:
    return f'<span style="{STATUS_STYLES.get(status, "")}">{escape(status)}</span>'


def family_chip(category: str | None) -> str:
    fam = family_of(category)
    return (f'<span style="background-color:{fam.colour}; color:#ffffff; font-weight:600;">'
            f"&nbsp;{escape(fam.label)}&nbsp;</span>")


def event_title(event: EventRecord) -> str:
    return event.title or event.trigger or event.place or "Untitled event"


def actors_html(actors: Iterable[EventActor]) -> str:
    """"Who:" and "With:" lines of actor links; an actor of both roles is listed once, under
    "Who". No actors, no lines."""
    actors = list(actors)
    sources = _unique(a for a in actors if a.role == "source")
    targets = _unique(a for a in actors if a.role != "source" and a.id not in sources)
    lines = [f'<span style="{GREY}">{label}:</span> '
             + ", ".join(f'<a href="actor:{int(a.id)}" title="Show only the events of '
                         f'{escape(a.name)}">{escape(a.name)}</a>' for a in group.values())
             for label, group in (("Who", sources), ("With", targets)) if group]
    return "<br>".join(lines)


def _unique(actors: Iterable[EventActor]) -> dict[int, EventActor]:
    out: dict[int, EventActor] = {}
    for a in actors:
        out.setdefault(a.id, a)
    return out


def place_html(event: EventRecord) -> str:
    if not event.located:
        return f'<span style="{GREY}">No place given: the event is not on the map</span>'
    if event.kind in AREA_KINDS:
        detail = "" if event.kind == "country" else escape(
            event.kind + (f", {event.country}" if event.country else ""))
        where = f"somewhere in <b>{escape(event.place)}</b>"
    else:
        detail = escape(", ".join(x for x in (event.kind, event.country or "") if x))
        where = f"<b>{escape(event.place)}</b>"
    detail = f' <span style="{GREY}">{detail}</span>' if detail else ""
    return (f'{where}{detail}<span style="color:#8a94a3;"> · {event.lat:.3f}, '
            f"{event.lon:.3f}</span>")


def event_header_html(event: EventRecord) -> str:
    """The card above the passages: title, kind and status, actors, place, dates, counts."""
    documents = event.document_count or len({s.document_id for s in event.sources})
    outlets = f" from {plural(event.outlet_count, 'outlet')}" if event.outlet_count else ""
    kind = " · ".join(x for x in (family_chip(event.type), escape(event.type or ""),
                                  status_html(event.status)) if x)
    approx = (
        f'<br><span style="color:#a15c00;">Approximate location (±{event.precision_km:g} km)'
        "</span>" if event.approximate else ""
    )
    guess = (f' <span style="color:{GUESS_COLOUR};">(from a file\'s time: a guess)</span>'
             if event.guessed_dates else "")
    who = actors_html(event.actors)
    lines = [
        who,
        f'<span style="{GREY}">Where:</span> {place_html(event)}{approx}',
        f'<span style="{GREY}">When:</span> {escape(event_when(event))}{guess}',
        f'<span style="{GREY}">{plural(event.source_count, "source")} in '
        f'{plural(documents, "article")}{outlets}</span>',
    ]
    return (
        f'<p style="margin:0;"><span style="font-size:large; font-weight:700;">'
        f"{escape(event_title(event))}</span></p>"
        f'<p style="margin-top:4px; margin-bottom:4px;">{kind}</p>'
        f'<p style="margin:0;">{"<br>".join(x for x in lines if x)}</p>'
    )


def source_card_html(source: EventSource, selected: bool = False,
                     actors: Mapping[int, EventActor] | None = None) -> str:
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
        f"{marked_html(source.passage, source_spans(source, actors))}</p>"
        f"{_reason_html(source.reason)}"
        f'<a href="open:{source.document_id}:{source.passage_id}">Open article</a>'
        f'&nbsp;&nbsp;·&nbsp;&nbsp;<a href="passage:{source.passage_id}">Markers of this passage'
        f"</a>{correct}</td></tr></table>"
    )


def _reason_html(reason: str) -> str:
    if not reason:
        return ""
    return (f'<p style="margin-top:0; margin-bottom:6px; {GREY} font-size:small;">'
            f"Placed here: {escape(reason)}</p>")


def event_sources_html(event: EventRecord, selected_passage: int | None = None) -> str:
    actors = {a.id: a for a in event.actors}
    cards = "".join(
        source_card_html(s, selected=s.passage_id == selected_passage, actors=actors)
        for s in event.sources
    )
    return f"{event_header_html(event)}<br>{cards}"


def annotation_spans(annotations: DocumentAnnotations) -> list[Span]:
    """The actors, dates and event triggers of a document as spans (document offsets)."""
    titles = {e.id: e.title for e in annotations.events}
    return [
        *(Span(a.start, a.end, "actor", f"actor: {a.name}") for a in annotations.actors),
        *(Span(d.start, d.end, "date", format_range(d.date_start, d.date_end))
          for d in annotations.dates),
        *(Span(t.start, t.end, "trigger", f"{titles.get(t.event_id, '')} ({t.status})")
          for t in annotations.triggers),
    ]


def document_html(
    text: str,
    mentions: Iterable[tuple[int, int, str, str | None]],
    passage: tuple[int, int] | None = None,
    extra: Iterable[Span] = (),
    anchors: Iterable[tuple[int, str]] = (),
) -> str:
    """A whole document with every mention (and the `extra` spans) highlighted; `passage`
    shaded and anchored as "passage"; each of `anchors` (offset, name) an anchor there."""
    spans = [
        Span(start, end, "mention" if place else "unresolved",
             f"→ {place}" if place else "not resolved to a place")
        for start, end, _surface, place in mentions
    ]
    spans.extend(extra)
    spans = [s for s in spans if _valid(s, len(text))]  # before clipping to the pieces
    marks = [(at, name) for at, name in anchors if isinstance(at, int) and 0 <= at <= len(text)]
    if passage is not None:
        spans.append(Span(passage[0], passage[1], "passage"))
        if 0 <= passage[0] <= len(text):
            marks.append((passage[0], "passage"))
    # Anchors sit between pieces: split the text at them, then escape each piece.
    names: dict[int, list[str]] = {}
    for at, name in sorted(marks):
        names.setdefault(at, []).append(name)
    cuts = sorted({0, len(text), *names})
    body = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        body.extend(f'<a name="{escape(n)}"></a>' for n in names.pop(a, ()))
        body.append(marked_html(text[a:b], _clip(spans, a, b)))
    body.extend(f'<a name="{escape(n)}"></a>' for group in names.values() for n in group)
    return f'<div style="line-height:140%;">{"".join(body)}</div>'


def _clip(spans: list[Span], lo: int, hi: int) -> Iterable[Span]:
    for s in spans:
        a, b = max(s.start, lo), min(s.end, hi)
        if a < b:
            yield Span(a - lo, b - lo, s.kind, s.title)


def legend_html() -> str:
    return "&nbsp; ".join(
        f'<span style="{STYLES[kind]}">&nbsp;{label}&nbsp;</span>'
        for kind, label in (("trigger", "event"), ("actor", "actor"), ("mention", "place"),
                            ("date", "date"))
    )
