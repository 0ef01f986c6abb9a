"""Event typing by lexicon, by a wordllama embedding classifier, and by both, on PLOVER records.

Usage: .venv/bin/python -m bench.trigger_classifier [PATH] [--no-pipeline]
PATH (default ../shared/corpora/plover-dev) holds one JSON record a line with `event` and
`eventText` (the gold event words). Nothing is learnt from the records: the classifier is
trained on bench.trigger_embeddings' own phrase table and the lexicon.

Per record, the category given to `eventText` by
- lexicon: the first of its words whose lemma is in extraction.triggers.VERBS or NOUNS
  (`lemmatize`, the rule tables behind `triggers.lemma`, as verb then noun);
- classifier: the embedding classifier on the whole phrase (each method, raw or lemmatised);
- lexicon+classifier: the lexicon, the classifier where the lexicon gives no category;
- ", words": the classifier trained on the lexicon's words alone (without the phrase table).
Accuracy is the share of records given their gold category (no answer counts as wrong); quad is
the same on PLOVER's four quad classes. Also: model load time, the memory it adds, ms per
phrase, the disk `pip install wordllama` added, and, with the pipeline, how many records' best
extracted trigger (bench.events) the lexicon leaves untyped.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from bench import trigger_embeddings as te
from bench.events import DEFAULT_PLOVER, _best, load_records
from bench.result_files import write_results
from extraction.triggers import NOUNS, VERBS, lemmatize

if TYPE_CHECKING:
    from spacy.language import Language

QUADS = {c: q for q, cs in {
    "verbal-coop": "AGREE CONSULT SUPPORT CONCEDE", "material-coop": "COOPERATE AID RETREAT "
    "INVESTIGATE", "verbal-conflict": "DEMAND DISAPPROVE REJECT THREATEN SANCTION",
    "material-conflict": "PROTEST MOBILIZE COERCE ASSAULT FIGHT"}.items() for c in cs.split()}
# What `pip install wordllama` added to this environment (its pip log).
ADDED_DISTRIBUTIONS = ("wordllama", "tokenizers", "safetensors", "huggingface-hub", "hf-xet",
                       "fsspec", "filelock", "httpx2", "httpcore2", "toml", "truststore")
METHODS: tuple[te.Method, ...] = ("centroid", "nearest", "softmax")


def lexicon_category(phrase: str) -> str | None:
    """The category of the phrase's first lexicon word (None: no word, or an untyped one)."""
    for word in phrase.lower().split():
        for form in (word, lemmatize(word, "verb"), lemmatize(word, "noun")):
            if form in VERBS:
                return VERBS[form]
            if form in NOUNS:
                return NOUNS[form]
    return None


def score(predicted: list[str | None], gold: list[str]) -> dict:
    n = len(gold)
    return {"accuracy": round(sum(p == g for p, g in zip(predicted, gold, strict=True)) / n, 3),
            "quad": round(sum(p is not None and QUADS[p] == QUADS[g]
                              for p, g in zip(predicted, gold, strict=True)) / n, 3),
            "answered": round(sum(p is not None for p in predicted) / n, 3)}


