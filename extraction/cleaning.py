"""Paragraphs and boilerplate.

Boilerplate (link lines to other stories, comment prompts, author bios, source and credit lines,
"You may also like" blocks, bylines) stays in the stored document but yields no places and no
events: its places are not part of the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINK_LINE = re.compile(
    r"^\s*(also read|read also|read more|see also|related( stories| articles| news)?|"
    r"more from|recommended|watch|listen|trending|don'?t miss|must read|top stories|"
    r"click here|you might also|you may also|most read|popular)\b",
    re.IGNORECASE,
)
_BLOCK_START = re.compile(
    r"^\s*(you may also like|you might also like|related (articles|stories|posts|news)|"
    r"(top )?sources related|more stories|recommended for you|read next|more on this)",
    re.IGNORECASE,
)
_PROMPT = re.compile(
    r"^\s*(leave a (comment|reply)|enter (your )?comments?|post a comment|comments?\b|"
    r"share (this|on)|subscribe|sign up|follow us|join (us|our)|continue reading|"
    r"click to|advertisement|print this|log in|newsletter)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\s*(\(c\)|©|copyright\b|source\s*:|sources\s*:|photo\s*:|image\s*:|credit\s*:|"
    r"reporting by|editing by|written by|by [A-Z][\w.-]+ [A-Z][\w.-]+\s*$|news .+ on telegram)",
    re.IGNORECASE,
)
_BIO = re.compile(
    r"^\s*(i am|i'm|about the author|the author)\b.{0,200}\b(writer|journalist|editor|"
    r"reporter|correspondent|columnist|author|blogger|contributor)\b",
    re.IGNORECASE,
)
_TIMESTAMP = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u0400-\u04FF]+")
# Longer paragraphs are cut into pieces, so that nothing reaches spaCy near its max_length
# (E088, "text too long") and the per-passage work stays bounded.
MAX_PARAGRAPH = 10_000
_SENTENCE_END = re.compile(r"[.!?;][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str
    boilerplate: bool


def paragraphs(text: str) -> list[Paragraph]:
    """Split text into paragraphs (non-empty lines, cut when longer than MAX_PARAGRAPH) and
    mark the boilerplate ones."""
    out: list[Paragraph] = []
    in_block = False
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        start, end = match.start() + lead, match.end() - trail
        body = text[start:end]
        if _BLOCK_START.match(body):
            in_block = True
        elif in_block and _word_count(body) >= 25:
            in_block = False
        boilerplate = in_block or is_boilerplate(body)
        for piece_start, piece_end in _pieces(text, start, end):
            out.append(Paragraph(piece_start, piece_end, text[piece_start:piece_end],
                                 boilerplate))
    return out


def _pieces(text: str, start: int, end: int, limit: int = MAX_PARAGRAPH
            ) -> list[tuple[int, int]]:
    """[start, end) cut into stretches of at most `limit` characters: after the last sentence
    end within the limit, else at the last whitespace, else (one enormous word) at the limit.
    Each piece is stripped of surrounding whitespace; offsets stay offsets into `text`."""
    pieces = []
    while end - start > limit:
        cut = _last_end(_SENTENCE_END, text, start, start + limit)
        if cut is None:
            cut = _last_end(_SPACE, text, start, start + limit)
        if cut is None or cut <= start:
            cut = start + limit
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > start:
            pieces.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


def _last_end(pattern: re.Pattern[str], text: str, start: int, stop: int) -> int | None:
    """End of the last match of `pattern` inside text[start:stop], looking back at most a
    fifth of the way so that a cut stays cheap."""
    floor = max(start + 1, stop - (stop - start) // 5)
    last = None
    for match in pattern.finditer(text, floor, stop):
        last = match.end()
    return last


def is_boilerplate(line: str) -> bool:
    """True for a line that belongs to the page rather than to the story."""
    if _LINK_LINE.match(line) or _BLOCK_START.match(line) or _PROMPT.match(line):
        return True
    if _CREDIT.match(line) or _BIO.match(line):
        return True
    words = _word_count(line)
    if words <= 6 and line.rstrip().endswith(":"):
        return True  # a heading of a list of links, e.g. "BBC News:"
    if words <= 6 and _TIMESTAMP.search(line):
        return True  # a byline with a time stamp, e.g. "Katerina Chernovol21:53, 09/04/23"
    return words <= 2 and not re.search(r"[A-Za-z]{3,}", line)


def _word_count(line: str) -> int:
    return len(_WORD.findall(line))
