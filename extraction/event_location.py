"""Where a happening is: the place its sentence gives it, chosen by the syntax.

"met in Vladivostok", "Shoigu's trip to Pyongyang", "the cosmodrome where Putin and Lukashenko
met", "one of Kim's stops ... is the Vostochny Cosmodrome", "the Forum, which is held in
Vladivostok"; and, marked inferred, where those attending it are ("leaders are on the campus
of the university to attend the Forum") or a place under "in"/"at" in the trigger's clause.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from extraction.triggers import MOVEMENT, Trigger, lemma, words
from store.models import Mention

_VENUE_PREPS = words("in at near inside outside aboard over across within")
_DESTINATION_PREPS = words("to into toward towards for")
_SPECIFIC = {"country": 4, "continent": 5, "region": 3, "county": 3}  # others (cities...) 0-1


def choose_location(trigger: Trigger, places: dict[int, Mention]) -> tuple[Mention | None, bool]:
    """The place where the trigger's happening is, by the syntax: (mention, inferred).

    `places`: token index -> the resolved mention there, without those used as actors.
    """
    if not places:
        return None, False
    anchor, noun = trigger.anchor, trigger.noun
    heads = [t for t in (anchor, noun) if t is not None]
    if trigger.is_noun and anchor.dep_ in ("nsubj", "nsubjpass"):
        heads.append(anchor.head)  # "the meeting took place in Vladivostok"
    moving = trigger.key in MOVEMENT
    for head in heads:
        found = _venues_of(head, places, moving, trigger.is_noun)
        if found:
            return _most_specific(found), False
    where = _relative_place(anchor, places)
    if where is not None:
        return where, False
    if trigger.is_noun:
        stop = _copular_place(anchor, places)
        if stop is not None:
            return stop, False
    event_noun = noun if noun is not None else anchor if trigger.is_noun else None
    if event_noun is not None:
        # "the Forum, which has been held in Vladivostok", "a summit hosted in Delhi"
        for clause in (c for c in event_noun.children if c.dep_ in ("relcl", "acl")):
            found = _venues_of(clause, places, False, False)
            if found:
                return _most_specific(found), False
        # "both leaders are on the campus of the university to participate in the Forum":
        # where those who attend it are
        for verb in _attending(event_noun):
            found = _venues_of(verb, places, False, False)
            if found:
                return _most_specific(found), True
    clause = anchor if not trigger.is_noun else anchor.head
    for token in clause.subtree:
        if token.dep_ == "prep" and token.lower_ in ("in", "at") and _first_verb(token) in (
                clause, anchor):
            under = _places_under(token, places)
            if under:
                return _most_specific(under), True
    return None, False


def _venues_of(head: Token, places: dict[int, Mention], moving: bool, is_noun: bool
               ) -> list[Mention]:
    """The places a head's own dependents give as where it happens (or, moving, where to)."""
    found: list[Mention] = []
    for child in head.children:
        if child.dep_ == "prep" and (child.lower_ in _VENUE_PREPS or (
                moving and child.lower_ in _DESTINATION_PREPS)):
            found += _places_under(child, places)
        elif child.dep_ == "prep" and child.lower_ == "on":
            # "on the campus of the university", "on the sidelines of the summit in Delhi";
            # not "sanctions on Russia", whose place is the object itself
            found += [m for m in _places_under(child, places)
                      if not any(c.i in places and places[c.i] is m for c in child.children)]
        elif moving and child.dep_ in ("dobj", "pobj", "compound") and child.i in places:
            found.append(places[child.i])
        elif moving and child.dep_ == "dobj":  # "visit Berth 33 (Russian naval base)"
            found += [places[t.i] for t in child.subtree
                      if t.i in places and t.dep_ not in ("amod", "poss")][:1]
        elif child.dep_ == "compound" and child.i in places and is_noun:
            found.append(places[child.i])
    return found


def _attending(noun: Token) -> list[Token]:
    """The verbs of taking part in an event noun: "participate in" or "attend" it, and the
    clause that says why someone is somewhere ("are in X to attend the Forum")."""
    node = noun.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else noun
    if node.dep_ not in ("dobj", "prep") or node.head.pos_ not in ("VERB", "AUX"):
        return []
    verb = node.head
    verbs = [verb]
    if verb.dep_ in ("advcl", "xcomp") and verb.head.i != verb.i:
        verbs.append(verb.head)
    return verbs


def _places_under(prep: Token, places: dict[int, Mention]) -> list[Mention]:
    pobjs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    out = []
    for pobj in pobjs:
        if pobj.i in places:
            out.append(places[pobj.i])
            continue
        # "the city of Vladivostok", "the campus of the university in Vladivostok"
        for token in pobj.subtree:
            if token.i in places and token.dep_ not in ("amod", "poss"):
                out.append(places[token.i])
                break
    return out


def _relative_place(verb: Token, places: dict[int, Mention]) -> Mention | None:
    """ "the space launch center where Putin and Lukashenko met": the noun the clause says."""
    if verb.dep_ != "relcl" or not any(t.lower_ == "where" for t in verb.subtree
                                       if t.i < verb.i):  # "where from the 25th they met"
        return None
    node = verb.head
    for _ in range(3):
        if node.i in places:
            return places[node.i]
        if node.dep_ != "appos" or node.head.i == node.i:
            break
        node = node.head
    return None


def _copular_place(noun: Token, places: dict[int, Mention]) -> Mention | None:
    """ "one of Kim's potential stops ... is the Vostochny Cosmodrome"."""
    node = noun
    for _ in range(3):
        if node.dep_ in ("pobj", "prep") and node.head.i != node.i:
            node = node.head
    candidates = [node, node.head] + list(node.children)
    for verb in candidates:
        if lemma(verb) != "be" and verb.lower_ not in ("is", "was", "are", "were"):
            continue
        for attr in verb.children:
            if attr.dep_ in ("attr", "acomp") and attr.i in places:
                return places[attr.i]
    return None


def verb_of(token: Token) -> Token:
    """The nearest verb above a token (the parser may hang "and Moscow" on a date)."""
    node = token.head
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node


def _first_verb(token: Token) -> Token:
    node = token.head
    while node.pos_ not in ("VERB", "AUX", "NOUN") and node.head.i != node.i:
        node = node.head
    return node


def _most_specific(found: list[Mention]) -> Mention:
    def rank(m: Mention) -> int:
        return _SPECIFIC.get(m.place.kind, 0) if m.place is not None else 9
    return min(found, key=rank)


def place_tokens(sentence: Span, mentions: list[Mention], offset: int) -> dict[int, Mention]:
    doc = sentence.doc
    out = {}
    for m in mentions:
        if m.place is None or m.adjective:
            continue
        span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            out[token.i] = m
    return out
