"""Records that cross layers. Each is defined here, in the lowest layer that needs it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Place:
    """A resolved point on the map: a gazetteer entry, a curated facility or an analyst's place."""

    name: str
    kind: str  # country, region, city, facility, airport, continent, ...
    lat: float
    lon: float
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    source: str = "geonames"  # geonames, curated, airports, analyst, online
    source_id: str = ""
    precision_km: float = 1.0
    population: int = 0
    approximate: bool = False  # True when standing in for a place the gazetteer lacks

    @property
    def key(self) -> str:
        return f"{self.source}:{self.source_id}"


@dataclass(frozen=True)
class DateRange:
    """An ISO date range; start == end for a single day."""

    start: str
    end: str
    precision: str  # day, month, year, range (multi-day span), part (early/mid/late), week

    def overlaps(self, other: DateRange) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class DateMention:
    start: int  # character offsets into the document text
    end: int
    text: str
    range: DateRange


@dataclass
class Mention:
    """A place named in a passage, resolved (or not) to a Place."""

    start: int  # character offsets into the document text
    end: int
    text: str
    place: Place | None = None
    confidence: float = 0.0
    candidates: list[str] = field(default_factory=list)  # keys of the candidates considered
    note: str = ""  # how it was resolved, e.g. "contained in Vladivostok"
    adjective: bool = False  # "Russian" troops: refers to the place, is no event there


STATUSES = ("reported", "planned", "hypothetical", "denied")
CATEGORIES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE",
    "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
    "ASSAULT", "FIGHT",
)


@dataclass(frozen=True)
class ActorRef:
    """An actor as the text names it, linked to one normalised actor of the workspace."""

    text: str  # as written ("Russian President Vladimir Putin", "the Kremlin")
    start: int  # character offsets into the document text
    end: int
    actor: str  # the normalised key: "person:vladimir putin", "state:RU", "org:...", "group:..."
    name: str  # the actor's display name ("Vladimir Putin", "Russia")
    kind: str  # person, state, organisation, group


@dataclass(frozen=True)
class KnownActor:
    """A normalised actor of the workspace with the names it was written as."""

    key: str
    name: str
    kind: str
    names: tuple[str, ...] = ()


@dataclass
class ExtractedEvent:
    """One happening a sentence reports (or plans, supposes, denies)."""

    trigger: str  # the verb or event noun as written ("met", "hold talks", "trip")
    start: int  # the trigger's character offsets into the document text
    end: int
    type: str | None  # a PLOVER category, or None (a forum, a satellite launch)
    status: str  # one of STATUSES
    sources: list[ActorRef] = field(default_factory=list)
    targets: list[ActorRef] = field(default_factory=list)
    place: Mention | None = None  # the location, one of the sentence's resolved mentions
    location_inferred: bool = False  # True when the syntax does not tie the place to it
    date: DateMention | None = None  # the date expression that governs the trigger
    title: str = ""
    confidence: float = 0.0
    passage_start: int = 0  # the sentence (passage) the event was read from
    passage_end: int = 0

    @property
    def actors(self) -> list[tuple[ActorRef, str]]:
        return [(a, "source") for a in self.sources] + [(a, "target") for a in self.targets]


@dataclass
class Passage:
    start: int
    end: int
    text: str
    boilerplate: bool = False
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[ExtractedEvent] = field(default_factory=list)  # happenings it reports


@dataclass
class Document:
    text: str
    path: str = ""
    title: str = ""
    outlet: str | None = None
    published: str | None = None  # ISO date
    published_source: str = "unknown"  # manifest, text, html, user, file time
    sha256: str = ""
    passages: list[Passage] = field(default_factory=list)
    encoding: str = "utf-8"  # how the file's bytes were decoded
    replaced_bytes: int = 0  # bytes that were not valid in that encoding and were replaced


