"""Records of extracted events that the store will save: who did what, where, when, and whether
it happened. Defined here, in the lowest layer that needs them (extraction makes them, the
store keeps them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from store.models import DateMention, Mention

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
