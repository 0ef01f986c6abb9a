"""Date expressions in news text, normalised to ISO ranges relative to the publication date.

The finder is a regular grammar (extraction.dates_grammar) with one builder per shape
(extraction.dates_rules); it is pure Python so that the pipeline can call it per passage.
"""

from __future__ import annotations

import datetime
import re

from dateutil import parser as dateutil_parser

from extraction import dates_grammar as g
from extraction.dates_rules import RULES, Context
from store.models import DateMention, DateRange

_ANCHOR = re.compile(g.ANCHOR)
_WINDOW_BEFORE = 40  # longest lead-in before an anchor: "the beginning of the ", "between the "
_WINDOW_AFTER = 40
_SINCE = re.compile(g.SINCE_BEFORE)
_LEAD = re.compile(r"(?i)(?:(?:on|in|at|during|by|for|of)\s+)?(?:the\s+)?")
_TRAIL = re.compile(r"[\s.,;:!?)\]]*")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d\d(?!\d)")
_DATELINE_LABEL = re.compile(r"(?i)\b(published|posted|date[ds]?|updated|modified)\b")
_DATELINE_HEAD_LINES = 12
_DATELINE_HEAD_CHARS = 1500
_DATELINE_SHORT_LINE = 80
_LABEL_REACH = 25  # characters between a label and its date


def find_dates(
    text: str,
    published: datetime.date | None,
    *,
    offset: int = 0,
    context_month: tuple[int, int] | None = None,
) -> list[DateMention]:
    """Every date expression in `text`, with offsets into the document (`offset` is added).

    `context_month` (year, month) stands in for a month named before the text, e.g. in the
    previous passage; "the 25th to the 27th" takes the nearest preceding month.
    """
    mentions = _scan(text, Context(published, context_month))
    if offset:
        mentions = [_shift(mention, offset) for mention in mentions]
    return mentions


def normalise_date(
    expression: str,
    published: datetime.date | None,
    *,
    context_month: tuple[int, int] | None = None,
) -> DateRange | None:
    """The range of one date expression, or None when it is not (only) a date.

    A leading preposition ("On September 4", "in July") is allowed. Absolute dates the grammar
    does not know ("2023-09-04T10:12:00Z", "5-Sep-2023") are left to dateutil.
    """
    text = expression.strip()
    mentions = _scan(text, Context(published, context_month, lenient=True))
    if len(mentions) == 1 and _covers(text, mentions[0]):
        return mentions[0].range
    return _parse_absolute(text)


def find_dateline(text: str) -> datetime.date | None:
    """The publication date printed near the top of an article, if any.

    A full date (day, month and year) counts when its line carries a label ("Published:"),
    a clock time ("21:53, 09/04/23") or is short enough to be a byline; the best such wins.
    """
    best: tuple[int, datetime.date] | None = None
    for line in _head_lines(text):
        for mention in _scan(line, Context(None)):
            if mention.range.precision != "day":
                continue
            score = _dateline_score(line, mention)
            if score and (best is None or score > best[0]):  # ties: the earliest
                best = (score, datetime.date.fromisoformat(mention.range.start))
    return best[1] if best else None


def _scan(text: str, ctx: Context) -> list[DateMention]:
    """Take the longest resolvable candidate at each position, left to right."""
    candidates = sorted(
        (match.start(), -match.end(), index, match)
        for start, end in _windows(text)
        for index, rule in enumerate(RULES)
        for match in rule.pattern.finditer(text, start, end)
    )
    mentions: list[DateMention] = []
    cursor = 0
    for start, negative_end, index, match in candidates:
        if start < cursor:
            continue
        try:
            date_range = RULES[index].build(match, ctx)
            if date_range is None:
                continue
            start, date_range = _with_since(text, start, date_range, ctx.published)
        except (ValueError, OverflowError):  # beyond the calendar: year 0, 10000, ...
            continue
        cursor = -negative_end
        mentions.append(DateMention(start, cursor, text[start:cursor], date_range))
        _carry_month(ctx, date_range)
    return mentions


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around anchors, merged; running the rules only there is much faster.

    A window never ends inside whitespace, so that a look-ahead for the end of a phrase does
    not mistake the window's end for the text's end.
    """
    windows: list[tuple[int, int]] = []
    for anchor in _ANCHOR.finditer(text):
        start = max(0, anchor.start() - _WINDOW_BEFORE)
        end = _past_spaces(text, min(len(text), anchor.end() + _WINDOW_AFTER))
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _past_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _with_since(
    text: str, start: int, date_range: DateRange, published: datetime.date | None
) -> tuple[int, DateRange]:
    """Since 2015 runs from the start of 2015 to publication."""
    since = _SINCE.search(text, max(0, start - 12), start)
    if since is None or since.end() != start:
        return start, date_range
    today = published.isoformat() if published else None
    if today is not None and date_range.start <= today:
        date_range = DateRange(date_range.start, today, "range")
    return since.start(), date_range


def _carry_month(ctx: Context, date_range: DateRange) -> None:
    if date_range.start[:7] == date_range.end[:7]:
        ctx.month = (int(date_range.start[:4]), int(date_range.start[5:7]))


def _shift(mention: DateMention, offset: int) -> DateMention:
    return DateMention(mention.start + offset, mention.end + offset, mention.text, mention.range)


def _covers(text: str, mention: DateMention) -> bool:
    return (
        _LEAD.fullmatch(text, 0, mention.start) is not None
        and _TRAIL.fullmatch(text, mention.end) is not None
    )


def _parse_absolute(text: str) -> DateRange | None:
    """A full date (day, month, four-digit year) in a format only dateutil knows."""
    if _YEAR.search(text) is None:
        return None
    try:
        # Two different defaults reveal which fields the text really gave.
        first = dateutil_parser.parse(text, default=datetime.datetime(2000, 1, 1))
        second = dateutil_parser.parse(text, default=datetime.datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        return None
    day = first.date().isoformat()
    return DateRange(day, day, "day")


def _head_lines(text: str) -> list[str]:
    lines = [line for line in text[:_DATELINE_HEAD_CHARS].splitlines() if line.strip()]
    return lines[:_DATELINE_HEAD_LINES]


def _dateline_score(line: str, mention: DateMention) -> int:
    label = _DATELINE_LABEL.search(line, max(0, mention.start - _LABEL_REACH), mention.start)
    score = 0
    if label is not None:
        score += 3 if label.group(1).lower() in ("updated", "modified") else 4
    if _CLOCK.search(line):
        score += 2
    if len(line.strip()) <= _DATELINE_SHORT_LINE:
        score += 1
    return score
