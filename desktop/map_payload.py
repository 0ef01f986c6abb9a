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

from geo.mapping import _reported, is_area
from store.event_families import family_of
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


def encode_events(events: Sequence[EventRecord]) -> bytes:
    """The events as the page's binary columns (see the module docstring)."""
    areas = [is_area(e) for e in events]
    dated = [e.on_timeline for e in events]
    starts = [e.date_start if d else None for e, d in zip(events, dated, strict=True)]
    ends = [e.date_end if d and e.date_end != e.date_start else None
            for e, d in zip(events, dated, strict=True)]
    keys: dict[str | None, int] = {}  # a few thousand distinct dates
    start_keys = [keys[s] if s in keys else keys.setdefault(s, day_key(s)) for s in starts]
    end_keys = [keys[s] if s in keys else keys.setdefault(s, day_key(s)) for s in ends]
    exact_dates = all(_writes_back(k, s) for s, k in keys.items())
    family_keys: dict[str | None, str] = {}
    for e in events:
        if e.type not in family_keys:
            family_keys[e.type] = family_of(e.type).key
    families, family_list = _codes([family_keys[e.type] for e in events])
    places, place_list = _codes([e.place or " " for e in events])
    title_list = [e.title for e in events]  # nearly all distinct: listed as they come
    titles = [i if t else -1 for i, t in enumerate(title_list)]
    reported, reported_list = _codes([None if d else _reported(e)
                                      for e, d in zip(events, dated, strict=True)])
    countries, country_list = _codes([e.country if a and e.kind == "country" else None
                                      for e, a in zip(events, areas, strict=True)])
    statuses = {s: i for i, s in enumerate(STATUSES)}
    values: dict[str, list] = {
        "id": [e.id for e in events], "lat": [e.lat for e in events],
        "lon": [e.lon for e in events], "place": places,
        "count": [e.source_count for e in events], "docs": [e.document_count for e in events],
        "start": start_keys, "end": end_keys, "reported": reported,
        "km": [e.precision_km if e.approximate else 0.0 for e in events],
        "akm": [e.precision_km if a else 0.0 for e, a in zip(events, areas, strict=True)],
        "family": families, "status": [statuses.get(e.status, 0) for e in events],
        "title": titles, "area": [1 if a else 0 for a in areas], "cc": countries,
    }
    cols = {name: array(code, values[name]) for name, (code, _t) in COLUMNS.items()}
    head: dict = {
        "n": len(events), "places": place_list, "titles": title_list,
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
