"""Targets of a trigger, from the dependency parse (extraction.actors assembles sources and
targets).

The target is the passive subject, the object or the "with"/"against"/"to"/"on" phrase. A
place after "to" is a target unless the happening is a movement (its destination is its
location); one after "at" only for force ("fired at the town"; "met at the embassy" is a venue).
An object that names no actor leads to the one its phrases name ("took action against
Russia", "a suspension of links with Serbia", "rejected Iran's proposal"); a verb with no
object of its own takes its infinitive's ("threatened to attack the town"), a later conjoined
verb's ("donated and delivered goods to X") or, for a threat, its condition's subject
("unless Baghdad accepts"); what is demanded of someone has them as its subject ("urged that
Iran stop").
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Token

from extraction.actor_phrases import actor_like, authors, counted
from extraction.triggers import MOVEMENT, VERBS, lemma

TARGET_PREPS = {"with", "against", "to", "on", "toward", "towards", "into", "at", "upon"}
# Prepositions that lead from a thing to whom it concerns ("action against", "a ban on").
_OWNER_PREPS = TARGET_PREPS | {"of", "by", "from", "for"}
# Categories whose event noun's "of" is what is done to ("the release of prisoners").
TARGET_OF = {"COERCE", "ASSAULT", "SANCTION", "INVESTIGATE", "RETREAT", "FIGHT", "SUPPORT",
             "DISAPPROVE", "REJECT", "AID"}
# Force is aimed "at" a place ("fired at the town"); other happenings are held there.
_FORCE = {"FIGHT", "ASSAULT", "COERCE"}
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her", "our"}
RELATIVE = {"who", "which", "that", "whom"}


class Frame(NamedTuple):
    """What decides a clause's targets: its category and whether it is a movement."""

    type: str | None
    moving: bool


def shared_targets(verb: Token, frame: Frame, places: set[int]) -> list[Token]:
    """ "donated and delivered goods to the school": the object of a later conjoined verb
    that has no subject of its own."""
    found: list[Token] = []
    for conj in (c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"):
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
            found.extend(clause_targets(conj, frame, places, set()))
    return found


def clause_targets(verb: Token, frame: Frame, places: set[int], own: set[Token]
                   ) -> list[Token]:
    """The targets a verb's own arguments give: passive subject, objects, target phrases and,
    for a demand, the subject of what is demanded. `own`: the trigger's tokens (the noun of
    "impose sanctions" is no target)."""
    preps = TARGET_PREPS | ({"from", "of"} if frame.type == "RETREAT" else set())
    moved = frame.type == "RETREAT" and any(
        c.dep_ == "prep" and c.lower_ in ("from", "of") for c in verb.children)
    targets: list[Token] = []
    for child in verb.children:
        if child.dep_ == "dative" and child.pos_ == "ADP":  # "sent aid to Haiti"
            targets.extend(t for p in objects(child) if not _venue(child.lower_, p, frame, places)
                           for t in _argument(p, frame, places))
        elif child.dep_ == "nsubjpass":
            targets.append(counted(child))
        elif child.dep_ in ("dobj", "dative") and child not in own and not moved:
            if not (frame.moving and any(t.i in places for t in child.subtree)):
                targets.extend(_argument(child, frame, places))
        elif child.dep_ == "prep" and child in own:  # "called for the removal of X"
            targets.extend(t for p in objects(child) for t in _argument(p, frame, places))
        elif child.dep_ == "prep" and child.lower_ in preps:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                if not _venue(child.lower_, pobj, frame, places):
                    targets.extend(_argument(pobj, frame, places))
        elif child.dep_ == "ccomp" and frame.type == "DEMAND":
            targets.extend(_demanded_of(child))
    return targets


def _venue(prep: str, pobj: Token, frame: Frame, places: set[int]) -> bool:
    """Whether a place after a preposition is where the happening is rather than its target:
    a movement's destination ("flew to Paris"), a meeting's venue ("met at the embassy"); aid
    "to Haiti", fire "at the town" are aimed at it."""
    if pobj.i not in places:
        return False
    return (prep in ("to", "into") and frame.moving) or (prep == "at" and frame.type not in
                                                         _FORCE)


def _argument(token: Token, frame: Frame, places: set[int], depth: int = 0) -> list[Token]:
    """The actors an argument names: itself, or, for a thing ("action", "a suspension of
    links"), those its possessor and phrases name ("against Russia", "with Serbia")."""
    token = counted(token)
    found = authors(token)  # "rejected Iran's proposal", "the Indian offer"
    if found:
        return found
    if actor_like(token):
        return [token]
    if depth >= 2:
        return []
    found = [c for c in token.children if c.dep_ == "poss" and c.lower_ not in
             POSSESSIVE_PRONOUNS and actor_like(c)]
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in _OWNER_PREPS):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            if not _venue(prep.lower_, pobj, frame, places):
                found.extend(_argument(pobj, frame, places, depth + 1))
    return found


