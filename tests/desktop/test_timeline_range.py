"""The timeline's default view: the bulk of the events, not one background date (no Qt)."""

from __future__ import annotations

from datetime import date

from desktop.timeline_range import (
    bulk_window,
    default_view,
    first_in_view,
    full_extent,
    last_in_view,
    moved,
    outside,
    padded,
    replaces,
)


def day(iso: str) -> tuple[date, date]:
    d = date.fromisoformat(iso)
    return d, d


def span(a: str, b: str) -> tuple[date, date]:
    return date.fromisoformat(a), date.fromisoformat(b)


# The seeds' dated events: a September 2023 story, "held there since 2015", a visit "in 2019",
# a meeting "in April 2022" and a summit "this year".
SEEDS = [
    span("2015-01-01", "2023-09-05"), span("2019-01-01", "2019-12-31"),
    span("2022-04-01", "2022-04-30"), span("2023-01-01", "2023-12-31"),
    span("2023-07-01", "2023-07-31"), span("2023-07-01", "2023-07-31"),
    span("2023-07-25", "2023-07-27"), span("2023-08-01", "2023-08-31"),
    span("2023-08-21", "2023-08-31"), span("2023-08-21", "2023-08-31"),
    span("2023-08-28", "2023-09-03"), span("2023-09-10", "2023-09-13"),
    span("2023-09-10", "2023-09-14"), span("2023-09-10", "2023-09-14"),
]


def test_no_events_no_view() -> None:
    assert default_view([]) is None and full_extent([]) is None and bulk_window([]) is None


def test_one_event_gets_a_week_around_it() -> None:
    lo, hi = default_view([day("2023-09-10")])
    assert (hi - lo).days + 1 == 7 and lo <= date(2023, 9, 10) <= hi
    assert default_view([day("2023-09-10")] * 12) == (lo, hi)  # all on one day: the same


def test_two_far_apart_events_show_the_full_range() -> None:
    events = [day("2015-01-01"), day("2023-09-10")]
    assert default_view(events) == full_extent(events)
    lo, hi = default_view(events)
    assert lo <= date(2015, 1, 1) and hi >= date(2023, 9, 10)


def test_an_even_spread_shows_the_full_range() -> None:
    monthly = [day(f"{2020 + m // 12}-{m % 12 + 1:02d}-01") for m in range(48)]
    assert default_view(monthly) == full_extent(monthly)


def test_the_seeds_open_on_the_2023_story_not_on_2015() -> None:
    lo, hi = default_view(SEEDS)
    assert date(2022, 12, 31) < lo <= date(2023, 7, 1)  # not 2015, nor 2019, nor April 2022
    assert hi >= date(2023, 9, 14)  # the whole story: the forum of 10-14 September
    assert (hi - lo).days < 200
    before, after = outside(SEEDS, (lo, hi))
    assert before == [span("2019-01-01", "2019-12-31"), span("2022-04-01", "2022-04-30")]
    assert after == []
    # The full range is still there to zoom out to.
    assert full_extent(SEEDS)[0] <= date(2015, 1, 1)


def test_a_stray_point_date_is_left_out_when_most_events_cluster() -> None:
    story = [day(f"2023-09-{d:02d}") for d in (1, 3, 5, 8, 10, 10, 11, 12, 13)]
    lo, hi = default_view(story + [day("2015-06-01")])
    assert lo > date(2023, 8, 1) and hi < date(2023, 10, 1)
    # the default view is always inside the full extent
    full = full_extent(story + [day("2015-06-01")])
    assert full[0] <= lo and hi <= full[1]


def test_a_long_range_weighs_by_the_share_inside_the_window() -> None:
    # "since 2015" alone cannot pull the view back to 2015 ...
    events = [span("2015-01-01", "2023-09-05")] + [day("2023-09-10")] * 3
    lo, _ = default_view(events)
    assert lo > date(2023, 1, 1)
    # ... but a long range alone is the whole view
    assert default_view([span("2015-01-01", "2023-09-05")]) == full_extent(
        [span("2015-01-01", "2023-09-05")])


def test_bulk_window_holds_its_share() -> None:
    lo, hi = bulk_window([day(f"2023-09-{d:02d}") for d in range(1, 21)], share=0.5)
    assert (hi - lo).days + 1 == 10


def test_padding_and_minimum_width() -> None:
    assert padded(date(2023, 9, 10), date(2023, 9, 10)) == (date(2023, 9, 7), date(2023, 9, 13))
    lo, hi = padded(date(2020, 1, 1), date(2023, 12, 31))
    assert lo < date(2020, 1, 1) and hi > date(2023, 12, 31)


def test_play_starts_at_the_first_event_in_view() -> None:
    view = span("2023-03-30", "2023-09-18")
    # "since 2015" and "this year" began before the view: the first to begin in it is July's
    assert first_in_view(SEEDS, view) == date(2023, 7, 1)
    assert last_in_view(SEEDS, view) == date(2023, 9, 10)
    only_ongoing = [span("2015-01-01", "2023-09-05")]
    assert first_in_view(only_ongoing, view) == view[0]
    assert first_in_view([day("2019-01-01")], view) is None


def test_replaced_data_is_neither_grown_nor_narrowed() -> None:
    a = [day("2023-09-10"), day("2023-09-11")]
    assert not replaces(a, a + [day("2024-01-01")])  # an import
    assert not replaces(a, a[:1])  # a filter
    assert not replaces([], a) and not replaces(a, [])
    assert replaces(a, [day("2020-01-01")])  # another workspace


def test_open_ends_stay_open_when_moved() -> None:
    assert moved(date.max, 3) == date.max and moved(date.min, -3) == date.min
    assert moved(date(2023, 9, 10), -10) == date(2023, 8, 31)
    assert moved(date(9999, 12, 30), 5) == date.max
