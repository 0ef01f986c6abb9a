"""Actor normalisation: one key per actor across a workspace.

A person is keyed by the name without titles, matched to the people already known by surname
("Putin"), or by a spelling one edit away in one word ("Kin Jong-un", "Kim Jong-in"), in the
document first and then across the workspace; "Kim Jong Il" (two edits) stays apart. A
description ("the North Korean leader", "the Pyongyang leader") is the person introduced with
that country and a leader's title ("North Korean leader Kim Jong-un"), in the document or,
failing that, earlier in the workspace. A country, its adjective with an official noun
("Russian officials"), its capital ("Moscow asks") or its seat of government ("the Kremlin") is
the state. A pronoun subject of what someone says is the speaker ("Hungary said it will").
Other actor phrases keep their own key ("group:fijian rebels").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from countryinfo import all_countries
from rapidfuzz.distance import Levenshtein
from spacy.tokens import Span, Token

from extraction.actor_phrases import (
    GROUP_NOUNS,
    LEADER_TITLES,
    PEOPLE_NOUNS,
    STATE_AGENTS,
    actor_like,
    expand_actor,
)
from extraction.actors import subject_of_verb
from extraction.triggers import lemma, words
from geo.gazetteer import Gazetteer
from geo.normalise import normalise
from store.models import KnownActor

log = logging.getLogger(__name__)

TITLES = words(
    "mr mrs ms dr president vice prime minister secretary general chancellor premier king "
    "queen prince leader spokesman spokeswoman spokesperson senator governor ambassador "
    "envoy chief commander defense defence foreign interior state deputy supreme chairman "
    "head former national security council house white sen rep gov gen lt col sgt adm "
    "officials official analyst journalist director mayor"
)
SEATS = {
    "washington": "US", "kremlin": "RU", "moscow kremlin": "RU", "white house": "US",
    "pentagon": "US", "state department": "US", "downing street": "GB", "whitehall": "GB",
    "elysee": "FR", "blue house": "KR", "zhongnanhai": "CN",
}
_PERSONAL = {"he", "she", "him", "her"}


@dataclass(frozen=True)
class Resolved:
    key: str
    name: str
    kind: str  # person, state, organisation, group


class ActorNormaliser:
    """Keys actors across a workspace; call `start_document` before each document.

    `known`: the workspace's actors so far (from the store), so that a new document's
    "Putin" joins the "Vladimir Putin" of earlier ones. `actors` holds them all afterwards.
    """

    def __init__(self, gazetteer: Gazetteer, known: Iterable[KnownActor] = ()):
        self.gazetteer = gazetteer
        self.actors: dict[str, KnownActor] = {a.key: a for a in known}
        self._local: list[str] = []  # person keys of this document, most recent last
        self._roles: dict[str, str] = {}  # country code -> its leader's key, this document
        self._all_roles: dict[str, str] = {}  # the same over the workspace: the fallback
        self._last_source: str | None = None  # "he" is the last person who acted

    def start_document(self) -> None:
        self._local, self._roles, self._last_source = [], {}, None

    def resolve(self, span: Span, role: str = "source") -> Resolved | None:
        """The actor a span names, or None when it names none ("it" with no antecedent)."""
        found = self._resolve(span)
        if found is not None and found.kind == "person" and role == "source":
            self._last_source = found.key
        return found

    def _resolve(self, span: Span) -> Resolved | None:
        text = span.text.strip()
        if not text:
            return None
        if len(span) == 1 and span[0].pos_ == "PRON":
            return self._pronoun(span[0])
        person = _person_in(span)
        country = None if person is not None else self._state(span)
        if country is not None:
            return self._state_actor(country, text)
        if person is not None:
            return self._person(person, span)
        role_country = self._country_in(span)
        head = lemma(span.root)
        if role_country and head in LEADER_TITLES:
            key = self._roles.get(role_country) or self._all_roles.get(role_country)
            if key is not None:
                return self._known(key)
        if role_country and head in STATE_AGENTS:
            return self._state_actor(role_country, text)
        if span.root.ent_type_ == "ORG" or any(t.ent_type_ == "ORG" for t in span):
            return self._remember(f"org:{normalise(text)}", _strip_the(text), "organisation",
                                  text)
        if head in GROUP_NOUNS and not role_country:
            return self._remember(f"group:{head}", head, "group", text)
        name = _strip_the(text)  # "Burundian militiamen", "Fijian rebels"
        return self._remember(f"group:{normalise(name)}", name, "group", text)

    # persons

    def _person(self, name_span: Span, span: Span) -> Resolved:
        name = _strip_titles(name_span)
        parts = normalise(name).split()
        key = self._match_person(parts) or "person:" + " ".join(parts)
        resolved = self._remember(key, name, "person", span.text, prefer_longer=True)
        if key in self._local:
            self._local.remove(key)
        self._local.append(key)
        country = self._country_in(span)
        if country and any(lemma(t) in LEADER_TITLES for t in span if t.ent_type_ != "PERSON"):
            self._roles.setdefault(country, key)
            self._all_roles.setdefault(country, key)
        return resolved

    def _match_person(self, parts: list[str]) -> str | None:
        wanted = tuple(parts)
        people = [k for k in self.actors if k.startswith("person:")]
        local = set(self._local)
        ordered = list(reversed(self._local)) + [k for k in people if k not in local]
        for key in ordered:
            if self._words(key) == wanted:
                return key
        if len(parts) == 1:  # a surname or a family name: "Putin", "Kim"
            return next((k for k in ordered if parts[0] in self._words(k)), None)
        for key in ordered:
            known = self._words(key)
            if len(known) == 1 and known[0] in (parts[0], parts[-1]):
                return key
            if _one_edit_apart(known, wanted):
                return key
        return None

    def _words(self, key: str) -> tuple[str, ...]:
        return _name_words(self.actors[key].name)

    def _pronoun(self, token: Token) -> Resolved | None:
        speaker = _speaker(token)
        if speaker is not None:
            return self._resolve(expand_actor(speaker))
        if token.lower_ in _PERSONAL and self._last_source:
            return self._known(self._last_source)
        return None

    # states

    def _state(self, span: Span) -> str | None:
        """The country a span stands for as a whole: a country, capital, seat or acronym."""
        text = _strip_the(span.text)
        norm = normalise(text)
        if norm in SEATS:
            return SEATS[norm]
        if norm in _capitals():
            return _capitals()[norm]
        for candidate in self.gazetteer.candidates(text, limit=3):
            if candidate.place.kind == "country" and candidate.quality <= 1:
                return candidate.place.country
        if len(span) <= 3:
            for candidate in self.gazetteer.adjective_candidates(text, limit=1):
                if candidate.place.kind == "country":
                    return candidate.place.country
        return None

    def _country_in(self, span: Span) -> str | None:
        """A country named inside a longer phrase: "North Korean leader", "Russia's army"."""
        for size in (3, 2, 1):
            for i in range(span.start, span.end - size + 1):
                part = span.doc[i:i + size]
                if not part[0].text[:1].isupper() or part.root.ent_type_ == "PERSON":
                    continue
                found = self._state(part)
                if found is not None:
                    return found
        return None

    def _state_actor(self, code: str, text: str) -> Resolved:
        place = self.gazetteer.country(code)
        return self._remember(f"state:{code}", place.name if place else code, "state", text)

    # the registry

    def _known(self, key: str) -> Resolved:
        actor = self.actors[key]
        return Resolved(key, actor.name, actor.kind)

    def _remember(self, key: str, name: str, kind: str, written: str,
                  prefer_longer: bool = False) -> Resolved:
        actor = self.actors.get(key)
        if actor is None:
            actor = KnownActor(key, name, kind, (written,))
        else:
            names = actor.names if written in actor.names else (*actor.names, written)
            better = prefer_longer and len(name.split()) > len(actor.name.split())
            actor = KnownActor(key, name if better else actor.name, kind, names)
        self.actors[key] = actor
        return Resolved(key, actor.name, kind)


def _speaker(pronoun: Token) -> Token | None:
    """The subject of the verb of saying whose complement has this pronoun as its subject
    ("Hungary said it will"), or, deeper in that complement, a pronoun that agrees with it
    ("the rebels said they will free the men whom they hold")."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = pronoun.head
    for _ in range(6):
        if clause.dep_ == "ccomp":
            break
        if clause.head.i == clause.i:
            return None
        clause = clause.head
    else:
        return None
    subjects = [s for s in subject_of_verb(clause.head) if s.pos_ != "PRON"]
    if not subjects or not actor_like(subjects[0]):
        return None
    return subjects[0] if _agrees(pronoun, subjects[0]) else None


