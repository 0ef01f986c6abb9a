"""Schema version 3: indexes that keep an ingest's cost from growing with the workspace.

A new report is compared with the stored events of its own kind and status near its dates
(store.event_matching): these indexes find them by a range of dates, not by reading every
event of that kind.
"""

from __future__ import annotations

V3 = """
CREATE INDEX events_kind_start ON events(type, status, date_start, reported);
CREATE INDEX events_kind_end ON events(type, status, date_end);
"""
