"""Which stored event a new report is another report of.

One event, many reports: a report joins an event of the same kind (PLOVER type, or the trigger
when untyped) and the same status when their places, dates and actors are compatible:

- places: the same place; or one inside the other ("Russia" and "Vladivostok", a region and a
  city in it); or one side without a place. Unless the place is the same, both must name
  actors and share one: "Kim to visit Russia" joins "Kim and Putin to meet in Vladivostok",
  but a placeless "talks" joins nothing;
- dates: overlapping ranges, unless one spans more than MERGE_MAX_SPAN_DAYS and they differ
  ("since 2015" must not swallow "September 10-13"); an undated side joins when its reports
  were published within UNDATED_NEAR_DAYS of the other's range (or of its publication);
- actors: where both name people, a person on each side that the other lacks means two
  happenings ("Putin meets Xi" is not "Putin meets Kim").

Among compatible events the report takes the closest match: one with an actor in common, then
the same place before a containing one, both dated before one undated, then the most actors
shared, then the oldest.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from store.models import DateRange

MERGE_MAX_SPAN_DAYS = 92
UNDATED_NEAR_DAYS = 45

COUNT_CAP = 5000  # matching counts the events at a place or of actors up to this many

# ranks of how well two places agree
SAME_PLACE, NESTED_PLACE, OPEN_PLACE = 2, 1, 0


@dataclass(frozen=True)
class Report:
    """What matching needs to know of one report (a source draft)."""

    place_id: int | None
    type: str | None
    trigger: str
    status: str
    date: DateRange | None
    reported: str | None  # the document's publication date
    actor_ids: frozenset[int]


@dataclass(frozen=True)
class _PlaceRow:
    kind: str
    country: str | None
    admin1: str | None


@dataclass(frozen=True)
class _Candidate:
    id: int
    place_id: int | None
    start: str | None
    end: str | None
    reported: str | None


def find_event(conn: sqlite3.Connection, report: Report, *, exact_place: bool = False
               ) -> int | None:
    """The stored event this report is another report of, or None. With `exact_place` (an
    analyst's correction says where the report is) only events at that very place qualify."""
    candidates = _candidates(conn, report)
    if exact_place:
        candidates = [c for c in candidates if c.place_id == report.place_id]
    if not candidates:
        return None
    actors = _actors_of(conn, [c.id for c in candidates])
    kinds = _actor_kinds(conn, set(report.actor_ids).union(*actors.values()))
    places = _places(conn, {report.place_id, *(c.place_id for c in candidates)})
    best: tuple[tuple, int] | None = None
    for cand in candidates:
        rank = _rank(report, cand, actors.get(cand.id, set()), kinds, places)
        if rank is not None and (best is None or rank > best[0]):
            best = (rank, cand.id)
    return best[1] if best else None


def _candidates(conn: sqlite3.Connection, report: Report) -> list[_Candidate]:
    """Events of the same kind and status near the report's dates (near_events), at the
    report's place or sharing one of its actors.

    Read from the smaller side: the events near in time (a busy week of the story) or those at
    the place and of the actors (a place or a person named for years), counted first through
    their indexes alone, and only as far as telling which is smaller; the other side filters.
    """
    ids = sorted(report.actor_ids)
    # A placeless report joins only through a shared actor (_rank): the workspace's many
    # placeless events are no candidates of their own.
    if report.place_id is None and not ids:
        return []
    kind_sql, kind_args = _kind_clause(report)
    near_sql, near_args = near_events(report)
    marks = ", ".join("?" * len(ids))
    direct = ([("SELECT id FROM events WHERE place_id = ?", [report.place_id])]
              if report.place_id is not None else [])
    if ids:
        direct.append((f"SELECT event_id FROM event_actors WHERE actor_id IN ({marks})", ids))
    direct_sql = " UNION ".join(sql for sql, _ in direct)
    direct_args = [a for _, args in direct for a in args]
    # Only which side is smaller matters: each count stops once it has told that.
    direct_count = sum(conn.execute(f"SELECT count(*) FROM ({sql} LIMIT ?)",
                                    [*args, COUNT_CAP]).fetchone()[0] for sql, args in direct)
    near_count = conn.execute(f"SELECT count(*) FROM ({near_sql} LIMIT ?)",
                              [*near_args, direct_count + 1]).fetchone()[0]
    if direct_count < near_count:
        near_where, near_where_args = near_filter(report)
        sql = (f"WITH direct(id) AS MATERIALIZED ({direct_sql}) "
               "SELECT e.id, e.place_id, e.date_start, e.date_end, e.reported "
               "FROM direct CROSS JOIN events e ON e.id = direct.id "
               f"WHERE {kind_sql} AND {near_where} ORDER BY e.id")
        args = [*direct_args, *kind_args, *near_where_args]
    else:  # each event near in time asked whether it is at the place or shares an actor
        shared = (f"EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.id AND "
                  f"ea.actor_id IN ({marks}))")
        at_place = ["e.place_id = ?"] if report.place_id is not None else []
        where = " OR ".join(at_place + ([shared] if ids else []))
        sql = (f"WITH near(id) AS MATERIALIZED ({near_sql}) "
               "SELECT e.id, e.place_id, e.date_start, e.date_end, e.reported "
               "FROM near CROSS JOIN events e ON e.id = near.id "
               f"WHERE {kind_sql} AND ({where}) ORDER BY e.id")
        args = [*near_args, *kind_args, *direct_args]
    return [_Candidate(*row) for row in conn.execute(sql, args).fetchall()]


def _kind_clause(report: Report) -> tuple[str, list]:
    if report.type:
        return "e.type = ?", [report.type]
    # untyped: the same event word ("attend the Eastern Economic Forum" is the "Forum")
    head = head_word(report.trigger)
    pattern = "% " + head.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return ("e.type IS NULL AND (e.trigger = ? OR e.trigger LIKE ? ESCAPE '\\')",
            [head, pattern])


def near_branches(report: Report) -> list[tuple[str, list]]:
    """The conditions on an event's dates (columns prefixed "{t}") under which _date_relation
    could accept it, each a range of an index of schema version 3 once the type and status are
    fixed: a report is compared with the events of its own weeks, so that its cost does not
    grow with the years a workspace holds.

    An event's dates are both set or both null (refresh_event), and its publication date is an
    ISO day or null (the manifest, the command line and the reader check it).
    """
    reach = timedelta(days=UNDATED_NEAR_DAYS)
    unknown = ("{t}date_start IS NULL AND {t}reported IS NULL", [])
    first = _day(report.date.start) if report.date else None
    last = _day(report.date.end) if report.date else None
    if report.date is not None and first is not None and last is not None:
        # dated: overlapping, and starting at most the longest mergeable span before
        earliest = (first - timedelta(days=MERGE_MAX_SPAN_DAYS)).isoformat()
        dated = ("{t}date_start >= ? AND {t}date_start <= ? AND {t}date_end >= ?",
                 [earliest, report.date.end, report.date.start])
        lo, hi = first - reach, last + reach
    elif report.date is not None:
        return [("1", [])]  # unreadable dates: all of them
    else:
        day = _day(report.reported)
        if day is None:  # a dated event is never near an unknown day
            return [("{t}date_start IS NULL", [])]
        lo, hi = day - reach, day + reach
        dated = ("{t}date_end >= ? AND {t}date_start <= ?", [lo.isoformat(), hi.isoformat()])
    undated = ("{t}date_start IS NULL AND {t}reported >= ? AND {t}reported < ?",
               [lo.isoformat(), (hi + timedelta(days=1)).isoformat()])
    return [dated, undated, unknown]


def near_events(report: Report) -> tuple[str, list]:
    """A SELECT of the ids of the events of the report's type and status near its dates
    (near_branches), one index range a branch."""
    parts, args = [], []
    for condition, values in near_branches(report):
        parts.append("SELECT id FROM events WHERE type IS ? AND status = ? AND "
                     + condition.format(t=""))
        args += [report.type, report.status, *values]
    return " UNION ALL ".join(parts), args


def near_filter(report: Report) -> tuple[str, list]:
    """near_events as a condition on `events e`, for events already found another way."""
    branches = near_branches(report)
    either = " OR ".join(f"({condition.format(t='e.')})" for condition, _ in branches)
    return (f"(e.type IS ? AND e.status = ? AND ({either}))",
            [report.type, report.status, *(v for _, values in branches for v in values)])


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def head_word(trigger: str) -> str:
    """The last word of a trigger, casefolded: its event noun or verb."""
    words = trigger.casefold().split()
    return words[-1] if words else ""


def _rank(report: Report, cand: _Candidate, cand_actors: set[int], kinds: dict[int, str],
          places: dict[int, _PlaceRow]) -> tuple | None:
    place = place_relation(places.get(report.place_id), places.get(cand.place_id),
                           report.place_id == cand.place_id)
    if place is None:
        return None
    shared = report.actor_ids & cand_actors
    both_named = bool(report.actor_ids) and bool(cand_actors)
    if (place != SAME_PLACE or both_named) and not shared:
        return None
    if _people_differ(report.actor_ids, cand_actors, kinds):
        return None
    dates = _date_relation(report, cand)
    if dates is None:
        return None
    return bool(shared), place, dates, len(shared), -cand.id


def place_relation(a: _PlaceRow | None, b: _PlaceRow | None, same: bool) -> int | None:
    """How two places agree: SAME_PLACE, NESTED_PLACE (one contains the other), OPEN_PLACE
    (a side has none: two placeless reports agree only through their actors), or None when
    they are different places."""
    if a is None or b is None:
        return OPEN_PLACE
    if same:
        return SAME_PLACE
    return NESTED_PLACE if _contains(a, b) or _contains(b, a) else None


def _contains(outer: _PlaceRow, inner: _PlaceRow) -> bool:
    if not outer.country or outer.country != inner.country:
        return False
    if outer.kind == "country":
        return inner.kind != "country"
    return (outer.kind == "region" and inner.kind != "region"
            and bool(outer.admin1) and outer.admin1 == inner.admin1)


def _people_differ(a: frozenset[int] | set[int], b: set[int], kinds: dict[int, str]) -> bool:
    """Each side names a person the other does not: two different meetings."""
    only_a = {i for i in a - b if kinds.get(i) == "person"}
    only_b = {i for i in b - a if kinds.get(i) == "person"}
    return bool(only_a and only_b)


def _date_relation(report: Report, cand: _Candidate) -> int | None:
    """2 when both are dated and agree, 1 when a side is undated but published near, else None."""
    rng = report.date
    if rng is not None and cand.start is not None and cand.end is not None:
        if not (cand.start <= rng.end and rng.start <= cand.end):
            return None
        same = (cand.start, cand.end) == (rng.start, rng.end)
        longest = max(span_days(cand.start, cand.end), span_days(rng.start, rng.end))
        return 2 if same or longest <= MERGE_MAX_SPAN_DAYS else None
    if rng is not None:
        return 1 if near(rng.start, rng.end, cand.reported, unknown=True) else None
    if cand.start is not None:
        return 1 if near(cand.start, cand.end, report.reported) else None
    return 1 if near(cand.reported, cand.reported, report.reported, unknown=True) else None


def near(start: str | None, end: str | None, day: str | None, *, unknown: bool = False) -> bool:
    """Whether `day` falls within UNDATED_NEAR_DAYS of the range; `unknown` when a date is
    missing or unreadable."""
    when, lo, hi = _day(day), _day(start), _day(end)
    if when is None or lo is None or hi is None:
        return unknown
    gap = 0 if lo <= when <= hi else min(abs((when - lo).days), abs((when - hi).days))
    return gap <= UNDATED_NEAR_DAYS


def span_days(start: str, end: str) -> int:
    return (date.fromisoformat(end) - date.fromisoformat(start)).days + 1


def _actors_of(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for chunk in _chunks(event_ids):
        rows = conn.execute(
            "SELECT event_id, actor_id FROM event_actors WHERE event_id IN "
            f"({', '.join('?' * len(chunk))})", chunk).fetchall()
        for event_id, actor_id in rows:
            found.setdefault(event_id, set()).add(actor_id)
    return found


def _actor_kinds(conn: sqlite3.Connection, actor_ids: set[int]) -> dict[int, str]:
    kinds: dict[int, str] = {}
    for chunk in _chunks(sorted(actor_ids)):
        kinds.update(conn.execute(
            f"SELECT id, kind FROM actors WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk).fetchall())
    return kinds


def _places(conn: sqlite3.Connection, place_ids: set[int | None]) -> dict[int, _PlaceRow]:
    ids = sorted(i for i in place_ids if i is not None)
    rows: dict[int, _PlaceRow] = {}
    for chunk in _chunks(ids):
        for pid, kind, country, admin1 in conn.execute(
                "SELECT id, kind, country, admin1 FROM places WHERE id IN "
                f"({', '.join('?' * len(chunk))})", chunk):
            rows[pid] = _PlaceRow(kind, country, admin1)
    return rows


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
