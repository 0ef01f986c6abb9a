"""Event extraction measured: PLOVER gold records (type, source, target) and ingest time.

Usage: .venv/bin/python -m bench.events [PATH] [--no-timing]
PATH (default ../shared/corpora/plover-dev) holds one JSON record a line: `text`, `event`,
`eventText`, `source`/`target` lists of {actorText}. For each record:
- found: the sentence gave at least one event;
- type_any: some extracted event has the record's category;
- type_best: the event whose trigger best matches `eventText` (its first word first) has it;
- source/target: an extracted source (target) overlaps a gold actorText (either role counts
  for records that code the actors "SRC/TAR", i.e. compound actors).
Timing: the seeds and TR-News through the real pipeline, with and without event extraction.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.corpora import DEFAULT_ROOT, load
from bench.result_files import write_results
from extraction.actor_keys import ActorNormaliser
from extraction.happenings import document_events
from extraction.pipeline import Pipeline
from extraction.reading import RawArticle, load_manifest, read_article
from store.settings import seeds_dir

DEFAULT_PLOVER = DEFAULT_ROOT / "plover-dev"


def load_records(path: Path) -> list[dict]:
    if path.is_dir():
        path = next(path.glob("*.jsonl"))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _actor_texts(value) -> list[str]:
    if not isinstance(value, list):
        return []
    return [a["actorText"] for a in value if isinstance(a, dict) and a.get("actorText")]


def _overlaps(text: str, refs, needles: list[str]) -> bool:
    """A ref overlaps a gold actor text, or names the same actor ("it" resolved to Hungary)."""
    for needle in needles:
        low = needle.lower()
        if any(r.text.lower() != r.name.lower() and r.name.lower() in low for r in refs):
            return True
        at = text.find(needle)
        if at < 0:
            continue
        if any(r.start < at + len(needle) and at < r.end for r in refs):
            return True
    return False


def _best(events, record: dict):
    """The event whose trigger words appear earliest in eventText."""
    words = [w.lower() for w in record.get("eventText", "").split()]
    best, rank = None, None
    for event in events:
        tokens = [t.lower() for t in event.trigger.split()]
        for i, w in enumerate(words):
            if any(t == w or t.startswith(w[:4]) and len(w) >= 4 for t in tokens):
                if rank is None or i < rank:
                    best, rank = event, i
                break
    return best


def plover(pipeline: Pipeline, records: list[dict]) -> dict:
    pipeline.normaliser = ActorNormaliser(pipeline.gazetteer)
    counts = dict.fromkeys(("found", "type_any", "type_best", "source", "target"), 0)
    with_target = 0
    per_type: dict[str, list[int]] = {}
    started = time.perf_counter()
    for record in records:
        text = record["text"]
        article = RawArticle(text=text, path=record["id"])
        events = document_events(pipeline.process(article))
        gold = record["event"]
        sources = _actor_texts(record.get("source"))
        targets = _actor_texts(record.get("target"))
        both = "SRC/TAR" in record.get("markup", "")
        all_sources = [a for e in events for a in e.sources]
        all_targets = [a for e in events for a in e.targets]
        best = _best(events, record)
        counts["found"] += bool(events)
        counts["type_any"] += any(e.type == gold for e in events)
        hit = best is not None and best.type == gold
        counts["type_best"] += hit
        per_type.setdefault(gold, [0, 0])
        per_type[gold][0] += hit
        per_type[gold][1] += 1
        either = all_sources + all_targets if both else all_sources
        counts["source"] += _overlaps(text, either, sources)
        if targets:
            with_target += 1
            either = all_sources + all_targets if both else all_targets
            counts["target"] += _overlaps(text, either, targets)
    seconds = time.perf_counter() - started
    n = len(records)
    return {
        "records": n, "records_with_target": with_target,
        "found": round(counts["found"] / n, 3),
        "type_any": round(counts["type_any"] / n, 3),
        "type_best": round(counts["type_best"] / n, 3),
        "source": round(counts["source"] / n, 3),
        "target": round(counts["target"] / max(with_target, 1), 3),
        "per_type_best": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_type.items())},
        "ms_per_sentence": round(1000 * seconds / n, 1),
    }


def timing(pipeline: Pipeline, name: str, articles: list[RawArticle]) -> dict:
    """Seconds through the pipeline without event extraction, and with it."""
    runs = {}
    for with_events in (False, True, False, True):
        pipeline.normaliser = ActorNormaliser(pipeline.gazetteer)
        pipeline.with_events = with_events
        started = time.perf_counter()
        count = 0
        for article in articles:
            count += len(document_events(pipeline.process(article)))
        seconds = time.perf_counter() - started
        key = "with_events" if with_events else "without"
        runs[key] = min(runs.get(key, seconds), seconds)  # best of two: the machine is shared
        if with_events:
            runs["events"] = count
    return {"corpus": name, "articles": len(articles), "without_s": round(runs["without"], 2),
            "with_events_s": round(runs["with_events"], 2), "events": runs["events"],
            "ratio": round(runs["with_events"] / max(runs["without"], 1e-9), 3)}


def seed_articles() -> list[RawArticle]:
    folder = seeds_dir()
    manifest = load_manifest(folder)
    return [read_article(p, manifest=manifest.get(p.name)) for p in sorted(folder.glob("*.txt"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PLOVER)
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args(argv)
    pipeline = Pipeline()
    result = {"plover": plover(pipeline, load_records(args.path))}
    p = result["plover"]
    print(f"{'records':>8} {'found':>6} {'type_any':>8} {'type_best':>9} {'source':>6} "
          f"{'target':>6} {'ms/sent':>7}")
    print(f"{p['records']:>8} {p['found']:>6.3f} {p['type_any']:>8.3f} {p['type_best']:>9.3f} "
          f"{p['source']:>6.3f} {p['target']:>6.3f} {p['ms_per_sentence']:>7.1f}")
    print("per type (best trigger):", p["per_type_best"])
    if not args.no_timing:
        tr = [RawArticle(text=a.text, path=a.docid, outlet=a.outlet, published=a.published)
              for a in load("tr-news")]
        result["timing"] = [timing(pipeline, "seeds", seed_articles()),
                            timing(pipeline, "tr-news", tr)]
        for t in result["timing"]:
            print(f"{t['corpus']:<8} {t['articles']:>4} articles  without {t['without_s']:6.2f} s"
                  f"  with events {t['with_events_s']:6.2f} s  ({t['ratio']:.3f}x, "
                  f"{t['events']} events)")
    write_results("events", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
