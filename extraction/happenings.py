"""Events from sentences: trigger, type, status, actors, location, date, title, confidence.

`extract_events` reads one parsed story sentence; `document_events` runs it over the story
sentences of a finished Document (never its boilerplate), and `process_with_events` is
Pipeline.process_many that also yields each document's events, so that callers need not keep
the spaCy Docs themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from extraction.actor_keys import ActorNormaliser
from extraction.actors import actor_spans
from extraction.events import _scope
from extraction.status import PLANNED, status_of
from extraction.titles import make_title
from extraction.triggers import MOVEMENT, Trigger, find_triggers, lemma, words
from store.event_models import ActorRef, ExtractedEvent
from store.models import DateMention, Document, Mention

if TYPE_CHECKING:  # the pipeline may call this module: no import cycle at run time
    from extraction.pipeline import Analysis, Pipeline
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
    return events


def document_events(document: Document, analysis: Analysis,
                    normaliser: ActorNormaliser | None = None) -> list[ExtractedEvent]:
    """Events of every story sentence of a finished document (the analysis: its spaCy Docs)."""
    if normaliser is not None:
        normaliser.start_document()
    by_start = {p.start: p for p in document.passages if not p.boilerplate}
    events: list[ExtractedEvent] = []
    for para in analysis.paragraphs:
        if para.boilerplate:
            continue
        doc = analysis.docs[id(para)]
        for sent in doc.sents:
            passage = by_start.get(para.start + sent.start_char)
            if passage is None:
                continue
            events.extend(extract_events(sent, passage.mentions, passage.dates, para.start,
                                         normaliser))
    return events


def process_with_events(
    pipeline: Pipeline, articles: Sequence[RawArticle], homes: OutletHomes | None = None,
    chunk: int = 100, normaliser: ActorNormaliser | None = None,
) -> Iterator[tuple[Document, list[ExtractedEvent]]]:
    """Pipeline.process_many, each document with its events."""
    if normaliser is None:
        normaliser = ActorNormaliser(pipeline.gazetteer)
    for analysis, document in pipeline.analysed_many(articles, homes, chunk):
        yield document, document_events(document, analysis, normaliser)


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
    found: list[Mention] = []
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and (child.lower_ in _VENUE_PREPS or (
                    moving and child.lower_ in _DESTINATION_PREPS)):
                found += _places_under(child, places)
            elif moving and child.dep_ in ("dobj", "pobj", "compound") and child.i in places:
                found.append(places[child.i])
            elif moving and child.dep_ == "dobj":  # "visit Berth 33 (Russian naval base)"
                found += [places[t.i] for t in child.subtree
                          if t.i in places and t.dep_ not in ("amod", "poss")][:1]
            elif child.dep_ == "compound" and child.i in places and trigger.is_noun:
                found.append(places[child.i])
        if found:
            return _most_specific(found), False
    where = _relative_place(anchor, places)
    if where is not None:
        return where, False
    if trigger.is_noun:
        stop = _copular_place(anchor, places)
        if stop is not None:
            return stop, False
    clause = anchor if not trigger.is_noun else anchor.head
    for token in clause.subtree:
        if token.dep_ == "prep" and token.lower_ in ("in", "at") and _first_verb(token) in (
                clause, anchor):
            under = _places_under(token, places)
            if under:
                return _most_specific(under), True
    return None, False


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
    if verb.dep_ != "relcl" or not any(c.lower_ == "where" for c in verb.children):
        return None
    node = verb.head
    for _ in range(3):
        if node.i in places:
            return places[node.i]
        if node.dep_ != "appos" or node.head is node:
            break
        node = node.head
    return None


def _copular_place(noun: Token, places: dict[int, Mention]) -> Mention | None:
    """ "one of Kim's potential stops ... is the Vostochny Cosmodrome"."""
    node = noun
    for _ in range(3):
        if node.dep_ in ("pobj", "prep") and node.head is not node:
            node = node.head
    candidates = [node, node.head] + list(node.children)
    for verb in candidates:
        if lemma(verb) != "be" and verb.lower_ not in ("is", "was", "are", "were"):
            continue
        for attr in verb.children:
            if attr.dep_ in ("attr", "acomp") and attr.i in places:
                return places[attr.i]
    return None


def _first_verb(token: Token) -> Token:
    node = token.head
    while node.pos_ not in ("VERB", "AUX", "NOUN") and node.head is not node:
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
            scopes.append((dm, _scope(span)))
    return scopes


def _governing(trigger: Trigger, scopes) -> DateMention | None:
    """The nearest date expression whose scope holds the trigger (extraction.events' rule)."""
    best, best_distance = None, None
    lo_t, hi_t = trigger.tokens[0].i, trigger.tokens[-1].i + 1
    for dm, (lo, hi) in scopes:
        if not (lo <= lo_t and hi_t <= hi):
            continue
        start = trigger.start_char
        distance = min(abs(start - dm.end), abs(dm.start - start))
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
