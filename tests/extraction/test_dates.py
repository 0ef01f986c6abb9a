"""Date expressions: normalisation against the publication date, finding them in seed text."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extraction.dates import find_dateline, find_dates, normalise_date
from store.models import DateRange

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PUB = datetime.date(2023, 9, 5)  # a Tuesday
MARCH = datetime.date(2023, 3, 1)
DECEMBER = datetime.date(2023, 12, 1)
JANUARY = datetime.date(2023, 1, 15)


def seed(prefix: str) -> tuple[str, datetime.date]:
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["file"].startswith(prefix))
    text = (SEEDS / entry["file"]).read_text(encoding="utf-8")
    return text, datetime.date.fromisoformat(entry["published"])


NORMALISATIONS = [
    # spans of days: the publication year unless one is given, even when long past
    ("September 10-13", PUB, "2023-09-10", "2023-09-13", "range"),
    ("Sept. 10 to 14", PUB, "2023-09-10", "2023-09-14", "range"),
    ("from September 10 to 13", PUB, "2023-09-10", "2023-09-13", "range"),
    ("10-13 September", PUB, "2023-09-10", "2023-09-13", "range"),
    ("10 to 13 September 2024", PUB, "2024-09-10", "2024-09-13", "range"),
    ("September 10–13, 2022", PUB, "2022-09-10", "2022-09-13", "range"),
    ("March 10-13", DECEMBER, "2023-03-10", "2023-03-13", "range"),
    ("August 30 - September 2", PUB, "2023-08-30", "2023-09-02", "range"),
    ("30 August to 2 September 2023", PUB, "2023-08-30", "2023-09-02", "range"),
    ("December 30, 2022 - January 2, 2023", PUB, "2022-12-30", "2023-01-02", "range"),
    ("between the 10th and the 12th of July", PUB, "2023-07-10", "2023-07-12", "range"),
    # months: the latest one on or before publication
    ("in July", PUB, "2023-07-01", "2023-07-31", "month"),
    ("in July", MARCH, "2022-07-01", "2022-07-31", "month"),
    ("in September", PUB, "2023-09-01", "2023-09-30", "month"),
    ("in May", PUB, "2023-05-01", "2023-05-31", "month"),
    ("April 2022", PUB, "2022-04-01", "2022-04-30", "month"),
    ("May 2023", PUB, "2023-05-01", "2023-05-31", "month"),
    ("from July to September", PUB, "2023-07-01", "2023-09-30", "range"),
    ("between July and August", PUB, "2023-07-01", "2023-08-31", "range"),
    # relative to publication
    ("last month", PUB, "2023-08-01", "2023-08-31", "month"),
    ("last month", JANUARY, "2022-12-01", "2022-12-31", "month"),
    ("this month", PUB, "2023-09-01", "2023-09-30", "month"),
    ("next month", PUB, "2023-10-01", "2023-10-31", "month"),
    ("yesterday", PUB, "2023-09-04", "2023-09-04", "day"),
    ("today", PUB, "2023-09-05", "2023-09-05", "day"),
    ("tomorrow", PUB, "2023-09-06", "2023-09-06", "day"),
    ("the day before yesterday", PUB, "2023-09-03", "2023-09-03", "day"),
    ("this morning", PUB, "2023-09-05", "2023-09-05", "day"),
    ("last week", PUB, "2023-08-28", "2023-09-03", "week"),
    ("this week", PUB, "2023-09-04", "2023-09-10", "week"),
    ("next week", PUB, "2023-09-11", "2023-09-17", "week"),
    ("last weekend", PUB, "2023-09-02", "2023-09-03", "range"),
    ("last year", PUB, "2022-01-01", "2022-12-31", "year"),
    ("next year", PUB, "2024-01-01", "2024-12-31", "year"),
    ("three days ago", PUB, "2023-09-02", "2023-09-02", "day"),
    ("two weeks ago", PUB, "2023-08-21", "2023-08-27", "week"),
    ("earlier this month", PUB, "2023-09-01", "2023-09-05", "part"),
    ("later this year", PUB, "2023-09-05", "2023-12-31", "part"),
    # weekdays: bare is the latest on or before publication, "last" strictly before
    ("on Monday", PUB, "2023-09-04", "2023-09-04", "day"),
    ("Monday evening", PUB, "2023-09-04", "2023-09-04", "day"),
    ("on Tuesday", PUB, "2023-09-05", "2023-09-05", "day"),
    ("next Monday", PUB, "2023-09-11", "2023-09-11", "day"),
    ("last Friday", PUB, "2023-09-01", "2023-09-01", "day"),
    ("last Tuesday", PUB, "2023-08-29", "2023-08-29", "day"),
    ("this Friday", PUB, "2023-09-08", "2023-09-08", "day"),
    # years
    ("in 2019", PUB, "2019-01-01", "2019-12-31", "year"),
    ("since 2015", PUB, "2015-01-01", "2023-09-05", "range"),
    ("since last year", PUB, "2022-01-01", "2023-09-05", "range"),
    ("between 2019 and 2021", PUB, "2019-01-01", "2021-12-31", "range"),
    ("2022-23", PUB, "2022-01-01", "2023-12-31", "range"),
    ("the 1990s", PUB, "1990-01-01", "1999-12-31", "range"),
    # parts of a month or year
    ("late August", PUB, "2023-08-21", "2023-08-31", "part"),
    ("in early September", PUB, "2023-09-01", "2023-09-10", "part"),
    ("mid-July", PUB, "2023-07-11", "2023-07-20", "part"),
    ("early 2023", PUB, "2023-01-01", "2023-04-30", "part"),
    ("mid-2023", PUB, "2023-05-01", "2023-08-31", "part"),
    ("late last year", PUB, "2022-09-01", "2022-12-31", "part"),
    ("the end of the month", PUB, "2023-09-21", "2023-09-30", "part"),
    ("late February 2024", PUB, "2024-02-21", "2024-02-29", "part"),
    ("the first quarter of 2023", PUB, "2023-01-01", "2023-03-31", "part"),
    ("Q2 2023", PUB, "2023-04-01", "2023-06-30", "part"),
    ("the second half of last year", PUB, "2022-07-01", "2022-12-31", "part"),
    ("the last week of August", PUB, "2023-08-25", "2023-08-31", "week"),
    # single days
    ("September 4", PUB, "2023-09-04", "2023-09-04", "day"),
    ("On September 4", PUB, "2023-09-04", "2023-09-04", "day"),
    ("4 September 2023", PUB, "2023-09-04", "2023-09-04", "day"),
    ("2023-09-04", PUB, "2023-09-04", "2023-09-04", "day"),
    ("Sept. 4", PUB, "2023-09-04", "2023-09-04", "day"),
    ("Sep 5, 2023", PUB, "2023-09-05", "2023-09-05", "day"),
    ("SEPTEMBER 5, 2023", PUB, "2023-09-05", "2023-09-05", "day"),
    ("Monday, September 4, 2023", PUB, "2023-09-04", "2023-09-04", "day"),
    ("the 4th of September", PUB, "2023-09-04", "2023-09-04", "day"),
    ("09/04/23", PUB, "2023-09-04", "2023-09-04", "day"),
    ("04.09.2023", PUB, "2023-09-04", "2023-09-04", "day"),
    ("25/12/2022", PUB, "2022-12-25", "2022-12-25", "day"),
    # formats only dateutil knows
    ("2023-09-04T10:12:00Z", PUB, "2023-09-04", "2023-09-04", "day"),
    ("5-Sep-2023", PUB, "2023-09-05", "2023-09-05", "day"),
]


@pytest.mark.parametrize(("expression", "published", "start", "end", "precision"), NORMALISATIONS)
def test_normalise_date(
    expression: str, published: datetime.date, start: str, end: str, precision: str
) -> None:
    assert normalise_date(expression, published) == DateRange(start, end, precision)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("September 4, 2023", DateRange("2023-09-04", "2023-09-04", "day")),
        ("April 2022", DateRange("2022-04-01", "2022-04-30", "month")),
        ("September 4", None),
        ("in July", None),
        ("yesterday", None),
        ("last week", None),
        ("on Monday", None),
    ],
)
def test_relative_expressions_need_a_publication_date(
    expression: str, expected: DateRange | None
) -> None:
    assert normalise_date(expression, None) == expected


@pytest.mark.parametrize(
    "expression",
    ["it may rain", "2 cores", "21:53", "COVID-19", "Berth 33", "the 70th anniversary", "",
     "September 4 and some unrelated words"],
)  # fmt: skip
def test_normalise_date_refuses_what_is_not_a_date(expression: str) -> None:
    assert normalise_date(expression, PUB) is None


def test_normalise_date_uses_the_context_month_for_bare_days() -> None:
    july = DateRange("2023-07-25", "2023-07-27", "range")
    assert normalise_date("the 25th to the 27th", PUB, context_month=(2023, 7)) == july


def summary(text: str, published: datetime.date | None) -> list[tuple[str, str, str, str]]:
    return [
        (m.text, m.range.start, m.range.end, m.range.precision) for m in find_dates(text, published)
    ]


SEED_SENTENCES = [
    (
        "000",
        "to participate in the Eastern Economic Forum, scheduled for September 10-13.",
        [("September 10-13", "2023-09-10", "2023-09-13", "range")],
    ),
    (
        "000",
        "the space launch center where Putin and Alexander Lukashenko met in April 2022.",
        [("April 2022", "2022-04-01", "2022-04-30", "month")],
    ),
    (
        "000",
        "Recall that last month, Pyongyang’s second attempt to launch a reconnaissance",
        [("last month", "2023-08-01", "2023-08-31", "month")],
    ),
    (
        "001",
        "On September 4, it became known that during this visit, Shoigu suggested",
        [("September 4", "2023-09-04", "2023-09-04", "day")],
    ),
    (
        "002",
        "when Russia hosts the Eastern Economic Forum Sept. 10 to 14.",
        [("Sept. 10 to 14", "2023-09-10", "2023-09-14", "range")],
    ),
    (
        "002",
        "since Russian Defense Minister Sergei Shoigu visiting Pyongyang in July and a North "
        "Korean delegation visited Russia in August, National Security Council spokesperson "
        "Adrienne Watson said Monday evening.",
        [
            ("July", "2023-07-01", "2023-07-31", "month"),
            ("August", "2023-08-01", "2023-08-31", "month"),
            ("Monday evening", "2023-09-04", "2023-09-04", "day"),
        ],
    ),
    (
        "002",
        "preparing to sell munitions to Russia and did so so late last year, providing",
        [("late last year", "2022-09-01", "2022-12-31", "part")],
    ),
    (
        "003",
        "Russian Defense Minister Sergei Shoigu said yesterday: “Why not, they are our",
        [("yesterday", "2023-09-04", "2023-09-04", "day")],
    ),
    (
        "003",
        "with China. Last week, the White House warned that Putin and Kim were texting",
        [("Last week", "2023-08-28", "2023-09-03", "week")],
    ),
    (
        "003",
        "In late August, a delegation of about 20 North Korean officials, including",
        [("late August", "2023-08-21", "2023-08-31", "part")],
    ),
    (
        "004",
        "coinciding with the Eastern Economic Forum scheduled from September 10 to 13. It’s "
        "worth recalling that Kim previously visited Russia in 2019, arriving in Vladivostok",
        [
            ("from September 10 to 13", "2023-09-10", "2023-09-13", "range"),
            ("2019", "2019-01-01", "2019-12-31", "year"),
        ],
    ),
    (
        "004",
        "The Eastern Economic Forum, which has been held in Vladivostok since 2015, serves",
        [("since 2015", "2015-01-01", "2023-09-05", "range")],
    ),
    (
        "004",
        "Chinese leader Xi Jinping decided to skip this year’s Group of 20 (G20) leader’s summit",
        [("this year", "2023-01-01", "2023-12-31", "year")],
    ),
]


@pytest.mark.parametrize(("prefix", "sentence", "expected"), SEED_SENTENCES)
def test_find_dates_in_seed_sentences(
    prefix: str, sentence: str, expected: list[tuple[str, str, str, str]]
) -> None:
    text, published = seed(prefix)
    offset = text.index(sentence)
    mentions = find_dates(sentence, published, offset=offset)
    assert [(m.text, m.range.start, m.range.end, m.range.precision) for m in mentions] == expected
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text


def test_find_dates_over_a_whole_seed_article() -> None:
    text, published = seed("002")
    assert [m.text for m in find_dates(text, published)] == [
        "this month", "Monday", "Sept. 10 to 14", "July", "August", "Monday evening",
        "late last year", "last week",
    ]  # fmt: skip


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_offsets_slice_every_seed_back_to_its_expressions(prefix: str) -> None:
    text, published = seed(prefix)
    mentions = find_dates(text, published)
    assert mentions
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_month_carries_over_to_bare_days() -> None:
    text, published = seed("001")  # the seed has a no-break space after "Shoigu"
    start = text.index("In addition, in July")
    sentence = text[start : text.index("the 70th anniversary", start)]
    assert "where from the 25th to the 27th they" in sentence
    assert summary(sentence, published) == [
        ("July", "2023-07-01", "2023-07-31", "month"),
        ("from the 25th to the 27th", "2023-07-25", "2023-07-27", "range"),
    ]


def test_the_nearest_preceding_month_wins() -> None:
    text = "In March they met; on the 5th, they signed. In May they quarrelled on the 2nd."
    assert summary(text, PUB)[1::2] == [
        ("the 5th", "2023-03-05", "2023-03-05", "day"),
        ("the 2nd", "2023-05-02", "2023-05-02", "day"),
    ]


def test_context_month_comes_from_an_earlier_passage() -> None:
    mentions = find_dates("from the 25th to the 27th", PUB, context_month=(2023, 7))
    assert [(m.range.start, m.range.end) for m in mentions] == [("2023-07-25", "2023-07-27")]


FALSE_POSITIVES = [
    "Xi Jinping decided to skip the Group of 20 (G20) leader’s summit in India.",
    "Burning Man Festival: 70,000 People are Stranded due to Heavy Rains",
    "3 min.920",
    "21:53",
    "he also plans to visit Berth 33 (Russian naval base in Vladivostok – ed.)",
    "they celebrated the 70th anniversary of the end of the Korean War",
    "it may rain",
    "the technology that North Korea may seek from Russia",
    "May I ask a question?",
    "they march on the capital",
    "March on Washington organisers met.",
    "Prime Minister Theresa May said the deal was done.",
    "August Ames said nothing.",
    "a laptop with 2 cores",
    "Call +1 202-555-0147 or 020 7946 0958 or +7 (423) 220-10-20.",
    "COVID-19 cases rose.",
    "Su-35 fighters and MiG-29s.",
    "Continue reading at Today.it",
    "Source: Today IT",
    "USA Today reported it.",
    "the Good Friday Agreement",
    "The Mail on Sunday reported it.",
    "over the last year, prices rose",
    "(C)UNIAN 2023",
    "the 25th Amendment",
    "Mar-a-Lago",
    "at 10:30 on the 5th floor",
    "version 2.10.1 and 3.14",
]


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_no_false_positives(text: str) -> None:
    assert find_dates(text, PUB) == []


def test_dateline_of_seed_001_header() -> None:
    text, _ = seed("001")
    header = "\n".join(text.splitlines()[:5])
    assert "Katerina Chernovol21:53, 09/04/23" in header
    assert find_dateline(header) == datetime.date(2023, 9, 4)
    assert find_dateline(text) == datetime.date(2023, 9, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A headline\nPublished: 5 September 2023\nBody.", datetime.date(2023, 9, 5)),
        ("A headline\nBy Jane Doe\nSep 5, 2023 10:12 AM\n\nBody.", datetime.date(2023, 9, 5)),
        ("Updated 6 September 2023\nPublished 5 September 2023\nBody", datetime.date(2023, 9, 5)),
        ("Posted on 2023-09-05T10:12:00+03:00 by admin", datetime.date(2023, 9, 5)),
        ("A headline\n\nSeptember 4\nBody", None),
        (
            "A headline\nA long paragraph that mentions September 4, 2023 in passing while it "
            "discusses a great many other matters at length.",
            None,
        ),
        ("A headline\n" + "A line.\n" * 20 + "Published: 5 September 2023", None),
    ],
)
def test_find_dateline(text: str, expected: datetime.date | None) -> None:
    assert find_dateline(text) == expected


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_seeds_without_a_dateline(prefix: str) -> None:
    text, _ = seed(prefix)
    assert find_dateline(text) is None


def test_dates_module_does_not_import_spacy() -> None:
    code = "import sys, extraction.dates; sys.exit('spacy' in sys.modules)"
    repo = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=repo).returncode == 0
