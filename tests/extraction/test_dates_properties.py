"""Properties of find_dates: never raises, for any text and any publication date, and what it
returns slices the text and is a valid range."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.dates import find_dates

_WORDS = ["next", "last", "this", "year", "month", "week", "weekend", "day", "tomorrow",
          "yesterday", "ago", "two", "the", "of", "in", "on", "since", "early", "late", "mid",
          "first", "quarter", "half", "September", "May", "March", "Monday", "Sunday", "25th",
          "to", "and", "between", "-", "/", ".", ",", "Q4", "1990s", "2023", "9999", "0001",
          "99999", "31", "12", "2", "29", "Feb", "year 99999", "earlier", "later", "today"]
_TEXT = st.lists(st.one_of(st.sampled_from(_WORDS), st.integers(0, 100_000).map(str)),
                 max_size=14).map(" ".join)
_EXTREME = st.sampled_from([datetime.date.min, datetime.date.max, datetime.date(9999, 12, 25),
                            datetime.date(1, 1, 3)])
_PUBLISHED = st.one_of(st.none(), st.dates(), _EXTREME)


@given(_TEXT, _PUBLISHED, st.integers(0, 50))
@settings(max_examples=600, deadline=None)
def test_find_dates_never_raises_and_slices_the_text(text, published, offset) -> None:
    for mention in find_dates(text, published, offset=offset):
        assert text[mention.start - offset:mention.end - offset] == mention.text
        start = datetime.date.fromisoformat(mention.range.start)
        end = datetime.date.fromisoformat(mention.range.end)
        assert start <= end


def test_relative_dates_beyond_the_calendar_are_dropped() -> None:
    assert find_dates("They meet next year, tomorrow.", datetime.date.max) == []
    last = find_dates("It began last year.", datetime.date.min)
    assert last == []
