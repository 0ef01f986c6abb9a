"""Geoparsing accuracy on TR-News and LGL, end to end and given the gold spans.

    .venv/bin/python -m bench.geoparse [--corpora DIR] [--only tr-news] [--limit N]

Prints a table and writes bench/results/<corpus>-<UTC time>.json so that runs can be compared.
It runs the same code as an ingest and `eventmap geoparse` (Pipeline.process_many: each chunk
of articles analysed, their outlets' homes learned, then resolved) and, for the gold-span setting,
the same resolver (geo.resolve.resolve_toponyms) with homes learned from the gold names.
`--no-outlets` leaves the outlets' homes out, to measure what they bring.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench.corpora import DEFAULT_ROOT, FILES, Article, load
from bench.metrics import distance_scores, great_circle_km, match_spans, prf
from extraction.chunks import CHUNK, chunk_bounds
from extraction.pipeline import Pipeline, resolved_mentions
from extraction.reading import RawArticle
from geo.outlets import Home, OutletHomes
from geo.resolve import Toponym, resolve_toponyms

RESULTS = Path(__file__).resolve().parent / "results"


def end_to_end(pipeline: Pipeline, articles: list[Article], outlets: bool = True) -> dict:
    tp = fp = fn = 0
    errors: list[float] = []
    misses: list[dict] = []
    raws = [RawArticle(text=a.text, path=a.docid, outlet=a.outlet, published=a.published)
            for a in articles]
    homes = OutletHomes(pipeline.gazetteer) if outlets else None
    documents = pipeline.process_many(raws, homes, chunk=CHUNK)
    for article, document in zip(articles, documents, strict=True):
        mentions = resolved_mentions(document)
        gold = list(article.toponyms)
        pairs = match_spans([(g.start, g.end) for g in gold], [(m.start, m.end) for m in mentions])
        matched_pred = {pi for _, pi in pairs}
        matched_gold = {gi for gi, _ in pairs}
        linked = [i for i, g in enumerate(gold) if g.lat is not None]
        tp += sum(1 for gi, _ in pairs if gold[gi].lat is not None)
        fn += sum(1 for i in linked if i not in matched_gold)
        fp += len(mentions) - len(matched_pred)  # matches to unlinked gold count neither way
        for gi, pi in pairs:
            g, m = gold[gi], mentions[pi]
            if g.lat is None:
                continue
            km = great_circle_km(g.lat, g.lon, m.place.lat, m.place.lon)
            errors.append(km)
            if km > 161:
                misses.append({"doc": article.docid, "text": g.phrase, "got": m.place.name,
                               "country": m.place.country, "km": round(km)})
    p, r, f = prf(tp, fp, fn)
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn,
            **asdict(distance_scores(errors)), "worst": sorted(misses, key=lambda x: -x["km"])[:40]}


def given_gold_spans(pipeline: Pipeline, articles: list[Article], outlets: bool = True) -> dict:
    errors: list[float] = []
    unresolved = 0
    homes = OutletHomes(pipeline.gazetteer)
    for first, end in chunk_bounds(len(articles), CHUNK):
        chunk = articles[first:end]
        for article in chunk if outlets else ():
            homes.add(article.outlet, [article.text[g.start:g.end] for g in article.toponyms])
        for article in chunk:
            errors_in, missing = _resolve_gold(pipeline, article, homes.home(article.outlet))
            errors.extend(errors_in)
            unresolved += missing
    return {**asdict(distance_scores(errors)), "unresolved": unresolved}


def _resolve_gold(pipeline: Pipeline, article: Article, home: Home | None
                  ) -> tuple[list[float], int]:
    """The error of each linked gold toponym, an unresolved one counting as the worst."""
    errors: list[float] = []
    gold = [g for g in article.toponyms if g.lat is not None]
    toponyms = [Toponym(g.start, g.end, article.text[g.start:g.end], "GPE") for g in gold]
    # The spans are known toponyms: no confidence floor (it guards against non-places).
    mentions = resolve_toponyms(article.text, toponyms, pipeline.gazetteer, min_confidence=0.0,
                                home=home)
    for g, m in zip(gold, mentions, strict=True):
        errors.append(20039.0 if m.place is None
                      else great_circle_km(g.lat, g.lon, m.place.lat, m.place.lon))
    return errors, sum(1 for m in mentions if m.place is None)


def run(corpus: str, root: Path, limit: int | None, pipeline: Pipeline,
        outlets: bool = True) -> dict:
    articles = load(corpus, root)[:limit]
    t0 = time.perf_counter()
    e2e = end_to_end(pipeline, articles, outlets)
    t1 = time.perf_counter()
    gold = given_gold_spans(pipeline, articles, outlets)
    t2 = time.perf_counter()
    return {
        "corpus": corpus, "articles": len(articles), "outlets": outlets,
        "toponyms": sum(len(a.toponyms) for a in articles),
        "end_to_end": e2e, "gold_spans": gold,
        "seconds": {"end_to_end": round(t1 - t0, 2), "gold_spans": round(t2 - t1, 2)},
        "chars_per_second": round(sum(len(a.text) for a in articles) / max(t1 - t0, 1e-9)),
    }


def print_table(results: list[dict]) -> None:
    print(f"{'corpus':<8} {'setting':<10} {'P':>5} {'R':>5} {'F1':>5} {'acc161':>6} {'AUC':>5} "
          f"{'mean km':>8} {'median':>7} {'n':>5} {'s':>6}")
    for r in results:
        e, g = r["end_to_end"], r["gold_spans"]
        print(f"{r['corpus']:<8} {'end2end':<10} {e['precision']:5.3f} {e['recall']:5.3f} "
              f"{e['f1']:5.3f} {e['acc161']:6.3f} {e['auc']:5.3f} {e['mean_km']:8.0f} "
              f"{e['median_km']:7.1f} {e['n']:5d} {r['seconds']['end_to_end']:6.1f}")
        print(f"{r['corpus']:<8} {'gold spans':<10} {'':>5} {'':>5} {'':>5} {g['acc161']:6.3f} "
              f"{g['auc']:5.3f} {g['mean_km']:8.0f} {g['median_km']:7.1f} {g['n']:5d} "
              f"{r['seconds']['gold_spans']:6.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--only", choices=sorted(FILES), action="append")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--model", default=None)
    parser.add_argument("--no-outlets", action="store_true",
                        help="do not learn where each outlet usually reports")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    pipeline = Pipeline(args.model) if args.model else Pipeline()
    print(f"pipeline ready in {time.perf_counter() - t0:.1f} s")
    results = [run(c, args.corpora, args.limit, pipeline, not args.no_outlets)
               for c in (args.only or sorted(FILES))]
    print_table(results)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for r in results:
        out = RESULTS / f"{r['corpus']}-{stamp}.json"
        out.write_text(json.dumps(r, indent=1, ensure_ascii=False))
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
