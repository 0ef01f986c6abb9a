"""Everything the window shows of a workspace when it opens, read in one go (no Qt), so that a
large workspace can be read off the GUI thread while the map page loads (desktop.workers).

The map comes first: the events' rows are read, encoded for the map page and handed over
(`on_map`) before their records are built (and before that, the payload the last read of the
same workspace in the same state left, desktop.map_cache), so that the page draws them (in its
own process) while this thread builds the records, the filters' counts and the documents list.
The documents are read on a second connection meanwhile: SQLite works without holding Python's
lock.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from desktop.map_cache import cached_payload, keep_payload, workspace_stamp
from desktop.map_payload import encode_rows
from store.event_facets import (
    EventIndex,
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
    index: EventIndex | None = None  # where each event is, by id and kind (the facets' index)


def read_workspace(path: str | Path, on_map: Callable[[bytes], None] | None = None
                   ) -> WorkspaceData:
    """Read what the window shows of the workspace at `path` (which must exist), the map's
    payload and the filters' counts included; `on_map(payload)` is called as soon as the map's
    payload is ready, before the rest is read: first with the payload kept from the last read
    in the same state, if any, then with the one read now if it differs."""
    with paused_collector(), Workspace.open_existing(path) as ws:
        stamp = workspace_stamp(path)
        kept = cached_payload(path, stamp)
        if kept is not None and on_map is not None:
            on_map(kept)  # the map as the last read left it, while the events are read again
        rows = ws.located_event_rows()
        payload = encode_rows(rows)
        if payload == kept:
            payload = kept  # the very bytes on the map: the window does not send them again
        else:
            if on_map is not None:
                on_map(payload)
            keep_payload(path, stamp, payload)
        with ThreadPoolExecutor(max_workers=1) as pool:
            documents = pool.submit(_read_documents, Path(path))
            events = ws.events_of_rows(rows)
            del rows
            counts = ws.counts()
            choices = {name: count(events) for name, count in CHOICES.items()}
            index = EventIndex.of(events)  # here, not on the GUI thread at the first facet
            docs, places = documents.result()
    # The records live until the next read: the collector is told to leave them (and all else
    # alive now) alone from here on (gc.freeze), rather than walk them in the collection the
    # pause put off. Any thread's collection holds the GIL, and the window stood still while it
    # ran: 0.29 s after a first read, 0.68-0.86 s after a re-read (the records before were still
    # held). They are freed by their reference counts as ever; only cycles already garbage now
    # would stay (none of ours: records, rows and lists hold no cycles).
    gc.freeze()
    return WorkspaceData(Path(path), events, docs, counts, places, payload, choices, index)


@contextmanager
def paused_collector() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: reading 100,000 events' rows and records (none
    of them in a cycle) made the collector walk the whole heap again and again (in the window:
    four 50-70 ms collections before the map's payload was ready, 316 ms after the records)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_documents(path: Path) -> tuple[list[DocumentSummary], list[NamedPlace]]:
    with Workspace.open_existing(path) as ws:
        return ws.documents(), ws.places_without_events()
