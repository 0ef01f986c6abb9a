"""Properties of paragraphs(): pieces cover the text's words, with exact offsets, and none is
longer than the bound."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.cleaning import MAX_PARAGRAPH, _pieces, paragraphs

_TEXT = st.text(alphabet=st.sampled_from(list("ab. ?!\n\t,x")), max_size=400)


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_pieces_cover_the_words_with_exact_offsets(text: str) -> None:
    found = paragraphs(text)
    for p in found:
        assert text[p.start:p.end] == p.text
        assert p.text and p.text == p.text.strip()
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    covered = set().union(*(range(p.start, p.end) for p in found)) if found else set()
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


@given(_TEXT, st.integers(min_value=1, max_value=60))
@settings(max_examples=300, deadline=None)
def test_a_long_line_is_cut_into_bounded_pieces(text: str, limit: int) -> None:
    line = text.replace("\n", " ").strip()
    pieces = _pieces(line, 0, len(line), limit)
    assert all(0 < end - start <= limit for start, end in pieces)
    assert re.sub(r"\s", "", "".join(line[s:e] for s, e in pieces)) == re.sub(r"\s", "", line)


def test_a_single_five_megabyte_line_becomes_paragraphs_under_the_bound() -> None:
    text = "Kim met Putin in Vladivostok and then flew to Pyongyang. " * 90_000
    found = paragraphs(text)
    assert len(found) > 400
    assert max(len(p.text) for p in found) <= MAX_PARAGRAPH
    assert all(p.text.endswith(".") for p in found)  # cut at sentence ends
