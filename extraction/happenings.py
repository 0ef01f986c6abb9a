"""Events from sentences: trigger, type, status, actors, location, date, title, confidence.

`extract_events` reads one parsed story sentence (the pipeline calls it for each, never for
boilerplate); `document_events` gathers a finished Document's events, and `process_with_events`
is Pipeline.process_many that also yields each document's events.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from extraction.actor_keys import ActorNormaliser
from extraction.actors import actor_spans
from extraction.date_scope import date_scope
from extraction.status import PLANNED, status_of
from extraction.titles import make_title
from extraction.triggers import MOVEMENT, Trigger, find_triggers, lemma, words
from store.models import ActorRef, DateMention, Document, ExtractedEvent, Mention

if TYPE_CHECKING:  # the pipeline may call this module: no import cycle at run time
    from extraction.pipeline import Pipeline
    from extraction.reading import RawArticle
    from geo.outlets import OutletHomes

log = logging.getLogger(__name__)

_VENUE_PREPS = words("in at near inside outside aboard over across within")
_DESTINATION_PREPS = words("to into toward towards for")
_SPECIFIC = {"country": 4, "continent": 5, "region": 3, "county": 3}  # others (cities...) 0-1


def extract_events(
    sentence: Span, mentions: list[Mention], dates: list[DateMention], offset: int,
    normaliser: ActorNormaliser | None = None,
) -> list[ExtractedEvent]:
    """The happenings a story sentence reports. `mentions`, `dates`: the sentence's place and
    date mentions (document offsets); `offset` maps the Doc's characters to document offsets;
    `normaliser` links actors to the workspace's (None: actors keep no key beyond their text)."""
    doc = sentence.doc
    places = _place_tokens(sentence, mentions, offset)
    date_scopes = _date_scopes(sentence, dates, offset)
    events = []
    for trigger in find_triggers(sentence):
        spans = actor_spans(trigger, set(places))
        if _not_ruled_out(trigger):
            continue
        sources = _refs(spans.sources, offset, normaliser, "source")
        targets = [t for t in _refs(spans.targets, offset, normaliser, "target")
                   if t.actor not in {s.actor for s in sources}]
        taken = [(a.start - offset, a.end - offset) for a in sources + targets]
        venues = {i: m for i, m in places.items()
                  if not any(lo <= doc[i].idx < hi for lo, hi in taken)}
        place, inferred = choose_location(trigger, venues)
        status = status_of(trigger)
        date = _governing(trigger, date_scopes)
        event = ExtractedEvent(
            trigger=doc.text[trigger.start_char:trigger.end_char],
            start=trigger.start_char + offset, end=trigger.end_char + offset,
            type=trigger.type, status=status, sources=sources, targets=targets, place=place,
            location_inferred=inferred, date=date,
            passage_start=sentence.start_char + offset, passage_end=sentence.end_char + offset,
        )
        event.title = make_title(trigger, event, _phrase(trigger))
        event.confidence = _confidence(trigger, event)
        events.append(event)
        events += _conjoined(trigger, event, venues, date_scopes)
    return events


def _conjoined(trigger: Trigger, event: ExtractedEvent, venues: dict[int, Mention],
               date_scopes) -> list[ExtractedEvent]:
    """ "Shoigu visited Pyongyang in July and Moscow on August 3": one happening per conjoined
    place, each dated by the nearest date that governs that place."""
    if event.place is None or event.location_inferred:
        return []
    tokens = [i for i, m in venues.items() if m is event.place]
    if not tokens:
        return []
    doc = trigger.anchor.doc
    out, seen = [], {event.place.place}
    for i, other in sorted(venues.items()):
        token = doc[i]
        if token.dep_ != "conj" or other.place in seen or _verb_of(token).i != trigger.anchor.i:
            continue
        seen.add(other.place)
        date = _governing_at(token.i, token.idx, date_scopes) or event.date
        twin = replace(event, place=other, date=date)
        twin.title = make_title(trigger, twin, _phrase(trigger))
        twin.confidence = _confidence(trigger, twin)
        out.append(twin)
    return out


def document_events(document: Document) -> list[ExtractedEvent]:
    """The events of a finished document's story sentences, in text order (the pipeline
    extracts them as it builds the passages)."""
    return [e for p in document.passages if not p.boilerplate for e in p.events]


def process_with_events(
    pipeline: Pipeline, articles: Sequence[RawArticle], homes: OutletHomes | None = None,
    chunk: int = 100, normaliser: ActorNormaliser | None = None,
) -> Iterator[tuple[Document, list[ExtractedEvent]]]:
    """Pipeline.process_many, each document with its events. `normaliser` replaces the
    pipeline's, to link actors against another set of known ones."""
    if normaliser is not None:
        pipeline.normaliser = normaliser
    for document in pipeline.process_many(articles, homes, chunk):
        yield document, document_events(document)


