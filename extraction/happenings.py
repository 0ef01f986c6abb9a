"""Events from sentences: trigger, type, status, actors, location, date, title, confidence.

`extract_events` reads one parsed story sentence (the pipeline calls it for each, never for
boilerplate); `document_events` gathers a finished Document's events, and `process_with_events`
is Pipeline.process_many that also yields each document's events.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from spacy.tokens import Span, Token

from extraction.actor_keys import ActorNormaliser
from extraction.actors import ActorSpans, actor_spans
from extraction.chunks import CHUNK
from extraction.date_scope import clause_head, date_scope
from extraction.dates_calendar import weekday_near
from extraction.dates_grammar import WEEKDAYS
from extraction.event_location import choose_location, place_tokens, verb_of
from extraction.speech_acts import find_speech_acts, speech_act_spans
from extraction.status import PLANNED, status_of
from extraction.titles import make_title
from extraction.triggers import Trigger, find_triggers, lemma
from store.models import ActorRef, DateMention, Document, ExtractedEvent, Mention

if TYPE_CHECKING:  # the pipeline may call this module: no import cycle at run time
    from extraction.pipeline import Pipeline
    from extraction.reading import RawArticle
    from geo.outlets import OutletHomes

log = logging.getLogger(__name__)


def extract_events(
    sentence: Span, mentions: list[Mention], dates: list[DateMention], offset: int,
    normaliser: ActorNormaliser | None = None, published: dt.date | None = None,
) -> list[ExtractedEvent]:
    """The happenings a story sentence reports. `mentions`, `dates`: the sentence's place and
    date mentions (document offsets); `offset` maps the Doc's characters to document offsets;
    `normaliser` links actors to the workspace's (None: actors keep no key beyond their text);
    `published`: the article's publication date, if known."""
    doc = sentence.doc
    places = place_tokens(sentence, mentions, offset)
    date_scopes = _date_scopes(sentence, dates, offset)
    events = []
    triggers = find_triggers(sentence)
    for trigger in triggers + find_speech_acts(sentence, triggers):
        spans = _actor_spans(trigger, set(places))
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
        date = _when(status, trigger, _governing(trigger, date_scopes), published)
        event = ExtractedEvent(
            trigger=doc[trigger.tokens[0].i:trigger.tokens[-1].i + 1].text,  # not doc.text
            start=trigger.start_char + offset, end=trigger.end_char + offset,
            type=trigger.type, status=status, sources=sources, targets=targets, place=place,
            location_inferred=inferred, date=date,
            passage_start=sentence.start_char + offset, passage_end=sentence.end_char + offset,
        )
        events.append(_titled(trigger, event))
        events += _conjoined(trigger, event, venues, date_scopes)
    return events


def _when(status: str, trigger: Trigger, scope: DateScope | None, published: dt.date | None
          ) -> DateMention | None:
    """A plan's date as it happens. A bare weekday is read as the latest one on or before
    publication ("said Monday"); in the plan's own clause it is the next one ("will visit on
    Friday"). A date of the clause that tells the plan ("said on Monday he will visit"), or any
    other date that ends before publication, is when the plan was told, not when it happens:
    the event is undated."""
    found = None if scope is None else scope.date
    if status != PLANNED or found is None or published is None:
        return found
    try:
        end = dt.date.fromisoformat(found.range.end[:10])
    except ValueError:
        return found
    if end >= published:
        return found
    weekday = WEEKDAYS.get(found.text.strip().casefold())
    if weekday is None or scope.head != _clause_of(trigger).i:
        return None
    day = weekday_near(published, weekday, "next").isoformat()
    return replace(found, range=replace(found.range, start=day, end=day))


def _titled(trigger: Trigger, event: ExtractedEvent) -> ExtractedEvent:
    """The event with the title and confidence its parts give."""
    event.title = make_title(trigger, event, _phrase(trigger))
    event.confidence = _confidence(trigger, event)
    return event


