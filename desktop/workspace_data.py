"""Everything the window shows of a workspace when it opens, read in one go (no Qt), so that a
large workspace can be read off the GUI thread while the map page loads (desktop.workers).

The events and the documents are read at the same time, each on its own connection: SQLite
works without holding Python's lock, so the two reads overlap.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from desktop.map_payload import encode_events
from store.event_facets import (
    actor_counts,
    category_counts,
    family_counts,
    outlet_counts,
    status_counts,
)
from store.mention_queries import NamedPlace
from store.models import EventRecord
from store.workspace import Counts, DocumentSummary, Workspace

# The counts beside the filters' choices, by the name Session keeps them under.
CHOICES = {"actors": actor_counts, "outlets": outlet_counts, "families": family_counts,
           "categories": category_counts, "statuses": status_counts}


@dataclass(frozen=True)
class WorkspaceData:
    path: Path
    events: list[EventRecord]  # every located event, without passages
    documents: list[DocumentSummary]
    counts: Counts
    places: list[NamedPlace]  # places named where no event is
    map_payload: bytes = b""  # the events as the map page reads them (desktop.map_payload)
    choices: dict[str, object] = field(default_factory=dict)  # CHOICES over every event


def read_workspace(path: str | Path) -> WorkspaceData:
    """Read what the window shows of the workspace at `path` (which must exist), the map's
    payload and the filters' counts included."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        documents = pool.submit(_read_documents, Path(path))
        with Workspace.open_existing(path) as ws:
            events = ws.events(with_sources=False)
            counts = ws.counts()
        payload = encode_events(events)
        choices = {name: count(events) for name, count in CHOICES.items()}
        docs, places = documents.result()
    return WorkspaceData(Path(path), events, docs, counts, places, payload, choices)


def _read_documents(path: Path) -> tuple[list[DocumentSummary], list[NamedPlace]]:
    with Workspace.open_existing(path) as ws:
        return ws.documents(), ws.places_without_events()