def _demanded_of(clause: Token) -> list[Token]:
    """ "demanded that Iran stop": the subject of the demanded clause."""
    return [counted(c) for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")
            and c.lower_ not in RELATIVE]


def complement_targets(verb: Token, places: set[int]) -> list[Token]:
    """The targets of an infinitive complement: "threatened to attack the town", "opened
    fire to disperse the crowd"."""
    found: list[Token] = []
    for child in verb.children:
        if not (child.dep_ == "xcomp" and child.tag_ == "VB" or (
                child.dep_ == "advcl" and infinitive(child))):
            continue
        for clause in (child, *child.conjuncts):
            word = lemma(clause)
            frame = Frame(VERBS.get(word), word in MOVEMENT)
            found.extend(clause_targets(clause, frame, places, set()))
    return found


def conditioned(verb: Token) -> list[Token]:
    """ "threatened to stop the talks if the US goes ahead", "unless Baghdad accepts": a
    threat is aimed at whoever must meet its condition."""
    clauses = [verb] + [c for c in verb.children if c.dep_ == "xcomp"]
    conditions = [a for c in clauses for a in c.children if a.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in a.children)]
    return [counted(s) for c in conditions for s in c.children if s.dep_ == "nsubj"]


def infinitive(verb: Token) -> bool:
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to"
                                     for c in verb.children)


def noun_targets(noun: Token, frame: Frame, places: set[int]) -> list[Token]:
    """An event noun's targets: its target phrases ("sanctions on Iran", "the suspension of
    links with Serbia") and, for a demand, the subject of what is demanded."""
    targets: list[Token] = []
    for child in (c for c in noun.children if c.dep_ == "prep"):
        word = child.lower_
        if word in TARGET_PREPS or (word == "of" and frame.type in TARGET_OF):
            for pobj in objects(child):
                if not _venue(word, pobj, frame, places):
                    targets.extend(_argument(pobj, frame, places))
    if frame.type == "DEMAND":
        clauses = [c for c in noun.children if c.dep_ in ("acl", "ccomp")]
        if noun.dep_ == "dobj":  # "reiterated its demand that Israel ease": on the verb
            clauses += [c for c in noun.head.children if c.dep_ == "ccomp" and any(
                m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        for clause in clauses:
            targets.extend(_demanded_of(clause))
    return targets


def parties(noun: Token) -> list[Token]:
    """ "Norway hosted talks between Israel and Jordan": those the subject brings together."""
    holders = [noun] + ([noun.head] if noun.dep_ == "compound" else [])
    return [p for h in holders for c in h.children if c.dep_ == "prep"
            and c.lower_ in ("between", "among", "amongst") for p in objects(c)]


def objects(prep: Token) -> list[Token]:
    pobjs = [c for c in prep.children if c.dep_ == "pobj"]
    return pobjs + [c for p in pobjs for c in p.conjuncts]
