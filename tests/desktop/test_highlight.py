"""Passage HTML, dates as the analyst reads them, and the timeline's bins (no Qt)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.formatting import format_range
from desktop.highlight import Span, document_html, marked_html, source_card_html
from desktop.timeline_bins import choose_unit, histogram, shift
from store.models import EventSource

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
