"""Passage HTML, dates as the analyst reads them, and the timeline's bins (no Qt)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.formatting import format_range
from desktop.highlight import (
    STYLES,
    Span,
    annotation_spans,
    document_html,
    event_header_html,
    event_sources_html,
    marked_html,
    source_card_html,
)
from desktop.timeline_bins import choose_unit, histogram, shift
from store.document_annotations import (
    ActorMention,
    DateSpan,
    DocumentAnnotations,
    DocumentEvent,
    EventTrigger,
)
from store.models import EventActor, EventRecord, EventSource, SourceActor

HOSTILE = 'Kim <b>met</b> Putin in Vladivostok <script>alert(1)</script> on "Sept. 12" & left.'


def test_every_piece_of_text_is_escaped_and_marked_by_offsets() -> None:
    at = HOSTILE.index("Vladivostok")
    html = marked_html(HOSTILE, [Span(at, at + 11, "mention")])
    assert "<script>" not in html and "<b>met" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp; left" in html
    assert html.count("<span") == 1 and ">Vladivostok</span>" in html


def test_overlapping_and_out_of_range_spans() -> None:
    html = marked_html("abcdef", [Span(0, 4, "mention"), Span(2, 6, "date"),
                                  Span(3, 99, "date"), Span(1, 2, "no such kind")])
    assert html.count("<span") == 3  # ab | cd (both) | ef
    assert "a" in html and "ef</span>" in html


def test_source_card_escapes_title_outlet_and_passage() -> None:
    m = HOSTILE.index("Vladivostok")
    d = HOSTILE.index('"Sept. 12"')
    source = EventSource(7, "<i>Title</i>", "Out<let>", "2023-09-05", 42, HOSTILE, 100,
                         m, m + 11, d, d + 10)
    html = source_card_html(source)
    assert "<i>Title" not in html and "&lt;i&gt;Title&lt;/i&gt;" in html
    assert "Out&lt;let&gt;" in html and "<script>" not in html
    assert "open:7:42" in html and "passage:42" in html
    assert "&quot;Sept. 12&quot;</span>" in html  # the date expression is highlighted
    assert "Placed here" not in html  # no reason recorded, no line for it


def test_source_card_says_why_the_place_was_chosen() -> None:
    m = HOSTILE.index("Vladivostok")
    source = EventSource(7, "T", None, None, 42, HOSTILE, 100, m, m + 11,
                         reason="where the outlet usually reports <b>")
    html = source_card_html(source)
    assert "Placed here: where the outlet usually reports &lt;b&gt;" in html


def test_document_html_anchors_the_opened_passage() -> None:
    text = "First <x> line.\nSecond names Vladivostok."
    at = text.index("Vladivostok")
    html = document_html(text, [(at, at + 11, "Vladivostok", "Vladivostok"), (0, 5, "First",
                                                                              None)],
                         passage=(16, len(text)))
    assert '<a name="passage"></a>' in html and "&lt;x&gt;" in html
    assert html.index('<a name="passage">') < html.index(">Vladivostok</span>")
    assert "not resolved to a place" in html


def colour(kind: str) -> str:
    return STYLES[kind].split(":")[1].split(";")[0]


def event(**changes) -> EventRecord:
    """A located, dated event at Vladivostok with no sources; `changes` override fields."""
    fields = dict(id=5, place_id=9, place="Vladivostok", kind="city", lat=43.1, lon=131.9,
                  country="RU", precision_km=1.0, approximate=False, date_start="2023-09-10",
                  date_end="2023-09-13", date_text="September 10-13", date_precision="range",
                  reported="2023-09-05", source_count=3, type="CONSULT", status="planned",
                  title="Kim Jong-un to meet Vladimir Putin", document_count=2, outlet_count=2)
    fields.update(changes)
    return EventRecord(**fields)


KIM = EventActor(1, "Kim Jong-un", "person", "source")
PUTIN = EventActor(2, "Vladimir Putin", "person", "target")


def test_event_header_says_what_who_where_when_and_how_often() -> None:
    html = event_header_html(event(actors=(KIM, PUTIN, EventActor(2, "Vladimir Putin",
                                                                    "person", "source"))))
    assert "Kim Jong-un to meet Vladimir Putin</span>" in html
    assert "Meetings and visits" in html and "#1f77b4" in html  # the family's chip
    assert "CONSULT" in html and "font-style:italic" in html  # planned: set apart
    # Actors are links that filter; one in both roles is listed once, under "Who".
    assert 'Who:</span> <a href="actor:1"' in html and html.count('href="actor:2"') == 1
    assert "With:" not in html
    assert "<b>Vladivostok</b>" in html and "city, RU" in html and "10–13 Sep 2023" in html
    assert "3 sources in 2 articles from 2 outlets" in html
    reported = event_header_html(event(status="reported", actors=(KIM, PUTIN)))
    assert "font-style:italic" not in reported
    assert 'With:</span> <a href="actor:2"' in reported


def test_event_header_without_actors_place_date_or_type() -> None:
    html = event_header_html(event(place_id=None, place="", kind="", country=None,
                                   date_start=None, date_end=None, reported=None, type=None,
                                   title="", trigger="talks", outlet_count=0,
                                   status="denied"))
    assert "Who:" not in html and "With:" not in html and "actor:" not in html
    assert "No place given" in html and "undated" in html
    assert ">talks</span>" in html  # no title: its trigger
    assert "Other" in html and "denied" in html
    assert "outlet" not in html  # no outlet known: no "from 0 outlets"


@pytest.mark.parametrize(("kind", "country", "where", "detail"), [
    ("country", "RU", "somewhere in <b>Russia</b>", None),
    ("region", "RU", "somewhere in <b>Russia</b>", "region, RU"),
    ("city", "RU", "<b>Russia</b>", "city, RU"),
])
def test_an_event_at_an_area_is_somewhere_in_it(kind, country, where, detail) -> None:
    html = event_header_html(event(place="Russia", kind=kind, country=country))
    assert f"Where:</span> {where}" in html
    assert detail is None or detail in html


def test_event_header_escapes_what_the_text_gave() -> None:
    html = event_header_html(event(title="<script>x</script>", place="<b>Pl</b>",
                                   actors=(EventActor(3, "<i>Evil</i>", "group", "source"),)))
    assert "<script>" not in html and "<b>Pl" not in html and "<i>Evil" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&lt;i&gt;Evil&lt;/i&gt;</a>" in html


def test_passage_marks_trigger_actors_place_and_date_by_offsets() -> None:
    text = "Yesterday Kim met Putin in Vladivostok."
    at = text.index
    source = EventSource(
        7, "T", None, None, 42, text, 100, at("Vladivostok"), at("Vladivostok") + 11,
        0, 9, trigger_start=at("met"), trigger_end=at("met") + 3, trigger="met",
        actors=(SourceActor(1, "source", at("Kim"), at("Kim") + 3, "Kim"),
                SourceActor(2, "target", at("Putin"), at("Putin") + 5, "Putin"),
                SourceActor(2, "target", 30, 999, "out of range")))
    html = event_sources_html(event(actors=(KIM, PUTIN), sources=(source,)))
    card = html[html.index("<table"):]
    for kind, word in (("trigger", "met"), ("actor", "Kim"), ("actor", "Putin"),
                       ("mention", "Vladivostok"), ("date", "Yesterday")):
        assert f'<span style="{STYLES[kind]}"' in card and f">{word}</span>" in card, kind
    assert card.count(colour("actor")) == 2  # the span out of range is left out
    assert 'title="Kim Jong-un (who)"' in card and 'title="Vladimir Putin (with)"' in card
    # No offsets, no highlight: a source without them is plain text.
    bare = source_card_html(EventSource(7, "T", None, None, 42, text, 100, None, None))
    assert "<span style" not in bare.split("<p")[1]


def test_document_html_marks_annotations_and_anchors_events() -> None:
    text = "Kim <met> Putin on Monday.\nThen they left."
    notes = DocumentAnnotations(
        actors=(ActorMention(0, 3, "Kim", 1, "Kim Jong-un", "person"),
                ActorMention(40, 99, "beyond the text", 2, "X", "person")),
        dates=(DateSpan(19, 25, "Monday", "2023-09-11", "2023-09-11"),),
        triggers=(EventTrigger(4, 9, "<met>", 8, "planned"),),
        events=(DocumentEvent(8, "Kim meets Putin", "CONSULT", "planned", None, None, None,
                              "", "", 4),))
    html = document_html(text, [], passage=(27, len(text)), extra=annotation_spans(notes),
                         anchors=[(4, "event-8"), (999, "nowhere")])
    assert 'title="actor: Kim Jong-un"' in html and 'title="11 Sep 2023"' in html
    # A place named as an actor ("Russia refuses") shows as the place; the tooltip says both.
    both = document_html("Russia refuses.", [(0, 6, "Russia", "Russia")], extra=annotation_spans(
        DocumentAnnotations(actors=(ActorMention(0, 6, "Russia", 3, "Russia", "state"),))))
    assert 'title="→ Russia · actor: Russia">Russia</span>' in both
    assert 'title="Kim meets Putin (planned)">&lt;met&gt;</span>' in html
    assert html.index('<a name="event-8">') < html.index("&lt;met&gt;")
    assert html.index('<a name="passage">') < html.index("Then")
    assert "nowhere" not in html and html.count(colour("actor")) == 1
    assert document_html("", [], passage=(0, 0)).count('<a name="passage">') == 1


@pytest.mark.parametrize(("start", "end", "text"), [
    ("2023-09-10", "2023-09-13", "10–13 Sep 2023"),
    ("2023-07-01", "2023-07-31", "Jul 2023"),
    ("2023-01-01", "2023-12-31", "2023"),
    ("2023-09-04", "2023-09-04", "4 Sep 2023"),
    ("2023-08-28", "2023-09-03", "28 Aug – 3 Sep 2023"),
    ("2015-01-01", "2023-09-05", "1 Jan 2015 – 5 Sep 2023"),
    (None, None, "undated"),
])
def test_format_range(start, end, text) -> None:
    assert format_range(start, end) == text


def test_units_and_bins() -> None:
    lo, hi = date(2023, 9, 1), date(2023, 9, 30)
    assert choose_unit(lo, hi, 120) == "day"
    assert choose_unit(date(2015, 1, 1), hi, 120) == "month"
    assert choose_unit(date(1900, 1, 1), hi, 120) == "year"
    assert shift(date(2023, 1, 31), "month") == date(2023, 2, 28)
    ranges = [(date(2023, 9, 10), date(2023, 9, 13)), (date(2023, 9, 12), date(2023, 9, 12)),
              (date(2023, 7, 1), date(2023, 9, 30))]
    bins = histogram(ranges, date(2023, 7, 1), date(2023, 9, 30), "week")
    assert sum(b.dated for b in bins) == 2
    assert all(b.ongoing == 1 for b in bins)  # "July to September" overlaps every week
    by_month = histogram(ranges, date(2023, 7, 1), date(2023, 9, 30), "month")
    assert [(b.dated, b.ongoing) for b in by_month] == [(0, 1), (0, 1), (2, 1)]
