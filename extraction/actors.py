"""Actors of a trigger, from the dependency parse (their normalisation: extraction.actor_keys).

Who acts is the subject (or the agent "by" of a passive, the possessor of an event noun: "Kim's
visit"); the target is the object or the "with"/"against"/"to"/"on" phrase. A subject missing
from an infinitive or a conjoined verb is the governing verb's ("Kim plans to visit",
"persuade Kim to sell"). Conjoined names are separate actors ("Hungarian and Romanian
officials" are Hungary's and Romania's).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from extraction.triggers import MOVEMENT, Trigger, lemma, words

log = logging.getLogger(__name__)

# Nouns that stand for a state when a country modifies them ("Russian officials").
STATE_AGENTS = words(
    "government official authority ministry military army force troop soldier navy police "
    "diplomat delegation administration regime leadership side embassy parliament cabinet "
    "state intelligence")
GROUP_NOUNS = words(
    "protester demonstrator rebel militant insurgent student worker civilian people villager "
    "resident refugee opposition guerrilla fighter gunman terrorist separatist activist "
    "mob crowd") | STATE_AGENTS
ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_PRONOUNS = {"he", "she", "him", "her"}
LEADER_TITLES = words("leader president premier chancellor ruler dictator king head chairman")
_PARTICIPANT_VERBS = words(
    "prepare attend participate plan seek want join expect hope propose intend arrange "
    "organize organise schedule prepare make undertake aim")
_TARGET_PREPS = {"with", "against", "to", "on", "toward", "towards", "into", "at", "upon"}
_TARGET_OF = {"COERCE", "ASSAULT", "SANCTION", "INVESTIGATE", "RETREAT", "FIGHT", "SUPPORT",
              "DISAPPROVE", "REJECT", "AID"}
_SPAN_DEPS = {"compound", "amod", "poss", "case", "nmod", "flat", "nummod", "det", "quantmod"}


@dataclass
class ActorSpans:
    sources: list[Span] = field(default_factory=list)
    targets: list[Span] = field(default_factory=list)


# -- finding the actors in the parse ------------------------------------------------------------


def actor_spans(trigger: Trigger, places: set[int]) -> ActorSpans:
    """Source and target spans of a trigger; `places`: token indices of the sentence's places
    (a movement's destination is its location, not its target)."""
    anchor = trigger.anchor
    out = ActorSpans()
    if trigger.is_noun:
        sources, targets = _noun_actors(trigger, places)
    else:
        sources, targets = _verb_actors(anchor, trigger, places)
    for head in sources:
        out.sources.extend(_split(head))
    for head in targets:
        out.targets.extend(s for s in _split(head) if not _overlaps(s, out.sources))
    return out


def _verb_actors(verb: Token, trigger: Trigger, places: set[int]) -> tuple[list, list]:
    sources, targets = [], []
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            sources.append(child)
        elif child.dep_ == "nsubjpass":
            targets.append(child)
        elif child.dep_ == "agent":
            sources.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ in ("dobj", "dative") and child not in trigger.tokens:
            if not (trigger.key in MOVEMENT and any(t.i in places for t in child.subtree)):
                targets.append(child)
        elif child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                if child.lower_ in ("to", "into", "at") and pobj.i in places:
                    continue  # a destination or a venue
                targets.append(pobj)
    if trigger.noun is not None and trigger.noun is not verb:
        _, noun_targets = _noun_actors(trigger, places, noun_only=True)
        targets.extend(noun_targets)
    if not sources:
        sources = _inherited_subject(verb)
    sources = [s for s in sources if s.lower_ not in ("who", "which", "that")] or (
        _relative_head(verb) if verb.dep_ == "relcl" else sources)
    return [s for s in sources if _actor_like(s)], [t for t in targets if _actor_like(t)]


def _noun_actors(trigger: Trigger, places: set[int], noun_only: bool = False
                 ) -> tuple[list, list]:
    noun = trigger.noun if trigger.noun is not None else trigger.anchor
    sources, targets = [], []
    for child in noun.children:
        if child.dep_ == "poss" and child.lower_ not in ("its", "their", "his", "her"):
            sources.append(child)
        elif child.dep_ in ("compound", "amod") and child.ent_type_ in ("GPE", "NORP", "ORG",
                                                                         "PERSON"):
            if _same_entity(child, noun):
                continue  # "the Eastern Economic Forum" is a name, not its organisers
            if child.i not in places or trigger.key not in MOVEMENT:
                sources.append(child)
        elif child.dep_ == "prep":
            pobjs = [c for c in child.children if c.dep_ == "pobj"]
            pobjs += [c for p in pobjs for c in p.conjuncts]
            word = child.lower_
            if word == "by" or word in ("between", "among", "amongst"):
                sources.extend(pobjs)
            elif word == "of":
                (targets if trigger.type in _TARGET_OF else sources).extend(pobjs)
            elif word in _TARGET_PREPS:
                targets.extend(p for p in pobjs
                               if not (word in ("to", "into", "at") and p.i in places))
    if noun_only:
        return [], [t for t in targets if _actor_like(t)]
    if not sources:
        sources = _participant(noun)
    return [s for s in sources if _actor_like(s)], [t for t in targets if _actor_like(t)]


def _same_entity(a: Token, b: Token) -> bool:
    return any(e.start <= a.i < e.end and e.start <= b.i < e.end for e in a.doc.ents)


def _participant(noun: Token) -> list[Token]:
    """ "Kim is preparing for a meeting": the subject of the verb that takes part in it."""
    node = noun
    if node.dep_ == "pobj" and node.head.dep_ == "prep":
        node = node.head
    verb = node.head
    if node.dep_ in ("prep", "dobj", "xcomp") and verb.pos_ in ("VERB", "AUX") and (
            lemma(verb) in _PARTICIPANT_VERBS):
        return _subject(verb)
    return []


def _subject(verb: Token) -> list[Token]:
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return subjects or _inherited_subject(verb)


def _inherited_subject(verb: Token, depth: int = 0) -> list[Token]:
    """The subject a verb shares with the one it depends on ("plans to visit", "met and
    agreed"); an object-control verb lends its object ("urged Kim to sell")."""
    if depth > 4 or verb.head.i == verb.i:
        return []
    head = verb.head
    if verb.dep_ in ("xcomp", "ccomp") and head.pos_ in ("VERB", "AUX"):
        objects = [c for c in head.children if c.dep_ in ("dobj", "dative")]
        if verb.dep_ == "xcomp" and objects:
            return objects[:1]
        ons = [p for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
               for p in c.children if p.dep_ == "pobj"]
        if verb.dep_ == "xcomp" and ons:  # "called on the DPRK to cease"
            return ons[:1]
        if verb.dep_ == "xcomp":
            return _subject_of(head, depth)
        return []
    if verb.dep_ in ("conj", "advcl") and head.pos_ in ("VERB", "AUX"):
        return _subject_of(head, depth)
    if verb.dep_ == "acl":
        return [head] if verb.tag_ == "VBG" else []
    if verb.dep_ == "relcl":
        return _relative_head(verb)
    if verb.dep_ == "pcomp" and head.head.pos_ in ("VERB", "AUX"):
        return _subject_of(head.head, depth)
    return []


def _subject_of(verb: Token, depth: int) -> list[Token]:
    found = [c for c in verb.children if c.dep_ == "nsubj"]
    return found or _inherited_subject(verb, depth + 1)


def _relative_head(verb: Token) -> list[Token]:
    if any(c.lower_ in ("where", "when") for c in verb.children):
        return []
    return [verb.head] if verb.head.pos_ in ("NOUN", "PROPN", "PRON") else []


def _actor_like(token: Token) -> bool:
    if token.pos_ == "PRON":
        return token.lower_ in _PRONOUNS or token.lower_ in ("they", "we", "it")
    if token.ent_type_ in ACTOR_ENTS:
        return True
    if lemma(token) in GROUP_NOUNS or lemma(token) in LEADER_TITLES:  # "the leader"
        return True
    return any(c.ent_type_ in ACTOR_ENTS and c.dep_ in ("compound", "amod", "poss")
               for c in token.children)


def _split(head: Token) -> list[Span]:
    """One span per conjoined actor; "Hungarian and Romanian officials" gives the adjectives."""
    heads = [head] + [c for c in head.conjuncts if c.i > head.i]
    spans = []
    for h in heads:
        adjectives = [c for c in h.children if c.dep_ in ("amod", "compound")
                      and c.ent_type_ in ("NORP", "GPE") and c.conjuncts]
        if adjectives and lemma(h) in GROUP_NOUNS:
            for adj in adjectives:
                spans.extend(h.doc[a.i:a.i + 1] for a in (adj, *adj.conjuncts))
            continue
        apposed = [c for c in h.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
        spans.append(_expand(apposed[0] if apposed and h.ent_type_ != "PERSON" else h))
    return spans


def _expand(head: Token) -> Span:
    keep = [head]
    stack = [head]
    while stack:
        node = stack.pop()
        for child in node.children:
            of_name = child.dep_ == "prep" and child.lower_ == "of" and head.ent_type_ == "ORG"
            if child.dep_ in _SPAN_DEPS or of_name or (child.dep_ == "pobj"
                                                        and node.dep_ == "prep"):
                keep.append(child)
                stack.append(child)
            elif child.dep_ == "punct" and child.text in ("-", "‐") and node is not head:
                keep.append(child)
    lo, hi = min(t.i for t in keep), max(t.i for t in keep) + 1
    doc = head.doc
    while lo < head.i and (doc[lo].dep_ == "det" or doc[lo].is_punct):
        lo += 1
    while hi - 1 > head.i and (doc[hi - 1].is_punct or doc[hi - 1].tag_ == "POS"):
        hi -= 1
    return doc[lo:hi]


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)