def _agrees(pronoun: Token, antecedent: Token) -> bool:
    """Number and person agreement, roughly: "they" a plural or a body, "he" a person, "it"
    a singular thing."""
    plural = antecedent.tag_ in ("NNS", "NNPS") or bool(antecedent.conjuncts)
    person = antecedent.ent_type_ == "PERSON" or lemma(antecedent) in PEOPLE_NOUNS | (
        LEADER_TITLES)
    word = pronoun.lower_
    if word in ("they", "we"):
        return plural or antecedent.ent_type_ in ("ORG", "GPE", "NORP")
    if word in ("he", "she"):
        return person and not plural
    return word == "it" and not plural and not person


def _person_in(span: Span) -> Span | None:
    """The person a span names: not one named in its head's phrases ("supporters of
    President X" are not X)."""
    owned = {t.i for c in span.root.children if c.dep_ == "prep" for t in c.subtree}
    people = [e for e in span.doc.ents if e.label_ == "PERSON"
              and span.start <= e.start and e.end <= span.end and e.root.i not in owned]
    if not people:
        return None
    root = [e for e in people if e.start <= span.root.i < e.end]
    return root[0] if root else people[-1]


def _strip_titles(span: Span) -> str:
    kept = [t for t in span if not t.is_punct or t.text in ("-", "‐")]
    while kept and (kept[0].lower_.rstrip(".") in TITLES or kept[0].tag_ == "POS"):
        kept = kept[1:]
    while kept and kept[-1].tag_ == "POS":
        kept = kept[:-1]
    if not kept:
        return span.text
    return span.doc[kept[0].i:kept[-1].i + 1].text


def _strip_the(text: str) -> str:
    text = text.strip()
    for lead in ("the ", "The "):
        if text.startswith(lead):
            return text[len(lead):]
    return text


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    """The words of a name as keys compare them ("Kim Jong-un" -> kim, jong, un)."""
    return tuple(normalise(name).split())


def _one_edit_apart(known: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """Same number of words, all equal but one, that one at one edit ("kin"/"kim", "in"/"un")."""
    if len(known) != len(parts) or len(parts) < 2:
        return False
    diffs = [(a, b) for a, b in zip(known, parts, strict=True) if a != b]
    return len(diffs) == 1 and Levenshtein.distance(*diffs[0]) <= 1 and min(
        len(diffs[0][0]), len(diffs[0][1])) >= 2


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Normalised capital name -> ISO code (countryinfo): a capital standing for its state."""
    out: dict[str, str] = {}
    for country in all_countries():
        try:
            capital, iso = country.capital(), country.iso(2)
        except (KeyError, TypeError):
            continue
        if isinstance(capital, list):
            capital = capital[0] if capital else None
        if capital and iso:
            out.setdefault(normalise(capital), iso.upper())
            out.setdefault(normalise(capital.split(",")[0]), iso.upper())  # "Washington, D.C."
    return out
