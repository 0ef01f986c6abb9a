"""Actors of a trigger, from the dependency parse (what an actor phrase is:
extraction.actor_phrases; their normalisation: extraction.actor_keys).

Who acts is the subject (or the agent "by" of a passive, the possessor of an event noun: "Kim's
visit"); the target is the object or the "with"/"against"/"to"/"on" phrase. A subject missing
from an infinitive or a conjoined verb is the governing verb's ("Kim plans to visit",
"persuade Kim to sell", "is willing to withdraw"); a happening as the subject stands for who
made it ("US drone strikes killed"). How targets are found: extraction.actor_targets.
Conjoined names are separate actors ("Hungarian and Romanian officials" are Hungary's and
Romania's).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from extraction.actor_phrases import acronym, actor_like, counted, split_actors
from extraction.actor_targets import (
    POSSESSIVE_PRONOUNS,
    RELATIVE,
    TARGET_OF,
    Frame,
    clause_targets,
    complement_targets,
    conditioned,
    infinitive,
    noun_targets,
    objects,
    parties,
    shared_targets,
)
from extraction.triggers import MOVEMENT, NOUNS, Trigger, lemma, words

log = logging.getLogger(__name__)

_PARTICIPANT_VERBS = words(
    "prepare attend participate plan seek want join expect hope propose intend arrange "
    "organize organise schedule prepare make undertake aim gather assemble converge "
    # aspect: who speeds up or completes a withdrawal is who withdraws
    "begin start continue resume complete finish speed accelerate hasten intensify step "
    "escalate delay postpone")
# Verbs whose object does what their infinitive says ("urged Kim to sell"); with other verbs
# the subject does ("summoned the envoy to complain").
_OBJECT_CONTROL = words(
    "urge ask persuade order force tell invite encourage allow permit enable want require "
    "compel pressure press push request advise instruct authorize authorise direct help "
    "convince get cause prompt warn beg implore challenge oblige leave need expect")


@dataclass
class ActorSpans:
    sources: list[Span] = field(default_factory=list)
    targets: list[Span] = field(default_factory=list)


# -- finding the actors in the parse ------------------------------------------------------------


def actor_spans(trigger: Trigger, places: set[int]) -> ActorSpans:
    """Source and target spans of a trigger; `places`: token indices of the sentence's places
    (a movement's destination is its location, not its target)."""
    out = ActorSpans()
    if trigger.is_noun:
        sources, targets = _noun_actors(trigger, places)
    else:
        sources, targets = _verb_actors(trigger.anchor, trigger, places)
    for head in _unique(sources):
        out.sources.extend(split_actors(head))
    for head in _unique(targets):
        out.targets.extend(s for s in split_actors(head) if not _overlaps(s, out.sources))
    out.sources, out.targets = _whole_names(out.sources), _whole_names(out.targets)
    return out


def _whole_names(spans: list[Span]) -> list[Span]:
    """One span per name the parser broke into several heads ("Sheikh Hamad bin Khalifa
    al-Thani" as four subjects)."""
    out: list[Span] = []
    for span in spans:
        name = next((e for e in span.doc.ents if e.label_ == "PERSON" and e.start <= span.root.i
                     < e.end and not (e.start >= span.start and e.end <= span.end)), None)
        if name is not None and span.root.dep_ not in ("compound", "appos"):
            span = span.doc[min(span.start, name.start):max(span.end, name.end)]
        if not _overlaps(span, out):
            out.append(span)
    return out


def _verb_actors(verb: Token, trigger: Trigger, places: set[int]) -> tuple[list, list]:
    frame = Frame(trigger.type, trigger.key in MOVEMENT)
    targets = clause_targets(verb, frame, places, set(trigger.tokens))
    if trigger.noun is not None and trigger.noun is not verb:
        targets.extend(noun_targets(trigger.noun, frame, places))
    if not targets:
        targets = complement_targets(verb, places) or shared_targets(verb, frame, places)
    if not targets and frame.type == "THREATEN":
        targets = conditioned(verb)
    sources = _verb_sources(verb)
    if sources and trigger.noun is not None and trigger.noun is not verb:
        targets.extend(parties(trigger.noun))
    return [s for s in sources if actor_like(s)], [t for t in targets if actor_like(t)]


def _verb_sources(verb: Token) -> list[Token]:
    sources = [counted(_clause_subject(c)) for c in verb.children
               if c.dep_ in ("nsubj", "csubj")]
    sources = [t for s in sources for t in _behind_event(s)]
    sources += [counted(p) for c in verb.children if c.dep_ == "agent"
                for p in c.children if p.dep_ == "pobj"]
    if not sources:
        sources = _inherited_subject(verb)
    kept = [s for s in sources if s.lower_ not in RELATIVE]
    if not kept and verb.dep_ == "relcl":
        return _relative_head(verb)
    return kept or sources


def _behind_event(subject: Token) -> list[Token]:
    """ "US drone strikes killed ...", "an attack by the rebels killed ...": a subject that
    names a happening stands for those who made it happen."""
    if subject.pos_ != "NOUN" or (actor_like(subject) and lemma(subject) not in NOUNS):
        return [subject]
    frame = Frame(NOUNS.get(lemma(subject)), False)
    return [t for t in _noun_sources(subject, frame, set()) if actor_like(t)] or [subject]


def _clause_subject(subject: Token) -> Token:
    """A verb misparsed as the subject ("The Red Cross operating in Iraq said"): its own
    subject."""
    if subject.pos_ == "VERB":
        inner = [c for c in subject.children if c.dep_ == "nsubj"]
        if inner:
            return inner[0]
    return subject


def _noun_actors(trigger: Trigger, places: set[int]) -> tuple[list, list]:
    noun = trigger.noun if trigger.noun is not None else trigger.anchor
    frame = Frame(trigger.type, trigger.key in MOVEMENT)
    sources = _noun_sources(noun, frame, places) or _participant(noun) or _owner_of(noun)
    targets = noun_targets(noun, frame, places)
    return [s for s in sources if actor_like(s)], [t for t in targets if actor_like(t)]


def _noun_sources(noun: Token, frame: Frame, places: set[int]) -> list[Token]:
    """Who does what an event noun names: its possessor, a name before it ("Russian
    attacks", "US drone strikes"), its "by"/"between" phrase."""
    sources: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss" and child.lower_ not in POSSESSIVE_PRONOUNS:
            sources.append(child)
        elif child.dep_ in ("compound", "amod"):
            named = _named_modifier(child)
            if named is None or _same_entity(named, noun):
                continue  # "the Eastern Economic Forum" is a name, not its organisers
            if named.i not in places or not frame.moving:
                sources.append(named)
        elif child.dep_ == "prep" and _agent_prep(child.lower_, frame.type):
            sources.extend(objects(child))
    return sources


def _named_modifier(modifier: Token) -> Token | None:
    """The name in a modifier of a noun: "Russian", "UN", or the "US" of "US drone"."""
    for token in (modifier, *(c for c in modifier.children if c.dep_ == "compound")):
        if token.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or (
                token.pos_ == "PROPN" and acronym(token) and token.ent_type_ == ""):
            return token
    return None


def _agent_prep(word: str, category: str | None) -> bool:
    """ "an attack by", "talks between"; "of" is the agent unless the noun is done to it
    ("the release of prisoners")."""
    return word in ("by", "between", "among", "amongst") or (
        word == "of" and category not in TARGET_OF)


def _same_entity(a: Token, b: Token) -> bool:
    return any(e.start <= a.i < e.end and e.start <= b.i < e.end for e in a.doc.ents)


def _participant(noun: Token) -> list[Token]:
    """ "Kim is preparing for a meeting": the subject of the verb that takes part in it."""
    node = noun
    if node.dep_ == "pobj" and node.head.dep_ == "prep":
        node = node.head
    verb = node.head
    if node.dep_ in ("prep", "dobj", "xcomp") and verb.pos_ in ("VERB", "AUX") and (
            lemma(verb) in _PARTICIPANT_VERBS or node.lower_ == "for"):  # "came for talks"
        return _subject(verb)
    return []


def _owner_of(noun: Token) -> list[Token]:
    """ "the ILO reiterated its demand", "issued a declaration demanding": the subject of the
    verb whose object the noun is, when a possessive pronoun or the wording makes it theirs."""
    if noun.dep_ != "dobj" or noun.head.pos_ not in ("VERB", "AUX"):
        return []
    if not any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in noun.children):
        return []
    return _subject(noun.head)


