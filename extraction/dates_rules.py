"""Date rules: each pairs a pattern of the grammar with a builder that turns a match into a range.

A builder returns None when the match is not a date after all (an ambiguous month name with no
date-like word before it, "Today" in "USA Today") or when it needs a publication date it lacks.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from extraction import dates_calendar as cal
from extraction import dates_grammar as g
from store.models import DateRange


@dataclass
class Context:
    published: datetime.date | None
    month: tuple[int, int] | None = None  # (year, month) of the nearest preceding month mention
    lenient: bool = False  # the caller vouches that the text is a date expression


Builder = Callable[[re.Match[str], Context], DateRange | None]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    build: Builder


_PART_NAMES = {
    "early": "early",
    "beginning": "early",
    "start": "early",
    "mid": "mid",
    "middle": "mid",
    "late": "late",
    "end": "late",
}
_RELATIVE_OFFSETS = {"last": -1, "this": 0, "next": 1, None: 0}
# Anything else ("today", "tonight", "this morning") is the publication day.
_DAY_OFFSETS = {
    "the day before yesterday": -2,
    "yesterday": -1,
    "tomorrow": 1,
    "the day after tomorrow": 2,
}
_CHECKS = ("MONTH_CONTEXT_BEFORE", "YEAR_CONTEXT_BEFORE", "THE_BEFORE", "NAMED_DAY_BEFORE")
_BEFORE = {name: re.compile(getattr(g, name)) for name in (*_CHECKS, "TODAY_NAME_BEFORE")}
_AFTER = {name: re.compile(getattr(g, name)) for name in ("NAMED_DAY_AFTER", "TODAY_NAME_AFTER")}


def _month(token: str) -> int:
    return g.MONTHS[token.rstrip(".").lower()]


def _words(token: str | None) -> str | None:
    return " ".join(token.lower().split()) if token else None


def _preceded_by(match: re.Match[str], check: str) -> bool:
    before = match.string[max(0, match.start() - 40) : match.start()]
    return _BEFORE[check].search(before) is not None


def _followed_by(match: re.Match[str], check: str) -> bool:
    return _AFTER[check].match(match.string, match.end()) is not None


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _calendar_years(
    groups: dict[str, str | None], ctx: Context, wraps: bool
) -> tuple[int, int] | None:
    """Years of the two ends of a calendar expression; `wraps` when it crosses a new year."""
    first, last = _int(groups.get("y1")), _int(groups.get("y2"))
    if first and last:
        return first, last
    if last:
        return last - wraps, last
    if first:
        return first, first + wraps
    if ctx.published is None:
        return None
    if groups.get("d1"):  # a day or span of days: the publication year, even long past
        return ctx.published.year, ctx.published.year + wraps
    start = cal.recent_year(_month(groups["m1"] or ""), ctx.published)
    return start, start + wraps


def _and_without_between(separator: str | None, prefix: str | None) -> bool:
    return _words(separator) == "and" and _words(prefix) != "between"


def build_calendar(match: re.Match[str], ctx: Context) -> DateRange | None:
    """Days, day spans, months and month spans written with month names."""
    groups = match.groupdict()
    if groups.get("m2") and _and_without_between(groups.get("sep"), groups["pre"]):
        return None  # "in July and August" is two months, not a span
    month1 = _month(groups["m1"] or "")
    month2 = _month(groups["m2"]) if groups.get("m2") else month1
    day1 = _int(groups.get("d1"))
    day2 = _int(groups.get("d2")) or day1
    wraps = (month2, day2 or 0) < (month1, day1 or 0)
    years = _calendar_years(groups, ctx, wraps)
    if years is None:
        return None
    if day1 is None or day2 is None:
        return _month_span(years, month1, month2)
    first = cal.make_date(years[0], month1, day1)
    last = cal.make_date(years[1], month2, day2)
    if first is None or last is None or last < first:
        return None
    return cal.day_range(first) if first == last else cal.span(first, last, "range")


def _month_span(years: tuple[int, int], month1: int, month2: int) -> DateRange | None:
    if (years[0], month1) == (years[1], month2):
        return cal.month_range(years[0], month1)
    if (years[1], month2) < (years[0], month1):
        return None
    return cal.month_span(years[0], month1, years[1], month2, "range")


def build_bare_month(match: re.Match[str], ctx: Context) -> DateRange | None:
    name = match["m1"].lower()
    ambiguous = name in g.AMBIGUOUS_MONTHS and not ctx.lenient
    if ambiguous and not _preceded_by(match, "MONTH_CONTEXT_BEFORE"):
        return None
    if ctx.published is None:
        return None
    number = g.MONTHS[name]
    return cal.month_range(cal.recent_year(number, ctx.published), number)


def _part_name(token: str) -> str:
    return next(_PART_NAMES[w] for w in token.lower().replace("-", " ").split() if w in _PART_NAMES)


def build_part(match: re.Match[str], ctx: Context) -> DateRange | None:
    part = _part_name(match["part"])
    if match["yp"]:
        return cal.part_of_year(int(match["yp"]), part)
    if match["m1"]:
        month = _month(match["m1"])
        if match["y1"]:
            return cal.part_of_month(int(match["y1"]), month, part)
        if ctx.published is None:
            return None
        return cal.part_of_month(cal.recent_year(month, ctx.published), month, part)
    if ctx.published is None:
        return None
    offset = _RELATIVE_OFFSETS[_words(match["rel"])]
    if (match["unit"] or match["this_unit"]).lower() == "year":
        return cal.part_of_year(ctx.published.year + offset, part)
    year, month = cal.shift_month(ctx.published.year, ctx.published.month, offset)
    return cal.part_of_month(year, month, part)


def build_fraction_of_year(match: re.Match[str], ctx: Context) -> DateRange | None:
    parts = 4 if match["fraction"].lower() == "quarter" else 2
    index = g.ORDINAL_WORDS[match["ord"].lower()]
    index = parts if index == -1 else index
    if index > parts:
        return None
    if match["y1"]:
        return cal.fraction_of_year(int(match["y1"]), index, parts)
    if ctx.published is None:
        return None
    year = ctx.published.year + _RELATIVE_OFFSETS[_words(match["rel"])]
    return cal.fraction_of_year(year, index, parts)


def build_quarter(match: re.Match[str], ctx: Context) -> DateRange | None:
    parts = 4 if match["fraction"] == "Q" else 2
    index = int(match["index"])
    return cal.fraction_of_year(int(match["y1"]), index, parts) if index <= parts else None


def build_week_of_month(match: re.Match[str], ctx: Context) -> DateRange | None:
    month = _month(match["m1"])
    if match["y1"]:
        year = int(match["y1"])
    elif ctx.published is not None:
        year = cal.recent_year(month, ctx.published)
    else:
        return None
    return cal.week_of_month(year, month, g.ORDINAL_WORDS[match["ord"].lower()])


def build_decade(match: re.Match[str], ctx: Context) -> DateRange | None:
    first = int(match["y1"])
    return cal.span(datetime.date(first, 1, 1), datetime.date(first + 9, 12, 31), "range")


def build_year_range(match: re.Match[str], ctx: Context) -> DateRange | None:
    if _and_without_between(match["sep"], match["pre"]):
        return None
    first = int(match["y1"])
    last = int(match["y2"]) if match["y2"] else first // 100 * 100 + int(match["yy"])
    if last <= first:
        return None
    return cal.span(datetime.date(first, 1, 1), datetime.date(last, 12, 31), "range")


def build_bare_year(match: re.Match[str], ctx: Context) -> DateRange | None:
    if not ctx.lenient and not _preceded_by(match, "YEAR_CONTEXT_BEFORE"):
        return None
    return cal.year_range(int(match["y1"]))


def build_numeric_ymd(match: re.Match[str], ctx: Context) -> DateRange | None:
    day = cal.make_date(int(match["y1"]), int(match["mo"]), int(match["d1"]))
    return cal.day_range(day) if day else None


def build_numeric_dmy(match: re.Match[str], ctx: Context) -> DateRange | None:
    """Slashes read month first (09/04/23 is 4 September), dots and dashes day first."""
    first, second, year = int(match["a"]), int(match["b"]), int(match["y1"])
    if year < 100:
        if match["sep"] != "/":
            return None
        year += 2000 if year < 70 else 1900
    month_first = (match["sep"] == "/" and first <= 12) or second > 12
    month, day_number = (first, second) if month_first else (second, first)
    day = cal.make_date(year, month, day_number)
    return cal.day_range(day) if day else None


def _context_month(ctx: Context) -> tuple[int, int] | None:
    if ctx.month is not None:
        return ctx.month
    return (ctx.published.year, ctx.published.month) if ctx.published else None


def build_ordinal_range(match: re.Match[str], ctx: Context) -> DateRange | None:
    month = _context_month(ctx)
    if month is None:
        return None
    first = cal.make_date(*month, int(match["d1"]))
    last = cal.make_date(*month, int(match["d2"]))
    if first is None or last is None or last <= first:
        return None
    return cal.span(first, last, "range")


def build_ordinal_day(match: re.Match[str], ctx: Context) -> DateRange | None:
    month = _context_month(ctx)
    day = cal.make_date(*month, int(match["d1"])) if month else None
    return cal.day_range(day) if day else None


def _names_today(match: re.Match[str]) -> bool:
    return _preceded_by(match, "TODAY_NAME_BEFORE") or _followed_by(match, "TODAY_NAME_AFTER")


def build_relative_day(match: re.Match[str], ctx: Context) -> DateRange | None:
    word = _words(match["rel"]) or ""
    if word == "today" and match["rel"][0] == "T" and _names_today(match):
        return None
    if ctx.published is None:
        return None
    offset = _DAY_OFFSETS.get(word, 0)
    return cal.day_range(ctx.published + datetime.timedelta(days=offset))


def build_relative_unit(match: re.Match[str], ctx: Context) -> DateRange | None:
    if _preceded_by(match, "THE_BEFORE") or ctx.published is None:
        return None  # "over the last year" is a duration, not a date
    offset = _RELATIVE_OFFSETS[_words(match["rel"])]
    return _unit_range(match["unit"].lower(), ctx.published, offset)


def _unit_range(unit: str, published: datetime.date, offset: int) -> DateRange:
    if unit == "week":
        return cal.week_range(published, offset)
    if unit == "weekend":
        return cal.weekend_range(published, offset)
    if unit == "month":
        return cal.month_range(*cal.shift_month(published.year, published.month, offset))
    return cal.year_range(published.year + offset)


def build_relative_part(match: re.Match[str], ctx: Context) -> DateRange | None:
    """Earlier this month runs from the start of the month to publication, "later" onwards."""
    if ctx.published is None:
        return None
    unit = match["unit"].lower()
    whole = _unit_range(unit, ctx.published, 0)
    precision = "week" if unit == "week" else "part"
    today = ctx.published.isoformat()
    if match["when"].lower() == "earlier":
        return DateRange(whole.start, today, precision)
    return DateRange(today, whole.end, precision)


def build_ago(match: re.Match[str], ctx: Context) -> DateRange | None:
    if ctx.published is None:
        return None
    count = int(match["n"]) if match["n"].isdigit() else g.NUMBER_WORDS[match["n"].lower()]
    unit = match["unit"].lower()
    if unit == "day":
        return cal.day_range(ctx.published - datetime.timedelta(days=count))
    if unit == "week":
        return cal.week_range(ctx.published, -count)
    return _unit_range(unit, ctx.published, -count)


def build_weekday(match: re.Match[str], ctx: Context) -> DateRange | None:
    if _preceded_by(match, "NAMED_DAY_BEFORE") or _followed_by(match, "NAMED_DAY_AFTER"):
        return None  # Good Friday, the Sunday Times
    if ctx.published is None:
        return None
    relation = _words(match["rel"])
    relation = "last" if relation in ("past", "this past") else relation
    weekday = g.WEEKDAYS[match["wd"].lower()]
    return cal.day_range(cal.weekday_near(ctx.published, weekday, relation))


def _rule(name: str, build: Builder) -> Rule:
    return Rule(name.lower(), re.compile(getattr(g, name)), build)


# Order breaks ties between candidates with the same span: the earlier rule wins.
RULES: tuple[Rule, ...] = (
    _rule("NUMERIC_YMD", build_numeric_ymd),
    _rule("NUMERIC_DMY", build_numeric_dmy),
    _rule("RANGE_MONTH_DAY_MONTH_DAY", build_calendar),
    _rule("RANGE_DAY_MONTH_DAY_MONTH", build_calendar),
    _rule("RANGE_MONTH_DAY_DAY", build_calendar),
    _rule("RANGE_DAY_DAY_MONTH", build_calendar),
    _rule("MONTH_DAY", build_calendar),
    _rule("DAY_MONTH", build_calendar),
    _rule("RANGE_MONTH_MONTH", build_calendar),
    _rule("MONTH_YEAR", build_calendar),
    _rule("WEEK_OF_MONTH", build_week_of_month),
    _rule("PART", build_part),
    _rule("FRACTION_OF_YEAR", build_fraction_of_year),
    _rule("QUARTER", build_quarter),
    _rule("DECADE", build_decade),
    _rule("YEAR_RANGE", build_year_range),
    _rule("ORDINAL_RANGE", build_ordinal_range),
    _rule("ORDINAL_DAY", build_ordinal_day),
    _rule("RELATIVE_DAY", build_relative_day),
    _rule("RELATIVE_PART", build_relative_part),
    _rule("RELATIVE_UNIT", build_relative_unit),
    _rule("AGO", build_ago),
    _rule("WEEKDAY", build_weekday),
    _rule("BARE_MONTH", build_bare_month),
    _rule("BARE_YEAR", build_bare_year),
)