@dataclass(frozen=True)
class EventSource:
    document_id: int
    title: str
    outlet: str | None
    published: str | None
    passage_id: int
    passage: str
    passage_start: int
    mention_start: int | None  # offsets into the passage text (None: the source has no place)
    mention_end: int | None
    date_start: int | None = None  # offsets of the date expression in the passage text
    date_end: int | None = None
    mention_id: int | None = None  # the mention the event was placed by (for corrections)
    reason: str = ""  # why the mention resolved to this place (the resolver's note)
    published_source: str = "unknown"  # "file time": the publication date is a guess
    trigger_start: int | None = None  # offsets of the trigger in the passage text
    trigger_end: int | None = None
    trigger: str = ""
    status: str = "reported"  # what this passage says of it
    actors: tuple[SourceActor, ...] = ()  # the actors as this passage writes them
    path: str = ""  # the article's file path or URL, as ingested
    sha256: str = ""  # the article text's digest (what a stable event id rests on)

    @property
    def guessed_date(self) -> bool:
        """The article's publication date is its file's time: a guess, not a fact."""
        return self.published_source == "file time"


@dataclass(frozen=True)
class SourceActor:
    """An actor as one source passage names it (offsets into the passage text)."""

    actor_id: int
    role: str  # source, target
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EventActor:
    """A normalised actor of an event."""

    id: int
    name: str
    kind: str  # person, state, organisation, group
    role: str  # source, target


@dataclass(frozen=True)
class EventRecord:
    """An event as the map and the exports see it."""

    id: int
    place_id: int | None  # None: the text gives no place; the event stays off the map
    place: str
    kind: str
    lat: float
    lon: float
    country: str | None
    precision_km: float
    approximate: bool
    date_start: str | None
    date_end: str | None
    date_text: str | None
    date_precision: str | None
    reported: str | None
    source_count: int
    sources: tuple[EventSource, ...] = ()
    type: str | None = None  # a PLOVER category, or None
    status: str = "reported"  # one of STATUSES
    title: str = ""
    trigger: str = ""
    confidence: float = 0.0
    location: str = "given"  # given (by the syntax), inferred (from context), none
    actors: tuple[EventActor, ...] = ()
    document_count: int = 0  # distinct articles among the sources
    guessed_dates: bool = False  # every source's article has a guessed publication date
    outlet_count: int = 0  # distinct outlets among the sources
    place_ref: str = ""  # the gazetteer's id for the place ("geonames:524901"), "" when none
    admin1: str | None = None  # the place's first-level region code (GeoNames admin1)
    outlets: tuple[str, ...] = ()  # the distinct outlets among the sources, by name

    @property
    def uid(self) -> str:
        """An id that stays the same in any workspace built from the same articles: it rests on
        the text's digest and the trigger's offset of the event's first source, not on the
        order articles were ingested in."""
        keys = [f"{s.sha256}:{s.passage_start + (s.trigger_start or 0)}"
                for s in self.sources if s.sha256]
        if not keys:
            return ""
        return "em-" + hashlib.sha1(min(keys).encode()).hexdigest()[:16]

    @property
    def located(self) -> bool:
        return self.place_id is not None

    @property
    def on_timeline(self) -> bool:
        """Dated by its text against a publication date that is no guess: a time filter
        places it (the others are kept or dropped with the undated ones)."""
        return self.date_start is not None and not self.guessed_dates


_EVENT_FIELDS = tuple(f.name for f in fields(EventRecord))


def event_record(values: tuple) -> EventRecord:
    """The EventRecord of these field values, in field order: the record EventRecord(*values)
    makes, in a third of the time. A frozen dataclass's __init__ sets each of its 29 fields
    through object.__setattr__; reading 100,000 events for the window spent most of its
    Python time there (bench/map_workspace.py). The record stays frozen."""
    record = object.__new__(EventRecord)
    record.__dict__.update(zip(_EVENT_FIELDS, values, strict=True))
    return record
