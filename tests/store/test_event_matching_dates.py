"""Event matching reads the events near a report's dates only (store.event_matching.near_events):
every event the date rule could accept, through ranges of the version 3 indexes."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from store import schema
from store.event_matching import Report, _Candidate, _date_relation, near_events, near_filter
from store.models import DateRange

FIRST = date(2023, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: (FIRST + timedelta(n)).isoformat())
ranges = st.tuples(days, st.integers(min_value=0, max_value=120)).map(
    lambda t: (t[0], (date.fromisoformat(t[0]) + timedelta(t[1])).isoformat()))
reported = st.one_of(st.none(), days)
candidates = st.tuples(st.one_of(st.none(), ranges), reported)


def events_table(rows: list[tuple]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, date_start, date_end, reported, "
                 "type DEFAULT 'MEET', status DEFAULT 'reported')")
    conn.executemany("INSERT INTO events (id, date_start, date_end, reported) "
                     "VALUES (?, ?, ?, ?)", rows)
    conn.execute("INSERT INTO events (date_start, date_end, type) "
                 "VALUES ('2023-09-12', '2023-09-12', 'FIGHT')")  # another kind: never near
    return conn


def near(conn: sqlite3.Connection, report: Report) -> set[int]:
    """The events near the report, found both ways matching finds them (they must agree)."""
    sql, args = near_events(report)
    found = {i for (i,) in conn.execute(sql, args)}
    where, args = near_filter(report)
    assert found == {i for (i,) in conn.execute(f"SELECT e.id FROM events e WHERE {where}",
                                                args)}
    return found


def report_of(rng: tuple[str, str] | None, published: str | None) -> Report:
    return Report(place_id=1, type="MEET", trigger="meet", status="reported",
                  date=DateRange(*rng, "range") if rng else None, reported=published,
                  actor_ids=frozenset())


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), ranges), reported, st.lists(candidates, min_size=1, max_size=12))
def test_the_prefilter_keeps_every_event_the_rule_accepts(rng, published, events) -> None:
    report = report_of(rng, published)
    conn = events_table([(i, *(when or (None, None)), pub) for i, (when, pub) in enumerate(events)])
    kept = near(conn, report)
    for i, (when, pub) in enumerate(events):
        cand = _Candidate(i, 1, *(when or (None, None)), pub)
        if _date_relation(report, cand) is not None:
            assert i in kept, (report, cand)


def test_the_prefilter_leaves_out_events_of_other_months() -> None:
    report = report_of(("2023-09-10", "2023-09-13"), "2023-09-05")
    conn = events_table([
        (1, "2023-09-12", "2023-09-12", "2023-09-01"),  # overlaps
        (2, "2021-03-01", "2021-03-01", "2021-02-20"),  # years before
        (3, None, None, "2023-08-20"),  # undated, reported within weeks
        (4, None, None, "2022-01-05"),  # undated, reported long before
    ])
    assert near(conn, report) == {1, 3}
    report = report_of(None, "2023-09-05")  # undated: by its publication date
    assert near(conn, report) == {1, 3}


def test_the_matching_indexes_answer_it() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.isolation_level = None
    schema.migrate(conn)
    for rng, published in ((("2023-09-10", "2023-09-13"), "2023-09-05"), (None, "2023-09-05")):
        sql, args = near_events(report_of(rng, published))
        plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args))
        assert "SCAN" not in plan and "events_kind_" in plan, plan