def subject_of_verb(verb: Token) -> list[Token]:
    """A verb's subject, its own or the one it shares ("said and added", "plans to say")."""
    return _subject(verb)


def _subject(verb: Token) -> list[Token]:
    subjects = [counted(c) for c in verb.children if c.dep_ == "nsubj"]
    return subjects or _inherited_subject(verb)


def _inherited_subject(verb: Token, depth: int = 0) -> list[Token]:
    """The subject a verb shares with the one it depends on ("plans to visit", "met and
    agreed", "is willing to withdraw"); an object-control verb lends its object ("urged Kim
    to sell")."""
    if depth > 4 or verb.head.i == verb.i:
        return []
    head = verb.head
    if verb.dep_ == "xcomp" and head.dep_ == "acomp":  # "is prepared to lift"
        return _subject_of(head.head, depth, passive=True)
    if verb.dep_ in ("xcomp", "ccomp") and head.pos_ in ("VERB", "AUX"):
        objects = [c for c in head.children if c.dep_ in ("dobj", "dative")]
        if verb.dep_ == "xcomp" and objects and lemma(head) in _OBJECT_CONTROL:
            return objects[:1]
        ons = [p for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
               and c.i > head.i for p in c.children if p.dep_ == "pobj" and actor_like(p)]
        if verb.dep_ == "xcomp" and ons:  # "called on the DPRK to cease"
            return ons[:1]
        if verb.dep_ == "xcomp":
            return _subject_of(head, depth)
        return []
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):  # "was indicted and will resign"
        return _subject_of(head, depth, passive=True)
    if verb.dep_ == "advcl" and head.pos_ in ("VERB", "AUX"):
        return _subject_of(head, depth)
    if verb.dep_ == "acl":
        return _noun_clause_subject(verb, head)
    if verb.dep_ == "relcl":
        return _relative_head(verb)
    if verb.dep_ == "pcomp" and head.head.pos_ in ("VERB", "AUX"):
        return _subject_of(head.head, depth)
    return []