# -- location -----------------------------------------------------------------------------------


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


def _verb_of(token: Token) -> Token:
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


def _place_tokens(sentence: Span, mentions: list[Mention], offset: int) -> dict[int, Mention]:
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


# -- actors, dates, confidence -----------------------------------------------------------------


def _not_ruled_out(trigger: Trigger) -> bool:
    """ "not ruled out" reports a possibility (the status of what is not ruled out), no
    rejection."""
    anchor = trigger.anchor
    return lemma(anchor) == "rule" and any(c.dep_ == "neg" for c in anchor.children)


def _refs(spans: list[Span], offset: int, normaliser: ActorNormaliser | None, role: str
          ) -> list[ActorRef]:
    refs, seen = [], set()
    for span in spans:
        resolved = normaliser.resolve(span, role) if normaliser is not None else None
        if normaliser is not None and resolved is None:
            continue
        key = resolved.key if resolved else f"text:{span.text.lower()}"
        if key in seen:
            continue
        seen.add(key)
        refs.append(ActorRef(
            text=span.text, start=span.start_char + offset, end=span.end_char + offset,
            actor=key, name=resolved.name if resolved else span.text,
            kind=resolved.kind if resolved else "unknown",
        ))
    return refs


def _date_scopes(sentence: Span, dates: list[DateMention], offset: int):
    scopes = []
    for dm in dates:
        span = sentence.doc.char_span(dm.start - offset, dm.end - offset,
                                      alignment_mode="expand")
        if span is not None:
            scopes.append((dm, date_scope(span), span.start_char, span.end_char))
    return scopes


def _governing(trigger: Trigger, scopes) -> DateMention | None:
    """The nearest date expression whose scope holds the trigger (extraction.date_scope)."""
    best, best_distance = None, None
    lo_t, hi_t = trigger.tokens[0].i, trigger.tokens[-1].i + 1
    for dm, (lo, hi), first, last in scopes:
        if not (lo <= lo_t and hi_t <= hi):
            continue
        start = trigger.start_char
        distance = min(abs(start - last), abs(first - start))
        if best_distance is None or distance < best_distance:
            best, best_distance = dm, distance
    return best


def _governing_at(i: int, char: int, scopes) -> DateMention | None:
    """The nearest date expression after token `i` (at Doc character `char`) whose scope
    holds it: a place's own date follows it ("Pyongyang in July and Moscow on August 3")."""
    best, best_distance = None, None
    for dm, (lo, hi), first, last in scopes:
        if not lo <= i < hi or last <= char:
            continue
        distance = first - char
        if best_distance is None or distance < best_distance:
            best, best_distance = dm, distance
    return best


def _phrase(trigger: Trigger) -> str:
    """The event noun's name for untyped happenings: "the Eastern Economic Forum"."""
    noun = trigger.noun
    if noun is None:
        return ""
    keep = [noun] + [c for c in noun.children if c.dep_ in ("compound", "amod")
                     and c.ent_type_ != "DATE"]
    keep += [g for c in keep[1:] for g in c.subtree if g.dep_ == "compound"]
    lo, hi = min(t.i for t in keep), max(t.i for t in keep) + 1
    return noun.doc[lo:hi].text


def _confidence(trigger: Trigger, event: ExtractedEvent) -> float:
    """A plain score from what was found, not a calibrated probability."""
    score = 0.4
    score += 0.2 if event.type is not None else 0.0
    score += 0.15 if event.sources else 0.0
    score += 0.1 if event.place is not None and not event.location_inferred else 0.0
    score += 0.05 if event.targets else 0.0
    score -= 0.1 if event.location_inferred else 0.0
    score -= 0.05 if event.status == PLANNED and not event.sources else 0.0
    score += 0.05 if not trigger.is_noun else 0.0
    return round(max(0.05, min(score, 0.95)), 2)


def event_json(event: ExtractedEvent, file: str) -> dict:
    """The `eventmap events` line of an event (offsets are the trigger's)."""
    place = event.place.place if event.place is not None else None

    def actors(refs: list[ActorRef]) -> list[dict]:
        return [{"text": a.text, "start": a.start, "end": a.end, "actor": a.actor} for a in refs]

    return {
        "file": file, "start": event.start, "end": event.end, "trigger": event.trigger,
        "type": event.type, "status": event.status, "sources": actors(event.sources),
        "targets": actors(event.targets),
        "place": None if place is None else {"name": place.name, "lat": place.lat,
                                             "lon": place.lon, "kind": place.kind},
        "date_start": event.date.range.start if event.date else None,
        "date_end": event.date.range.end if event.date else None,
        "title": event.title, "confidence": event.confidence,
    }