def load_cost() -> dict:
    """Seconds and memory to load the model (first call in the process)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    te.load_model()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"load_s": round(seconds, 2), "traced_peak_mb": round(peak / 2**20, 1),
            "maxrss_added_mb": round(
                (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024, 1)}


def disk_mb(names: tuple[str, ...] = ADDED_DISTRIBUTIONS) -> dict:
    sizes = {}
    for name in names:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        sizes[name] = round(sum(Path(dist.locate_file(f)).stat().st_size
                                for f in dist.files or () if Path(dist.locate_file(f)).is_file())
                            / 2**20, 1)
    return {"total_mb": round(sum(sizes.values()), 1), **sizes}


def ms_per_phrase(classifier: te.PhraseClassifier, phrases: list[str], method: te.Method) -> float:
    """One phrase a call, as the pipeline would ask (lemmatisation included); best of three
    runs, the machine being shared."""
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        for phrase in phrases:
            classifier.classify([phrase], method)
        runs.append(time.perf_counter() - started)
    return round(1000 * min(runs) / len(phrases), 3)


def compare(records: list[dict]) -> dict:
    phrases = [r["eventText"] for r in records]
    gold = [r["event"] for r in records]
    cost = load_cost()
    lemmatize("fought", "verb")  # the rule tables load once, outside the timings
    started = time.perf_counter()
    lexicon = [lexicon_category(p) for p in phrases]
    rows = {"lexicon": {**score(lexicon, gold), "ms_per_phrase": round(
        1000 * (time.perf_counter() - started) / len(phrases), 3)}}
    for lemmas in (False, True):
        started = time.perf_counter()
        classifier = te.train(lemmas=lemmas)
        cost[f"train_s_{'lemmas' if lemmas else 'raw'}"] = round(time.perf_counter() - started, 2)
        for method in METHODS:
            name = f"{method}{'+lemmas' if lemmas else ''}"
            alone = classifier.classify(phrases, method)
            both = [lx if lx is not None else cl for lx, cl in zip(lexicon, alone, strict=True)]
            rows[f"classifier {name}"] = {**score(alone, gold),
                                          "ms_per_phrase": ms_per_phrase(classifier, phrases,
                                                                         method)}
            rows[f"lexicon+{name}"] = score(both, gold)
    # Ablation: trained on the lexicon's words only, without EXAMPLES' phrases.
    words_only = te.train([(w, c or te.NONE) for t in (VERBS, NOUNS) for w, c in t.items()])
    alone = words_only.classify(phrases, "centroid")
    rows["classifier centroid+lemmas, words"] = score(alone, gold)
    rows["lexicon+centroid+lemmas, words"] = score(
        [lx if lx is not None else cl for lx, cl in zip(lexicon, alone, strict=True)], gold)
    return {"records": len(records), "rows": rows, "cost": cost, "disk": disk_mb()}


def end_to_end(records: list[dict]) -> dict:
    """Through the real pipeline: records whose best trigger has no category, and what the
    classifier (centroid+lemmas) makes of those triggers."""
    from extraction.actor_keys import ActorNormaliser
    from extraction.happenings import document_events
    from extraction.pipeline import Pipeline
    from extraction.reading import RawArticle

    pipeline = Pipeline()
    pipeline.normaliser = ActorNormaliser(pipeline.gazetteer)
    classifier = te.default_classifier()
    no_best, untyped, typed_right, rescued, examples = 0, 0, 0, 0, []
    for record in records:
        events = document_events(pipeline.process(RawArticle(text=record["text"],
                                                              path=record["id"])))
        best = _best(events, record)
        if best is None:
            no_best += 1
        elif best.type is None:
            untyped += 1
            guess = classifier.classify([best.trigger], "centroid")[0]
            rescued += guess == record["event"]
            examples.append(f"{best.trigger} -> {guess} (gold {record['event']})")
        else:
            typed_right += best.type == record["event"]
    return {"records": len(records), "no_best_trigger": no_best, "best_untyped": untyped,
            "best_typed_right": typed_right, "untyped_rescued_by_classifier": rescued,
            "untyped_examples": examples, "verbs_without_trigger": verbs_without_trigger(
                pipeline.nlp, records, classifier)}


def verbs_without_trigger(nlp: Language, records: list[dict], classifier: te.PhraseClassifier,
                          thresholds: tuple[float, ...] = (0.0, 0.3, 0.4, 0.5)) -> dict:
    """Where a classifier could act in the pipeline: verbs find_triggers makes no trigger of,
    as "verb particle object" phrases. A verb among the record's eventText words is the gold
    event (right if classified as the gold category); any other verb given a category is
    counted as a false alarm (an upper bound: each record codes one event only)."""
    from extraction.triggers import find_triggers

    phrases, gold = [], []
    for record in records:
        words = {w.lower() for w in record["eventText"].split()}
        for sentence in nlp(record["text"]).sents:
            taken = {t.i for trigger in find_triggers(sentence) for t in trigger.tokens}
            for token in sentence:
                if token.pos_ != "VERB" or token.i in taken:
                    continue
                parts = [token] + [c for c in token.children if c.dep_ in ("prt", "dobj")]
                phrases.append(" ".join(t.text for t in sorted(parts, key=lambda t: t.i)))
                gold.append(record["event"] if token.lower_ in words else None)
    scores = classifier.scores(phrases, "centroid")
    out: dict = {"verbs": len(phrases), "in_eventText": sum(g is not None for g in gold)}
    for threshold in thresholds:
        guesses = classifier.classify(phrases, "centroid", min_score=threshold)
        right = sum(g is not None and p == g for p, g in zip(guesses, gold, strict=True))
        alarms = sum(g is None and p is not None for p, g in zip(guesses, gold, strict=True))
        out[f"min_score {threshold}"] = {"gold_right": right, "false_alarms": alarms}
    out["max_score_median"] = round(float(sorted(scores.max(axis=1))[len(phrases) // 2]), 3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PLOVER)
    parser.add_argument("--no-pipeline", action="store_true", help="skip the end-to-end count")
    args = parser.parse_args(argv)
    records = load_records(args.path)
    result = compare(records)
    print(f"{result['records']} records (eventText)")
    print(f"{'approach':<34} {'accuracy':>8} {'quad':>6} {'answered':>8} {'ms/phrase':>9}")
    for name, row in result["rows"].items():
        ms = f"{row['ms_per_phrase']:>9.3f}" if "ms_per_phrase" in row else f"{'':>9}"
        print(f"{name:<34} {row['accuracy']:>8.3f} {row['quad']:>6.3f} {row['answered']:>8.3f} "
              f"{ms}")
    print("cost:", result["cost"])
    print("disk (MB):", result["disk"])
    if not args.no_pipeline:
        result["end_to_end"] = end_to_end(records)
        e = {k: v for k, v in result["end_to_end"].items()
             if k not in ("untyped_examples", "verbs_without_trigger")}
        print("end to end:", e)
        for line in result["end_to_end"]["untyped_examples"]:
            print("  untyped:", line)
        print("verbs with no trigger:", result["end_to_end"]["verbs_without_trigger"])
    write_results("trigger-classifier", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
