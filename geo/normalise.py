"""Place-name normalisation: the one key under which names are indexed and looked up.

Index and queries go through the same function, so "St. Petersburg", "Saint-Pétersburg" and
"saint petersburg" meet under "saint petersburg", and "the Russian Federation" under
"russian federation". Bump NORMALISE_VERSION whenever the output changes: it is part of the
gazetteer index name, so a changed rule rebuilds the index instead of silently missing names.
"""

from __future__ import annotations

import re
import unicodedata

NORMALISE_VERSION = 1

# Letters that NFKD does not decompose into a base letter and a combining mark.
_SPECIAL = str.maketrans({
    "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "ı": "i",
    "þ": "th", "ħ": "h", "ŧ": "t",
})
_APOSTROPHES = "'’‘ʼʻ`´′"
_HYPHENS = "-‐‑‒–—―−_/"
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}
_DROP = re.compile(f"[{re.escape(_APOSTROPHES)}.]")
_SPACE = re.compile(f"[\\s{re.escape(_HYPHENS)},;:()\\[\\]\"“”«»]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_POSSESSIVE = re.compile(r"[’'`]s$", re.IGNORECASE)


def strip_diacritics(text: str) -> str:
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded.translate(_SPECIAL))
    return _COMBINING.sub("", decomposed)


def normalise(name: str) -> str:
    """The lookup key of a place name ("" when nothing is left)."""
    text = _DROP.sub("", strip_diacritics(name))
    words = _SPACE.sub(" ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def strip_possessive(name: str) -> str:
    """ "Russia’s" -> "Russia"; other names unchanged."""
    return _POSSESSIVE.sub("", name.strip())


def is_latin(name: str) -> bool:
    """True when the normalised name is plain ASCII: the names an English text can contain."""
    return normalise(name).isascii()


def token_count(name: str) -> int:
    return len(normalise(name).split())
