"""Boilerplate lines stay in the text but are marked, so they yield no places."""

from __future__ import annotations

import pytest

from extraction.cleaning import is_boilerplate, paragraphs


@pytest.mark.parametrize("line", [
    "Also Read: Quran Burnings: Violent Protests in Sweden, At Least 3 Arrested",
    "Read also: Ukraine war latest",
    "You may also like",
    "Leave a Comment",
    "Enter comments here:",
    "Source: korrespondent",
    "(C)UNIAN 2023",
    "© 2023 Reuters",
    "BBC News:",
    "Katerina Chernovol21:53, 09/04/23",
    "news Correspondent.net on Telegram. Subscribe to our channel Athletistic",
    "I am David Wyatt, a professional writer and journalist for Buna Times. I specialize in news.",
    "Continue reading at Today.it",
])
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Kim and Putin will likely meet in Vladivostok, just north of Russia's border.",
    "Moscow asks for artillery",
    "Cooperation between Russia and North Korea",
    "The Eastern Economic Forum, which has been held in Vladivostok since 2015, serves Russia.",
    "Pyongyang rules",
])
def test_story_lines(line: str) -> None:
    assert not is_boilerplate(line)


def test_you_may_also_like_block_runs_until_the_story_resumes() -> None:
    text = (
        "Kim will visit Russia this month, officials said on Monday in Washington.\n"
        "You may also like\n"
        "Floods in Pakistan\n"
        "Election in Brazil\n"
        + "Back to the story: " + "the leaders will meet in Vladivostok " * 4 + ".\n"
    )
    marks = [(p.text[:12], p.boilerplate) for p in paragraphs(text)]
    assert [b for _, b in marks] == [False, True, True, True, False]


def test_paragraph_offsets_slice_the_text() -> None:
    text = "  Title line  \n\nFirst paragraph here.\r\nAlso Read: other story\n"
    for p in paragraphs(text):
        assert text[p.start:p.end] == p.text
        assert p.text == p.text.strip()
