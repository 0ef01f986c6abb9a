"""How fast the workspace answers the window's queries on a large workspace.

    .venv/bin/python -m bench.queries [--passages 1000000] [--db PATH] [--reuse] [--repeat 7]

Builds (or, with --reuse, reopens) a real workspace through the store's own write path
(store.document_writer.write_document, what Workspace.add_document calls, many documents per
transaction): synthetic documents of ten passages, words drawn from a Zipf-distributed vocabulary
of 30,000 made-up words (so a rare word hits a few hundred passages, a common one tens of
thousands), place mentions, dates, and one or two events per document with a PLOVER type, a
status, one or two of 5,000 actors and a date over six years (some reported twice: the store
merges those). Then times, each --repeat times (median and max, wall time from the library call
to its result):
- full text (target 50 ms): Workspace.search_passages for a rare word, a common word, two
  words (ANDed) and a partial word, and what the search box runs (desktop.session.search_hits:
  full text plus place names starting with the words);
- events (target 20 ms): Workspace.events for a one-month window, one actor, one PLOVER
  type and one family, without sources (as the window reads them); each against a reference in
  the same run: the same events' rows and actors read by id as bare tuples;
- the same through the window (target 20 ms): its Session reads every event once (the time is
  printed), then a month, an actor, a type and a family filter the records in memory
  (desktop.session: Session.set_filter / set_facets, then shown_events), each call a new value.
Prints the figures against the targets and the file size; writes bench/results/queries-<UTC>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from bench.result_files import write_results
from store.document_writer import write_document
from store.event_facets import EventFacets
from store.event_families import FAMILIES
from store.models import (
    CATEGORIES,
    ActorRef,
    DateMention,
    DateRange,
    Document,
    ExtractedEvent,
    Mention,
    Passage,
    Place,
)
from store.workspace import Workspace

SEARCH_MS, EVENTS_MS = 50.0, 20.0
VOCABULARY, PLACES, ACTORS, OUTLETS = 30_000, 3_000, 5_000, 50
PASSAGES_PER_DOCUMENT, WORDS_PER_PASSAGE = 10, 20
FIRST_DAY, DAYS = date(2019, 1, 1), 6 * 365
BATCH = 500  # documents per transaction
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
TRIGGERS = {c: c.lower() + "ed" for c in CATEGORIES}


def made_up_words(rng: random.Random, n: int, syllables: tuple[int, int] = (2, 4)) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < n:
        words["".join(rng.choices(SYLLABLES, k=rng.randint(*syllables)))] = None
    return list(words)


class Corpus:
    """Deterministic synthetic documents (see the module docstring)."""

    def __init__(self, seed: int):
        rng = self.rng = random.Random(seed)
        self.vocabulary = made_up_words(rng, VOCABULARY)
        self.cum = list(accumulate(1 / (r + 1) for r in range(VOCABULARY)))
        known = set(self.vocabulary)
        names = [w.capitalize() for w in made_up_words(rng, 2 * PLACES + 2 * ACTORS, (3, 4))
                 if w not in known]
        self.places = [
            Place(name=(f"{n} Port" if i % 10 == 0 else n), kind="city" if i % 20 else "country",
                  lat=rng.uniform(-60, 70), lon=rng.uniform(-180, 180),
                  country=f"{SYLLABLES[i % 40].upper()}", source="geonames",
                  source_id=str(900_000 + i), population=rng.randrange(10_000, 5_000_000))
            for i, n in enumerate(names[:PLACES])]
        people = names[PLACES:]
        self.actors = [(f"{people[2 * i]} {people[2 * i + 1]}", "person") for i in range(ACTORS)]
        self.actor_cum = list(accumulate(1 / (r + 10) for r in range(ACTORS)))
        self.place_cum = list(accumulate(1 / (r + 5) for r in range(PLACES)))
        self.catalogue: list[tuple] = []  # the happenings reported so far, for second reports

    def words(self, k: int) -> str:
        return " ".join(self.rng.choices(self.vocabulary, cum_weights=self.cum, k=k))

    def happening(self) -> tuple:
        rng = self.rng
        place = rng.choices(self.places, cum_weights=self.place_cum)[0]
        actors = sorted(set(rng.choices(range(ACTORS), cum_weights=self.actor_cum,
                                        k=rng.randint(1, 2))))
        when = None
        if rng.random() >= 0.15:
            first = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            when = (first, first + timedelta(days=rng.choice((0, 0, 0, 2))))
        status = rng.choices(("reported", "planned", "hypothetical", "denied"),
                             (70, 20, 7, 3))[0]
        return rng.choice(CATEGORIES), status, place, actors, when

    def document(self, n: int) -> Document:
        rng = self.rng
        reports = {rng.randrange(PASSAGES_PER_DOCUMENT): self.happening()}
        self.catalogue.append(reports[next(iter(reports))])
        if rng.random() < 0.3 and len(self.catalogue) > 1:
            spare = rng.randrange(PASSAGES_PER_DOCUMENT)
            if spare not in reports:
                reports[spare] = self.catalogue[-rng.randint(2, min(200, len(self.catalogue)))]
        published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        text, passages = "", []
        for i in range(PASSAGES_PER_DOCUMENT):
            if text:
                text += "\n\n"
            passages.append(self._passage(len(text), reports.get(i)))
            text += passages[-1].text
        return Document(text=text, path=f"synthetic/{n:07d}.txt", title=self.words(6),
                        outlet=f"Outlet {n % OUTLETS}", published=published.isoformat(),
                        published_source="manifest", sha256=f"{n:064x}", passages=passages)

    def _passage(self, at: int, report: tuple | None) -> Passage:
        rng = self.rng
        if report is None:
            text = self.words(WORDS_PER_PASSAGE)
            if rng.random() < 0.5:
                place = rng.choices(self.places, cum_weights=self.place_cum)[0]
                text += f" in {place.name}"
                start = at + len(text) - len(place.name)
                mention = Mention(start, start + len(place.name), place.name, place, 0.9)
                return Passage(at, at + len(text), text + ".", mentions=[mention])
            return Passage(at, at + len(text) + 1, text + ".")
        kind, status, place, actor_ids, when = report
        names = [self.actors[i][0] for i in actor_ids]
        head = " and ".join(names)
        trigger = TRIGGERS[kind]
        text = f"{head} {trigger} {self.words(WORDS_PER_PASSAGE - 6)} in {place.name}"
        place_at = at + len(text) - len(place.name)
        mention = Mention(place_at, place_at + len(place.name), place.name, place, 0.9)
        dates = []
        if when:
            surface = when[0].strftime("%B %d")
            dates = [DateMention(at + len(text) + 4, at + len(text) + 4 + len(surface), surface,
                                 DateRange(when[0].isoformat(), when[1].isoformat(),
                                           "day" if when[0] == when[1] else "range"))]
            text += f" on {surface}"
        refs, offset = [], at
        for name in names:
            refs.append(ActorRef(name, offset, offset + len(name), "person:" + name.lower(),
                                 name, "person"))
            offset += len(name) + 5
        t_at = at + len(head) + 1
        event = ExtractedEvent(trigger, t_at, t_at + len(trigger), kind, status,
                               sources=refs[:1], targets=refs[1:], place=mention,
                               date=dates[0] if dates else None,
                               title=f"{names[0]} {trigger} in {place.name}", confidence=0.8,
                               passage_start=at, passage_end=at + len(text) + 1)
        return Passage(at, at + len(text) + 1, text + ".", mentions=[mention], dates=dates,
                       events=[event])


def build(db: Path, passages: int, seed: int) -> dict:
    db.unlink(missing_ok=True)
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    corpus = Corpus(seed)
    documents = max(1, passages // PASSAGES_PER_DOCUMENT)
    started = time.perf_counter()
    with Workspace(db) as ws:
        for first in range(0, documents, BATCH):
            batch = [corpus.document(n) for n in range(first, min(first + BATCH, documents))]
            with ws.transaction():
                for doc in batch:
                    write_document(ws.db.conn, doc)
            done = first + len(batch)
            if done % 10_000 < BATCH or done == documents:
                s = time.perf_counter() - started
                print(f"  built {done:,}/{documents:,} documents in {s:,.0f} s "
                      f"({done / s:,.0f} documents/s)", flush=True)
        ws.db.execute("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')")
        ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"build_s": round(time.perf_counter() - started, 1), "seed": seed}


def timed(repeat: int, call: Callable[[], list]) -> tuple[float, float, int]:
    """(median ms, max ms, rows) of `repeat` calls after one warm-up call."""
    rows = len(call())
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), rows


def fts_hits(ws: Workspace, word: str) -> int:
    return int(ws.db.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?",
                             [f'"{word}"']).fetchone()[0])


def hitting(ws: Workspace, vocabulary: list[str], hits: float) -> str:
    """The most common word found in about `hits` passages (between half and twice that)."""
    return next((w for w in vocabulary if hits / 2 <= fts_hits(ws, w) <= 2 * hits),
                vocabulary[-1])


def queries(ws: Workspace, seed: int) -> list[tuple[str, float, Callable[[], list]]]:
    """(label, target ms, call) of every query measured."""
    from desktop.session import search_hits

    vocabulary = Corpus(seed).vocabulary  # most common first
    passages = ws.counts().passages
    rare = hitting(ws, vocabulary, passages / 3000)  # ~330 passages of 1,000,000
    common = hitting(ws, vocabulary, passages / 30)  # ~33,000
    place, = ws.db.execute("SELECT pl.name FROM places pl JOIN mentions m ON m.place_id = pl.id "
                           "WHERE pl.name LIKE '% Port' GROUP BY pl.id ORDER BY count(*) DESC "
                           "LIMIT 1").fetchone()
    prefix = place[:4].lower()
    month_from = "2021-03-01"
    actor_id, = ws.db.execute("SELECT actor_id FROM event_actors GROUP BY actor_id "
                              "ORDER BY count(*) DESC LIMIT 1 OFFSET 20").fetchone()
    shown = EventFacets()  # the window's default: reported and planned events
    return [
        (f"search: rare word {rare!r}", SEARCH_MS, lambda: ws.search_passages(rare)),
        (f"search: common word {common!r}", SEARCH_MS, lambda: ws.search_passages(common)),
        (f"search: two words {place!r}", SEARCH_MS, lambda: ws.search_passages(place)),
        (f"search: partial word {prefix!r}", SEARCH_MS, lambda: ws.search_passages(prefix)),
        (f"search box: rare word {rare!r}", SEARCH_MS, lambda: search_hits(ws, rare)),
        (f"search box: common word {common!r}", SEARCH_MS, lambda: search_hits(ws, common)),
        (f"search box: partial word {prefix!r}", SEARCH_MS, lambda: search_hits(ws, prefix)),
        ("events: March 2021", EVENTS_MS,
         lambda: ws.events(month_from, "2021-03-31", include_undated=False, with_sources=False,
                           facets=shown)),
        (f"events: actor {actor_id}", EVENTS_MS,
         lambda: ws.events(facets=EventFacets(actor_ids=frozenset({actor_id})),
                           with_sources=False)),
        ("events: type AGREE", EVENTS_MS,
         lambda: ws.events(facets=EventFacets(categories=frozenset({"AGREE"})),
                           with_sources=False)),
        ("events: family 'meeting'", EVENTS_MS,
         lambda: ws.events(facets=EventFacets(families=frozenset({FAMILIES[0].key})),
                           with_sources=False)),
        ("events: March 2021, with sources", EVENTS_MS,
         lambda: ws.events(month_from, "2021-03-31", include_undated=False, facets=shown)),
    ]


def window_queries(ws: Workspace) -> tuple[float, list[tuple[str, float, Callable[[], list]]]]:
    """The same questions as the window answers them: its Session reads every event once
    (seconds, returned first), then each filter works over those records in memory. Each call
    applies the next of several values (months, actors, types, families), more than the Session
    keeps lists for, so that none is answered from a list kept a moment before."""
    from desktop.session import Session

    started = time.perf_counter()
    session = Session(ws)
    read_s = time.perf_counter() - started
    months = [(f"2021-{m:02d}-01", f"2021-{m:02d}-28") for m in range(1, 13)]
    actors = [a for (a,) in ws.db.execute(
        "SELECT actor_id FROM event_actors GROUP BY actor_id ORDER BY count(*) DESC "
        "LIMIT 12 OFFSET 20")]
    types = sorted({e.type for e in session.all_events if e.type})[:12]
    families = [f.key for f in FAMILIES]

    def cycling(values: list, apply: Callable[[object], None]) -> Callable[[], list]:
        turn = iter(values * 1000)

        def call() -> list:
            apply(next(turn))
            return session.shown_events
        return call

    def window(dates: object) -> None:
        session.set_filter(date_from=dates[0], date_to=dates[1], include_undated=False)

    def facets(**changes: object) -> None:  # this facet alone, the others as the window opens
        session.set_filter(date_from=None, date_to=None, include_undated=True,
                           facets=replace(EventFacets(), **changes))

    return read_s, [
        ("window: a month of 2021", EVENTS_MS, cycling(months, window)),
        ("window: an actor", EVENTS_MS,
         cycling(actors, lambda a: facets(actor_ids=frozenset({a})))),
        ("window: a PLOVER type", EVENTS_MS,
         cycling(types, lambda t: facets(categories=frozenset({t})))),
        ("window: a family", EVENTS_MS,
         cycling(families, lambda f: facets(families=frozenset({f})))),
    ]


def bare_rows(ws: Workspace, events: list) -> Callable[[], list]:
    """The reference for an event query: the same events' rows read by id, as plain tuples,
    with their actors (what any query returning them must read at least)."""
    ids = json.dumps([e.id for e in events])

    def read() -> list:
        rows = ws.db.execute("SELECT e.* FROM json_each(?) j CROSS JOIN events e "
                             "ON e.id = j.value", [ids]).fetchall()
        ws.db.execute("SELECT ea.* FROM json_each(?) j CROSS JOIN event_actors ea "
                      "ON ea.event_id = j.value", [ids]).fetchall()
        return rows
    return read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None,
                        help="the workspace to build (default: one in the temporary folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="time the workspace at --db as it is, without building it")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1, help="with --reuse: the build's seed")
    args = parser.parse_args(argv)
    db = args.db or Path(tempfile.gettempdir()) / f"eventmap-queries-{args.passages}.sqlite"
    result: dict = {"db": str(db)}
    if not (args.reuse and db.exists()):
        print(f"building {db} ({args.passages:,} passages)", flush=True)
        result.update(build(db, args.passages, args.seed))
    with Workspace(db) as ws:
        counts = ws.counts()
        result["counts"] = counts.__dict__
        result["file_mb"] = round(db.stat().st_size / 1e6, 1)
        print(f"{counts.documents:,} documents, {counts.passages:,} passages, "
              f"{counts.mentions:,} mentions, {counts.events:,} events; "
              f"file {result['file_mb']:,} MB")
        rows = []
        for label, target, call in queries(ws, args.seed):
            median, longest, n = timed(args.repeat, call)
            verdict = "ok" if median <= target else "MISSED"
            row = {"query": label, "median_ms": round(median, 2), "max_ms": round(longest, 2),
                   "rows": n, "target_ms": target}
            ref = ""
            if label.startswith("events"):
                row["reference_ms"] = round(timed(args.repeat, bare_rows(ws, call()))[0], 2)
                ref = f"  {median / row['reference_ms']:4.1f}x bare rows"
            print(f"  {label:<44} median {median:7.1f} ms  max {longest:7.1f} ms  "
                  f"{n:6,} rows  target {target:.0f} ms {verdict}{ref}", flush=True)
            rows.append(row)
        read_s, in_window = window_queries(ws)
        print(f"  the window's Session read every event in {read_s:.1f} s; then, in memory:")
        result["window_read_s"] = round(read_s, 2)
        for label, target, call in in_window:
            median, longest, n = timed(args.repeat, call)
            verdict = "ok" if median <= target else "MISSED"
            print(f"  {label:<44} median {median:7.1f} ms  max {longest:7.1f} ms  "
                  f"{n:6,} rows  target {target:.0f} ms {verdict}", flush=True)
            rows.append({"query": label, "median_ms": round(median, 2),
                         "max_ms": round(longest, 2), "rows": n, "target_ms": target})
        result["rows"] = rows
    write_results("queries", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
