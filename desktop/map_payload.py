"""The events as the desktop map page reads them: binary columns, not JSON.

One ``bytes``: a 4-byte little-endian length, a UTF-8 JSON head (the number of events, the
string lists the codes index, and where each column lies), then the columns, each a typed array
starting at a multiple of 8 bytes. The page fetches it from the app's URL scheme as an
ArrayBuffer and views each column in place (``fromBinary`` in resources/web/eventmap.js): for
100,000 events there is nothing to parse but the head, and no object per event until one is
drawn. Dates are numbers, 2023-09-10 -> 20230910 (the page compares them as such).
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Sequence
from operator import attrgetter, itemgetter

from geo.mapping import AREA_KINDS, reported_label
from store.event_families import family_of
from store.event_queries import ROW
from store.models import STATUSES, EventRecord

# name -> (array typecode, the page's type); typecodes of fixed size on every platform we run
COLUMNS = {
    "id": ("d", "f8"), "lat": ("d", "f8"), "lon": ("d", "f8"), "place": ("i", "i4"),
    "count": ("i", "i4"), "docs": ("i", "i4"), "start": ("i", "i4"), "end": ("i", "i4"),
    "reported": ("i", "i4"), "km": ("f", "f4"), "akm": ("f", "f4"), "family": ("B", "u1"),
    "status": ("B", "u1"), "title": ("i", "i4"), "area": ("B", "u1"), "cc": ("i", "i4"),
}


def day_key(iso: str | None) -> int:
    """"2023-09-10" -> 20230910, "2023-09" -> 20230900; 0 for none (or what is no date)."""
    if not iso:
        return 0
    digits = iso.replace("-", "")
    return int((digits + "00000000")[:8]) if digits.isdigit() and len(digits) <= 8 else 0


def day_text(key: int) -> str:
    """The inverse of day_key, as the page writes it (eventmap.js ``dayText``)."""
    year, month, day = key // 10000, key // 100 % 100, key % 100
    return f"{year:04d}" + (f"-{month:02d}" + (f"-{day:02d}" if day else "") if month else "")


def _writes_back(key: int, iso: str | None) -> bool:
    """Whether the page writes this date back from its number as it is (full ISO dates do)."""
    return not iso or (len(iso) == 10 and key % 100 > 0 and key // 100 % 100 > 0) or \
        day_text(key) == iso


def _codes(values: list[str | None]) -> tuple[list[int], list[str]]:
    """Each value as its index in the list of distinct values (-1 for none)."""
    table: dict[str, int] = {}
    return [table.setdefault(v, len(table)) if v else -1 for v in values], list(table)


# What the page reads of an event, in this order: EventRecord's fields (or event_rows' columns)
MAP_FIELDS = ("id", "lat", "lon", "place", "kind", "country", "precision_km", "approximate",
              "date_start", "date_end", "reported", "guessed_dates", "source_count",
              "document_count", "type", "status", "title")
_OF_RECORD = attrgetter(*MAP_FIELDS)
_OF_ROW = itemgetter(*(ROW[name] for name in MAP_FIELDS))


def encode_events(events: Sequence[EventRecord]) -> bytes:
    """The events as the page's binary columns (see the module docstring)."""
    return _encode([_OF_RECORD(e) for e in events])


def encode_rows(rows: Sequence[tuple]) -> bytes:
    """The events of store.event_queries.event_rows' rows, as encode_events encodes their
    records: the map of a large workspace is sent before its records are built."""
    return _encode([_OF_ROW(r) for r in rows])


def _encode(events: list[tuple]) -> bytes:
    """Each event's MAP_FIELDS, as binary columns."""
    n = len(events)
    (ids, lats, lons, place_names, kinds, country_codes, precisions, approximate, date_starts,
     date_ends, reported_on, guessed, source_counts, document_counts, types, status_names,
     title_list) = (list(c) for c in zip(*events, strict=True)) if n else ([] for _ in MAP_FIELDS)
    areas = [k in AREA_KINDS for k in kinds]
    dated = [s is not None and not g for s, g in zip(date_starts, guessed, strict=True)]
    starts = [s if d else None for s, d in zip(date_starts, dated, strict=True)]
    ends = [e if d and e != s else None
            for s, e, d in zip(date_starts, date_ends, dated, strict=True)]
    keys: dict[str | None, int] = {}  # a few thousand distinct dates
    start_keys = [keys[s] if s in keys else keys.setdefault(s, day_key(s)) for s in starts]
    end_keys = [keys[s] if s in keys else keys.setdefault(s, day_key(s)) for s in ends]
    exact_dates = all(_writes_back(k, s) for s, k in keys.items())
    family_keys = {t: family_of(t).key for t in set(types)}
    families, family_list = _codes([family_keys[t] for t in types])
    places, place_list = _codes([p or " " for p in place_names])
    titles = [i if t else -1 for i, t in enumerate(title_list)]  # nearly all distinct
    reported, reported_list = _codes([None if d else reported_label(r, bool(g))
                                      for r, g, d in zip(reported_on, guessed, dated,
                                                         strict=True)])
    countries, country_list = _codes([c if a and k == "country" else None
                                      for c, a, k in zip(country_codes, areas, kinds,
                                                         strict=True)])
    statuses = {s: i for i, s in enumerate(STATUSES)}
    values: dict[str, list] = {
        "id": ids, "lat": lats, "lon": lons, "place": places,
        "count": source_counts, "docs": document_counts,
        "start": start_keys, "end": end_keys, "reported": reported,
        "km": [k if a else 0.0 for k, a in zip(precisions, approximate, strict=True)],
        "akm": [k if a else 0.0 for k, a in zip(precisions, areas, strict=True)],
        "family": families, "status": [statuses.get(s, 0) for s in status_names],
        "title": titles, "area": [1 if a else 0 for a in areas], "cc": countries,
    }
    cols = {name: array(code, values[name]) for name, (code, _t) in COLUMNS.items()}
    head: dict = {
        "n": n, "places": place_list, "titles": title_list,
        "reported": reported_list, "families": family_list, "statuses": list(STATUSES),
        "cc": country_list, "columns": {},
    }
    if not exact_dates:  # dates the numbers do not write back the same: sent as text too
        head["startText"], head["endText"] = starts, ends
    body = bytearray()
    for name, (_typecode, page_type) in COLUMNS.items():
        column = cols[name]
        if sys.byteorder != "little":
            column.byteswap()
        body += bytes(-len(body) % 8)
        head["columns"][name] = [page_type, len(body)]  # from the body's start
        body += column.tobytes()
    raw = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    padding = bytes(-(4 + len(raw)) % 8)  # the body starts at a multiple of 8
    return len(raw).to_bytes(4, "little") + raw + padding + bytes(body)
