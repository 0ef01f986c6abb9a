"""Records that cross layers. Each is defined here, in the lowest layer that needs it."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class Passage:
    start: int
    end: int
    text: str
    boilerplate: bool = False
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[EventDraft] = field(default_factory=list)


@dataclass(frozen=True)
class EventDraft:
    """A place in a passage with the date that governs it (None when undated)."""

    mention: Mention
    date: DateMention | None


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
    mention_start: int  # offsets into the passage text
    mention_end: int
    date_start: int | None = None  # offsets of the date expression in the passage text
    date_end: int | None = None
    mention_id: int | None = None  # the mention the event was placed by (for corrections)
    reason: str = ""  # why the mention resolved to this place (the resolver's note)


@dataclass(frozen=True)
class EventRecord:
    """An event as the map and the exports see it."""

    id: int
    place_id: int
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
