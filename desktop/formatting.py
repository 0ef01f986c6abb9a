"""Dates and counts as an analyst reads them ("10–13 Sep 2023", "Jul 2023")."""

from __future__ import annotations

import calendar
from datetime import date

from store.models import EventRecord

GUESS_COLOUR = "#a15c00"  # amber: a publication date guessed from the file's time


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def format_day(value: str | None) -> str:
    if not value:
        return "undated"
    try:
        d = _day(value)
    except ValueError:
        return value
    return f"{d.day} {d:%b %Y}"


def format_range(start: str | None, end: str | None) -> str:
    """A date range at the precision it has: a day, a month, a year, or a span."""
    if not start:
        return "undated"
    try:
        a, b = _day(start), _day(end or start)
    except ValueError:
        return f"{start}–{end}" if end and end != start else start
    if a == b:
        return format_day(start)
    whole_month = a.day == 1 and b.day == calendar.monthrange(b.year, b.month)[1]
    if whole_month and (a.year, a.month) == (b.year, b.month):
        return f"{a:%b %Y}"
    if whole_month and (a.month, b.month) == (1, 12):
        return str(a.year) if a.year == b.year else f"{a.year}–{b.year}"
    if whole_month and a.year == b.year:
        return f"{a:%b}–{b:%b %Y}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%b %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%b} – {b.day} {b:%b %Y}"
    return f"{format_day(start)} – {format_day(end)}"


def event_when(event: EventRecord) -> str:
    if event.date_start:
        return format_range(event.date_start, event.date_end)
    if event.reported:
        return f"undated (reported {format_day(event.reported)})"
    return "undated"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
