"""What the words around a name say about whether it is a place, and which.

- A place name that names a disease ("Marburg virus", "Reston ebolavirus", "Lyme disease") is
  the disease, not the town it was named after.
- "the Centre" alone is the central government (Indian English), not a region called Centre.
- An abbreviation the text defines after a place name ("New South Wales (NSW)", "Andhra
  Pradesh (AP)") is that place wherever the document uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span

from geo.gazetteer import Gazetteer

DISEASE_WORDS = frozenset({
    "virus", "viruses", "ebolavirus", "fever", "disease", "flu", "influenza", "strain",
    "variant", "encephalitis", "syndrome",
})
_CENTRE = frozenset({"Centre", "Center"})
_DEFINED = re.compile(
    r"\b([A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|the|and|de|del|la))*)"  # the long form
    r"\s*\(\s*([A-Z][A-Z.]{1,6})\s*\)")  # "(NSW)"
_MINOR = frozenset({"of", "the", "and", "de", "del", "la"})


def names_a_disease(span: Span) -> bool:
    """ "Marburg" in "Marburg virus", "Lyme" in "Lyme disease"."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].text.lower() in DISEASE_WORDS


def central_government(span: Span) -> bool:
    """ "the Centre" with nothing after it that makes it a region's name ("Centre Region")."""
    doc = span.doc
    if len(span) != 1 or span.text not in _CENTRE or span.start == 0:
        return False
    if doc[span.start - 1].lower_ != "the":
        return False
    after = doc[span.end] if span.end < len(doc) else None
    return after is None or not (after.text[:1].isupper() or after.lower_ in ("region", "of"))


def defined_abbreviations(docs: Iterable[Doc], gazetteer: Gazetteer) -> dict[str, str]:
    """Abbreviation -> the place name it was defined for, e.g. {"AP": "Andhra Pradesh"}: an
    upper-case word in brackets right after a name whose capitalised words it abbreviates."""
    defined: dict[str, str] = {}
    for doc in docs:
        for m in _DEFINED.finditer(doc.text):
            abbr = m.group(2)
            long = _abbreviated(m.group(1).split(), abbr.replace(".", ""))
            if long and abbr not in defined and gazetteer.is_known(long):
                defined[abbr] = long
    return defined


def _abbreviated(words: list[str], letters: str) -> str:
    """The shortest tail of `words` whose capitalised initials spell `letters`, else ""."""
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        if tail[0] in _MINOR:
            continue
        initials = "".join(w[0] for w in tail if w not in _MINOR)
        if initials.upper() == letters.upper():
            return " ".join(tail)
        if len(initials) > len(letters):
            break
    return ""
