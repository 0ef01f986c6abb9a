"""The regular grammar of English date expressions in news text.

Month and weekday names are matched case-sensitively (Title or UPPER case) so that the verbs
"may" and "march" never start a date; the function words around them are case-insensitive.
Group names are shared between patterns (m1, d1, y1, ...) so that one builder reads many shapes.
"""

from __future__ import annotations

_FULL_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# "sept" before "sep": the regex engine takes the first alternative that fits.
_ABBREVS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTHS: dict[str, int] = {name: number for number, name in enumerate(_FULL_MONTHS, start=1)}
MONTHS.update(
    {abbr: MONTHS[name] for name in _FULL_MONTHS for abbr in _ABBREVS if name[:3] == abbr[:3]}
)
WEEKDAYS: dict[str, int] = {name: number for number, name in enumerate(_WEEKDAYS)}
# Month names that are also verbs or given names; alone they need a date-like word before them.
AMBIGUOUS_MONTHS = frozenset({"may", "march", "april", "june", "august"})
_COUNTS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
NUMBER_WORDS = {word: number for number, word in enumerate(_COUNTS, start=1)}
NUMBER_WORDS |= {"eleven": 11, "twelve": 12, "a": 1, "an": 1}
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
ORDINAL_WORDS |= {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _cased(words: tuple[str, ...]) -> str:
    return "|".join([w.capitalize() for w in words] + [w.upper() for w in words])


_NOT_LETTER_BEFORE = r"(?<![A-Za-z])"
_NOT_LETTER_AFTER = r"(?![A-Za-z])"
_FULL = _cased(_FULL_MONTHS)
_ABBREVIATED = _cased(_ABBREVS)
_WEEKDAY = _cased(_WEEKDAYS)


def month(name: str) -> str:
    names = rf"{_FULL}|(?:{_ABBREVIATED})\.?"
    return rf"{_NOT_LETTER_BEFORE}(?P<{name}>{names}){_NOT_LETTER_AFTER}"


def day(name: str) -> str:
    """1-31 with an optional ordinal suffix, not part of a longer number, time or decimal."""
    return rf"(?<![\d.,])(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\dA-Za-z%]|[.,:]\d)"


def ordinal_day(name: str) -> str:
    return rf"(?<![\d.,])(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)(?![\dA-Za-z])"


def year(name: str, *, guarded: bool = True) -> str:
    before = r"(?<![\d.,:/$€£-])" if guarded else r"(?<!\d)"
    return rf"{before}(?P<{name}>(?:19|20)\d\d)(?!\d|s\b|[.,:/-]\d)"


def _optional_year(name: str) -> str:
    return rf"(?:,?\s+{year(name)})?"


_PRE = r"(?:(?P<pre>(?i:from|between))\s+)?"
_WD = rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?"
_THE = r"(?:(?i:the)\s+)?"
_OF = r"(?:(?i:of)\s+)?"
_SEP = r"(?P<sep>\s*[-–—]\s*|\s+(?i:to|through|thru|until|till|and)\s+)"
_PART_OF_DAY = r"(?:\s+(?i:morning|afternoon|evening|night))?"

RANGE_MONTH_DAY_MONTH_DAY = (
    rf"{_PRE}{_WD}{month('m1')}\s+{day('d1')}{_optional_year('y1')}"
    rf"{_SEP}{month('m2')}\s+{day('d2')}{_optional_year('y2')}"
)
RANGE_DAY_MONTH_DAY_MONTH = (
    rf"{_PRE}{_WD}{_THE}{day('d1')}\s+{_OF}{month('m1')}(?:\s+{year('y1')})?"
    rf"{_SEP}{_THE}{day('d2')}\s+{_OF}{month('m2')}{_optional_year('y2')}"
)
RANGE_MONTH_DAY_DAY = (
    rf"{_PRE}{month('m1')}\s+{day('d1')}{_SEP}{_THE}{day('d2')}{_optional_year('y2')}"
)
RANGE_DAY_DAY_MONTH = (
    rf"{_PRE}{_THE}{day('d1')}{_SEP}{_THE}{day('d2')}\s+{_OF}{month('m1')}{_optional_year('y2')}"
)
MONTH_DAY = rf"{_WD}{month('m1')}\s+{_THE}{day('d1')}{_optional_year('y1')}"
DAY_MONTH = rf"{_WD}{_THE}{day('d1')}\s+{_OF}{month('m1')}{_optional_year('y1')}"
RANGE_MONTH_MONTH = (
    rf"{_PRE}{month('m1')}{_optional_year('y1')}{_SEP}{month('m2')}{_optional_year('y2')}"
)
MONTH_YEAR = rf"{month('m1')}(?:\s+(?i:of))?,?\s+{year('y1')}"
BARE_MONTH = rf"{_NOT_LETTER_BEFORE}(?P<m1>{_FULL}){_NOT_LETTER_AFTER}"

_PART_WORD = r"(?i:early|mid|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of(?:\s+the)?)"
PART = (
    rf"{_NOT_LETTER_BEFORE}(?P<part>{_PART_WORD})(?:\s*-\s*|\s+)"
    rf"(?:{month('m1')}{_optional_year('y1')}|{year('yp', guarded=False)}"
    r"|(?i:(?P<rel>last|this|next)\s+(?P<unit>month|year)|(?P<this_unit>month|year)))"
    rf"{_NOT_LETTER_AFTER}"
)
FRACTION_OF_YEAR = (
    rf"{_NOT_LETTER_BEFORE}{_THE}(?P<ord>(?i:first|second|third|fourth|last|1st|2nd|3rd|4th))"
    r"\s+(?P<fraction>(?i:quarter|half))\s+(?i:of)\s+"
    rf"(?:{year('y1')}|(?i:(?P<rel>last|this|next)\s+year){_NOT_LETTER_AFTER})"
)
QUARTER = rf"{_NOT_LETTER_BEFORE}(?P<fraction>[QH])(?P<index>[1-4]),?\s+{year('y1')}"
WEEK_OF_MONTH = (
    rf"{_NOT_LETTER_BEFORE}{_THE}(?P<ord>(?i:first|second|third|fourth|last))\s+(?i:week)\s+"
    rf"(?i:of)\s+{month('m1')}{_optional_year('y1')}"
)
DECADE = r"(?<![\d.,:/$-])(?P<y1>(?:19|20)\d0)['’]?s(?![A-Za-z\d])"
_YEAR_SEP = r"(?P<sep>\s*[-–—]\s*|\s+(?i:to|through|until|till|and)\s+)"
YEAR_RANGE = (
    rf"{_PRE}(?<![\d.,:/$€£-])(?P<y1>(?:19|20)\d\d)"
    rf"(?:{_YEAR_SEP}{year('y2', guarded=False)}|[-–](?P<yy>\d\d)(?![\d/-]))"
)
BARE_YEAR = r"(?<![\w.,:/$€£-])(?P<y1>(?:19|20)\d\d)(?![\w%]|[.,:/-]\d)"
NUMERIC_YMD = (
    r"(?<![\w./-])(?P<y1>(?:19|20)\d\d)(?P<sep>[-/.])(?P<mo>1[0-2]|0?[1-9])(?P=sep)"
    r"(?P<d1>3[01]|[12]\d|0?[1-9])(?![\d/]|[.-]\d)"
)
NUMERIC_DMY = (
    r"(?<![\w./:-])(?P<a>3[01]|[12]\d|0?[1-9])(?P<sep>[-/.])(?P<b>3[01]|[12]\d|0?[1-9])(?P=sep)"
    r"(?P<y1>(?:19|20)\d\d|\d\d)(?![\d/]|[.-]\d)"
)
ORDINAL_RANGE = (
    rf"{_PRE}(?i:the)\s+{ordinal_day('d1')}{_SEP}{_THE}{ordinal_day('d2')}"
    r"(?!\s+(?i:of)\s)"
)
ORDINAL_DAY = (
    rf"(?<=\b[Oo]n\s)(?i:the)\s+{ordinal_day('d1')}"
    r"(?=\s*[,.;:)]|\s*$|\s+(?:and|at|in|when|after|before|while|as)\b)"
)
RELATIVE_DAY = (
    r"(?<![A-Za-z])(?P<rel>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
    r"|yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening)))"
    rf"{_PART_OF_DAY}{_NOT_LETTER_AFTER}"
)
RELATIVE_UNIT = (
    r"(?<![A-Za-z])(?i:(?P<rel>last|this|next)\s+(?P<unit>weekend|week|month|year))(?![A-Za-z])"
)
RELATIVE_PART = (
    r"(?<![A-Za-z])(?i:(?P<when>earlier|later)\s+this\s+(?P<unit>week|month|year))(?![A-Za-z])"
)
AGO = (
    rf"(?<![A-Za-z\d])(?i:(?P<n>\d{{1,2}}|{'|'.join(NUMBER_WORDS)})\s+"
    r"(?P<unit>day|week|month|year)s?\s+ago)(?![A-Za-z])"
)
WEEKDAY = (
    r"(?<![A-Za-z])(?:(?P<rel>(?i:this\s+past|last|next|this|past))\s+)?"
    rf"(?P<wd>{_WEEKDAY}){_PART_OF_DAY}{_NOT_LETTER_AFTER}"
)

# Every date expression holds one of these; the finder only looks near them.
ANCHOR = (
    rf"\d+|{_NOT_LETTER_BEFORE}(?:{_FULL}|{_ABBREVIATED}|{_WEEKDAY}"
    r"|(?i:yesterday|today|tonight|tomorrow|morning|afternoon|evening|week|month|year|ago))"
)

# Context checks, run on the text just before or after a candidate.
MONTH_CONTEXT_BEFORE = (
    r"(?i:(?<![A-Za-z])(?:in|since|by|until|till|through|during|from|to|of|before|after|early"
    r"|mid|late|last|next|this|between|throughout|around)\s+$|mid-$)"
    rf"|(?:{_FULL})(?:,|,?\s+(?:and|or))\s+$"  # "July and August"
)
YEAR_CONTEXT_BEFORE = (
    r"(?i:(?<![A-Za-z])(?:in|since|by|until|till|through|during|from|of|before|after|early"
    r"|mid|late|between|throughout|around|circa)\s+$|mid-$)"
)
THE_BEFORE = r"(?i:(?<![A-Za-z])the\s+$)"
NAMED_DAY_BEFORE = r"(?:Good|Black|Cyber|Super|Holy|Ash|Easter|Palm|Bloody|Fat|Mail\s+on)\s+$"
NAMED_DAY_AFTER = r"\s+(?:Times|Telegraph|Express|Mirror|Post|Herald|Mail|Night\s+Live)\b"
# "USA Today", "Russia Today", "Today.it", "Today IT": the word as part of a name.
TODAY_NAME_BEFORE = r"(?<![\w.])[A-Z]\w*\s+$"
TODAY_NAME_AFTER = r"\.[A-Za-z]|\s+[A-Z]{2}"
SINCE_BEFORE = r"(?i:(?<![A-Za-z])since\s+$)"
