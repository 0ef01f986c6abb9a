"""What the words around toponyms say about their senses, before any gazetteer context.

- Lists: "Mexico, China, Japan and Brazil" or "Alabama, Georgia and Florida" name siblings;
  a comma between two of them is no "X, Y" containment, and each member leans to the kind
  and country of the others (Georgia in a list of US states is the state).
- State cues: "Washington state", "the state of New York", "New York State" name the state,
  not the city that shares its name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*(?:and|or|&|as well as))\s*$", re.IGNORECASE)
_AND_GAP = re.compile(r"^\s*,?\s*(?:and|or|&)\s*$", re.IGNORECASE)
_STATE_AFTER = re.compile(r"\s*(?:state|State|STATE)\b(?!\s+(?:University|College|Department|"
                          r"Park|Fair|Police|Patrol|Senate|House|Capitol)\b)")
_STATE_BEFORE = re.compile(r"\b(?:state|State)\s+of\s+(?:the\s+)?$")
_STATE_SUFFIX = re.compile(r"\s+(?:state|State|STATE)$")


def list_chains(text: str, spans: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Runs of toponyms (indices into `spans`, which are in text order) joined by list gaps:
    three or more names ("A, B and C"), or two joined by "and"/"or" ("Iran and Syria"). Two
    names joined by a bare comma ("Athens, Georgia") are no list."""
    chains: list[list[int]] = []
    run = [0] if spans else []
    for i in range(1, len(spans)):
        gap = text[spans[i - 1][1]:spans[i][0]]
        if len(gap) <= 20 and _LIST_GAP.match(gap):
            run.append(i)
            continue
        chains.append(run)
        run = [i]
    if run:
        chains.append(run)
    return [c for c in chains if len(c) >= 3 or (
        len(c) == 2 and _AND_GAP.match(text[spans[c[0]][1]:spans[c[1]][0]]))]


def names_a_state(text: str, start: int, end: int) -> bool:
    """ "Washington state", "the state of Oregon": the toponym at start:end is a state."""
    return bool(_STATE_AFTER.match(text, end) or _STATE_BEFORE.search(text[max(0, start - 30):
                                                                           start]))


def without_state_suffix(surface: str) -> str:
    """ "New York State" -> "New York"; "" when the name has no such suffix."""
    bare = _STATE_SUFFIX.sub("", surface)
    return bare if bare != surface else ""