def _conjoined(trigger: Trigger, event: ExtractedEvent, venues: dict[int, Mention],
               date_scopes: list[DateScope]) -> list[ExtractedEvent]:
    """ "Shoigu visited Pyongyang in July and Moscow on August 3": one happening per conjoined
    place, each dated by the nearest date that governs that place."""
    if event.place is None or event.location_inferred:
        return []
    doc = trigger.anchor.doc
    out, seen = [], {event.place.place}
    for i, other in sorted(venues.items()):
        token = doc[i]
        if token.dep_ != "conj" or other.place in seen or verb_of(token).i != trigger.anchor.i:
            continue
        seen.add(other.place)
        date = _governing_at(token.i, token.idx, date_scopes) or event.date
        out.append(_titled(trigger, replace(event, place=other, date=date)))
    return out


def document_events(document: Document) -> list[ExtractedEvent]:
    """The events of a finished document's story sentences, in text order (the pipeline
    extracts them as it builds the passages)."""
    return [e for p in document.passages if not p.boilerplate for e in p.events]


def process_with_events(
    pipeline: Pipeline, articles: Sequence[RawArticle], homes: OutletHomes | None = None,
    chunk: int = CHUNK, normaliser: ActorNormaliser | None = None,
) -> Iterator[tuple[Document, list[ExtractedEvent]]]:
    """Pipeline.process_many, each document with its events. `normaliser` replaces the
    pipeline's, to link actors against another set of known ones."""
    if normaliser is not None:
        pipeline.normaliser = normaliser
    for document in pipeline.process_many(articles, homes, chunk):
        yield document, document_events(document)


# -- actors, dates, confidence -----------------------------------------------------------------


def _actor_spans(trigger: Trigger, places: set[int]) -> ActorSpans:
    if trigger.content is not None:
        return speech_act_spans(trigger, places)
    return actor_spans(trigger, places)


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


class DateScope(NamedTuple):
    """A date expression, the token range [lo, hi) it governs, and its Doc characters."""

    date: DateMention
    lo: int
    hi: int
    first: int
    last: int
    head: int  # the verb of the date's own clause (extraction.date_scope.clause_head)


def _date_scopes(sentence: Span, dates: list[DateMention], offset: int) -> list[DateScope]:
    scopes = []
    for dm in dates:
        span = sentence.doc.char_span(dm.start - offset, dm.end - offset,
                                      alignment_mode="expand")
        if span is not None:
            scopes.append(DateScope(dm, *date_scope(span), span.start_char, span.end_char,
                                    clause_head(span.root).i))
    return scopes


def _governing(trigger: Trigger, scopes: list[DateScope]) -> DateScope | None:
    """The date expression whose scope holds the trigger (extraction.date_scope): one of the
    trigger's own clause before one of another ("said on Monday he will visit on Friday"),
    then the nearest."""
    lo_t, hi_t = trigger.tokens[0].i, trigger.tokens[-1].i + 1
    start, own = trigger.start_char, _clause_of(trigger).i
    found = [((s.head != own, min(abs(start - s.last), abs(s.first - start))), s)
             for s in scopes if s.lo <= lo_t and hi_t <= s.hi]
    best = min(found, key=lambda pair: pair[0], default=None)
    return None if best is None else best[1]


def _clause_of(trigger: Trigger) -> Token:
    return clause_head(trigger.anchor)


def _governing_at(i: int, char: int, scopes: list[DateScope]) -> DateMention | None:
    """The nearest date expression after token `i` (at Doc character `char`) whose scope
    holds it: a place's own date follows it ("Pyongyang in July and Moscow on August 3")."""
    return _nearest((s.first - char, s) for s in scopes if s.lo <= i < s.hi and s.last > char)


def _nearest(found: Iterable[tuple[int, DateScope]]) -> DateMention | None:
    """The date of the smallest distance (the first of equals), or None."""
    best = min(found, key=lambda pair: pair[0], default=None)
    return None if best is None else best[1].date


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