def _noun_clause_subject(verb: Token, noun: Token) -> list[Token]:
    """The subject of a clause on a noun: "rebels attacking the town" (the noun), "Iran's
    decision to withdraw" (its possessor), "issued a declaration demanding", "gathered for a
    rally to protest" (the subject of the verb the noun depends on)."""
    if _misparsed_predicate(verb, noun):
        return [_phrase_top(noun)]
    if verb.tag_ == "VBG" and actor_like(noun):
        return [noun]
    owners = [c for c in noun.children if c.dep_ == "poss" and c.lower_ not in
              POSSESSIVE_PRONOUNS]
    if owners:
        return owners
    if infinitive(verb) and actor_like(noun):  # "sent troops to protect"
        return [noun]
    if verb.tag_ == "VBG" or infinitive(verb):
        return _subject_of_governor(noun)
    return []


def _misparsed_predicate(verb: Token, noun: Token) -> bool:
    """A sentence's main verb parsed as a modifier of its subject: a finite form ("doctors
    from aid groups donated"), or any form when the subject is left as the sentence's root
    ("a newspaper called on Arabs to unite"), unless it has a passive's agent."""
    if verb.tag_ in ("VBD", "VBZ", "VBP"):
        return True
    return _phrase_top(noun).dep_ == "ROOT" and not any(c.dep_ == "agent"
                                                         for c in verb.children)


def _phrase_top(noun: Token) -> Token:
    """The head of the noun phrase a noun sits in: "doctors" for "groups" in "doctors from
    two aid groups"."""
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in (
            "NOUN", "PROPN"):
        noun = noun.head.head
    return noun


def _subject_of_governor(noun: Token) -> list[Token]:
    """The subject of the verb whose object the noun is, directly or through a preposition."""
    node = noun.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else noun
    if node.dep_ not in ("dobj", "prep") or node.head.pos_ not in ("VERB", "AUX"):
        return []
    return _subject(node.head)


def _subject_of(verb: Token, depth: int, passive: bool = False) -> list[Token]:
    deps = ("nsubj", "nsubjpass") if passive else ("nsubj",)
    found = [counted(c) for c in verb.children if c.dep_ in deps]
    return found or _inherited_subject(verb, depth + 1)


def _relative_head(verb: Token) -> list[Token]:
    if any(c.lower_ in ("where", "when") for c in verb.children):
        return []
    return [verb.head] if verb.head.pos_ in ("NOUN", "PROPN", "PRON") else []


def _unique(tokens: Iterable[Token]) -> list[Token]:
    seen: set[int] = set()
    return [t for t in tokens if not (t.i in seen or seen.add(t.i))]


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)
