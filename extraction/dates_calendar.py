"""Calendar arithmetic behind date normalisation: months, weeks, weekdays, parts of a period."""

from __future__ import annotations

import calendar
import datetime

from store.models import DateRange

# Where "early", "mid" and "late" fall in a month (first day of each part) and in a year (months).
_MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def make_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def span(first: datetime.date, last: datetime.date, precision: str) -> DateRange:
    return DateRange(first.isoformat(), last.isoformat(), precision)


def day_range(day: datetime.date) -> DateRange:
    return span(day, day, "day")


def month_span(year: int, month: int, year2: int, month2: int, precision: str) -> DateRange:
    first = datetime.date(year, month, 1)
    return span(first, datetime.date(year2, month2, last_day(year2, month2)), precision)


def month_range(year: int, month: int) -> DateRange:
    return month_span(year, month, year, month, "month")


def year_range(year: int) -> DateRange:
    return span(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year")


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    shifted_year, index = divmod(year * 12 + month - 1 + months, 12)
    return shifted_year, index + 1


def recent_year(month: int, published: datetime.date) -> int:
    """The year of the latest such month on or before publication: news mostly looks back."""
    return published.year if month <= published.month else published.year - 1


def part_of_month(year: int, month: int, part: str) -> DateRange:
    first, last = _MONTH_PARTS[part]
    last = min(last, last_day(year, month))
    return span(datetime.date(year, month, first), datetime.date(year, month, last), "part")


def part_of_year(year: int, part: str) -> DateRange:
    first, last = _YEAR_PARTS[part]
    return month_span(year, first, year, last, "part")


def fraction_of_year(year: int, index: int, parts: int) -> DateRange:
    """Quarter (parts=4) or half (parts=2) number `index` (1-based) of a year."""
    length = 12 // parts
    first = (index - 1) * length + 1
    return month_span(year, first, year, first + length - 1, "part")


def week_of_month(year: int, month: int, ordinal: int) -> DateRange:
    """The n-th seven days of a month; ordinal -1 is the last seven."""
    end = last_day(year, month)
    first = end - 6 if ordinal == -1 else (ordinal - 1) * 7 + 1
    last = min(first + 6, end)
    return span(datetime.date(year, month, first), datetime.date(year, month, last), "week")


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_range(day: datetime.date, weeks: int = 0) -> DateRange:
    monday = monday_of(day) + datetime.timedelta(weeks=weeks)
    return span(monday, monday + datetime.timedelta(days=6), "week")


def weekend_range(day: datetime.date, weeks: int = 0) -> DateRange:
    saturday = monday_of(day) + datetime.timedelta(weeks=weeks, days=5)
    return span(saturday, saturday + datetime.timedelta(days=1), "range")


def weekday_near(published: datetime.date, weekday: int, relation: str | None) -> datetime.date:
    """Resolve a weekday name against the publication date.

    A bare weekday in a news report is the latest one on or before publication ("said Monday");
    "last" is strictly before, "next" strictly after, "this" is the one in the publication week.
    """
    if relation == "next":
        return published + datetime.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    if relation == "this":
        return monday_of(published) + datetime.timedelta(days=weekday)
    back = (published.weekday() - weekday) % 7
    if relation == "last" and back == 0:
        back = 7
    return published - datetime.timedelta(days=back)
