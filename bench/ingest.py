"""Ingest speed against the bare spaCy pipeline, on one process and on worker processes.

Usage: .venv/bin/python -m bench.ingest [--corpora DIR] [--workers N] [--variants N] [--repeat N]
                                        [--growth BATCHES --batch-size N [--growth-only]]

The articles are the development corpora's (TR-News and LGL, about 700), written to files with
a manifest and ingested as `eventmap ingest` does (extraction.ingest.ingest_paths, events
included, into a new workspace). `--variants N` adds distinct variants of them (another last
paragraph each) up to N articles. Figures, each measured in this run:
- reference: spaCy alone, `nlp.pipe` over the same story paragraphs with the same components,
  model load included (as in the ingest);
- one process: articles/s and tokens/s, and its ratio to the reference (target >= 0.90);
- N workers: the same, and its ratio to one process (target >= 1.7 on two cores);
- each in a process of its own, as `eventmap ingest` runs: one after the other in one process,
  a later one found what an earlier one had loaded (the one-process ingest after spaCy alone
  took 49-53 s where a process of its own takes 56-58 s) or left (the workers after two rounds
  35.5 s, in a process of their own 32-34 s); `--repeat N` measures the three N times, in turn,
  and keeps each one's best round ("rounds" in the results);
- CPU seconds of each (workers' included): steadier than wall time on a shared machine;
- memory: the peak of one process, and with workers of the main process and the largest
  worker (RSS);
- growth (`--growth`): the seconds of each batch of one story's variants added to one
  workspace, which must not grow with what the workspace already holds.
Results also go to bench/results/ingest-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpora import DEFAULT_ROOT, load
from bench.result_files import write_results
from extraction.cleaning import paragraphs
from extraction.ingest import ingest_paths
from extraction.nlp import DEFAULT_MODEL, build_nlp
from extraction.parallel import default_workers
from extraction.pipeline import Pipeline
from extraction.reading import RawArticle
from store.settings import seeds_dir
from store.workspace import Workspace


def corpus_articles(root: Path, variants: int) -> list[RawArticle]:
    articles = [RawArticle(text=a.text, path=a.docid, outlet=a.outlet)
                for name in ("tr-news", "lgl") for a in load(name, root)]
    base = list(articles)
    i = 0
    while len(articles) < variants:
        a = base[i % len(base)]
        note = f"\n\nUpdate {i}: this report was revised on day {i % 28 + 1}.\n"
        articles.append(RawArticle(text=a.text + note, path=f"{a.path}-v{i}", outlet=a.outlet))
        i += 1
    return articles


def write_files(articles: list[RawArticle], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for n, a in enumerate(articles):
        name = f"{n:05d}.txt"
        (folder / name).write_text(a.text, encoding="utf-8")
        documents.append({"file": name, "outlet": a.outlet, "published": "2020-01-01"})
    (folder / "manifest.json").write_text(json.dumps({"documents": documents}),
                                          encoding="utf-8")
    return folder


def cpu_seconds() -> float:
    """CPU seconds (user and system) of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare_spacy(articles: list[RawArticle]) -> tuple[float, float, int]:
    """Seconds, CPU seconds and tokens of spaCy alone over the articles' story paragraphs."""
    started, cpu = time.perf_counter(), cpu_seconds()
    nlp = build_nlp(DEFAULT_MODEL)
    texts = [p.text for a in articles for p in paragraphs(a.text) if not p.boilerplate]
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    return time.perf_counter() - started, cpu_seconds() - cpu, tokens


def timed_ingest(folder: Path, db: Path, workers: int) -> tuple[float, float, int]:
    """Seconds and CPU seconds (workers' included) of an ingest into a new workspace (model
    load included), and documents added."""
    started, cpu = time.perf_counter(), cpu_seconds()
    pipeline = Pipeline(DEFAULT_MODEL)
    with Workspace(db) as ws:
        report = ingest_paths([folder], ws, pipeline, workers=workers)
    return time.perf_counter() - started, cpu_seconds() - cpu, len(report.added)


def measure(what: str, folder: Path, workers: int) -> dict:
    """One measure in this process: spaCy alone over the folder's articles, or an ingest of
    them into a new workspace; with this process's peak memory and its largest child's."""
    if what == "spacy":
        articles = [RawArticle(text=p.read_text(encoding="utf-8"), path=p.name)
                    for p in sorted(folder.glob("*.txt"))]
        seconds, cpu, tokens = bare_spacy(articles)
        out = {"tokens": tokens}
    else:
        with tempfile.TemporaryDirectory() as tmp:
            seconds, cpu, added = timed_ingest(folder, Path(tmp) / "w.sqlite", workers)
        out = {"added": added}
    return {**out, "s": seconds, "cpu_s": cpu,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def in_process(what: str, folder: Path, workers: int) -> dict:
    """`measure` in a new process (python -m bench.ingest --measure ...)."""
    command = [sys.executable, "-m", "bench.ingest", "--measure", what, "--folder", str(folder),
               "--workers", str(workers)]
    run = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    line = next(x for x in run.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def growth(batches: int, size: int, workdir: Path, workers: int
           ) -> tuple[list[float], list[float]]:
    """Seconds of each batch of one story's variants ingested into one workspace, and this
    process's CPU seconds of each (where the storing happens, and what grows if it grows;
    steadier than wall time on a shared machine)."""
    story = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    pipeline = Pipeline(DEFAULT_MODEL)
    seconds, cpu = [], []
    with Workspace(workdir / "growth.sqlite") as ws:
        for b in range(batches):
            batch = [RawArticle(text=story[i % len(story)]
                                + f"\n\nCorrespondent {b}-{i} adds that talks went on.\n",
                                path=f"{b}-{i}", outlet=f"outlet{i % 7}")
                     for i in range(size)]
            folder = write_files(batch, workdir / f"batch{b}")
            started, used = time.perf_counter(), time.process_time()
            ingest_paths([folder], ws, pipeline, workers=workers)
            seconds.append(round(time.perf_counter() - started, 2))
            cpu.append(round(time.process_time() - used, 2))
            print(f"  growth batch {b + 1}: {size} articles in {seconds[-1]:.1f} s, "
                  f"{cpu[-1]:.1f} s of this process's CPU", flush=True)
    return seconds, cpu


def growth_ratio(seconds: list[float]) -> float:
    """The last batch's seconds over the first's: 1.0 when the cost does not grow."""
    return round(seconds[-1] / seconds[0], 3) if seconds and seconds[0] else 0.0


def growth_only(batches: int, size: int, workers: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        seconds, cpu = growth(batches, size, Path(tmp), workers)
    result = {"growth_s": seconds, "growth_ratio": growth_ratio(seconds), "growth_cpu_s": cpu,
              "growth_cpu_ratio": growth_ratio(cpu), "batch_size": size, "workers": workers}
    print(f"  growth: last batch / first batch {result['growth_ratio']:.2f}x, in this "
          f"process's CPU {result['growth_cpu_ratio']:.2f}x (target ~1.0)")
    write_results("ingest-growth", result)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--variants", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the reference, one process and the workers, in turn "
                             "(each one's best kept)")
    parser.add_argument("--measure", choices=("spacy", "ingest"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--growth", type=int, default=0, metavar="BATCHES")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--growth-only", action="store_true",
                        help="run only the growth measure (with --growth), not the corpus")
    args = parser.parse_args(argv)
    if args.growth_only:
        return growth_only(args.growth or 4, args.batch_size, args.workers)
    if args.measure:
        print("RESULT " + json.dumps(measure(args.measure, args.folder, args.workers)),
              flush=True)
        return 0
    articles = corpus_articles(args.corpora, args.variants)
    result: dict = {"articles": len(articles), "workers": args.workers,
                    "machine_cores": default_workers()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = write_files(articles, work / "articles")
        # the three in turn, each round alike: each sees the same machine load; each in a
        # process of its own, as `eventmap ingest` runs (the rounds before leave nothing behind)
        rounds = [[in_process(what, folder, workers)
                   for what, workers in (("spacy", 1), ("ingest", 1), ("ingest", args.workers))]
                  for _ in range(args.repeat)]
        # each measure's best round: the one least slowed by other work on the machine
        ref, one, many = (min((r[k] for r in rounds), key=lambda m: m["s"]) for k in range(3))
        ref_s, ref_cpu, tokens = ref["s"], ref["cpu_s"], ref["tokens"]
        one_s, one_cpu, added = one["s"], one["cpu_s"], one["added"]
        many_s, many_cpu, added_many = many["s"], many["cpu_s"], many["added"]
        result.update({
            "tokens": tokens, "reference_s": round(ref_s, 2), "one_process_s": round(one_s, 2),
            "workers_s": round(many_s, 2), "added": [added, added_many],
            "one_vs_spacy": round(ref_s / one_s, 3), "workers_vs_one": round(one_s / many_s, 3),
            # CPU seconds: steadier than wall time when other work shares the machine
            "reference_cpu_s": round(ref_cpu, 2), "one_process_cpu_s": round(one_cpu, 2),
            "workers_cpu_s": round(many_cpu, 2),
            "one_vs_spacy_cpu": round(ref_cpu / one_cpu, 3),
            "peak_rss_mb": round(one["rss_mb"]), "workers_parent_rss_mb": round(many["rss_mb"]),
            "worker_peak_rss_mb": round(many["children_rss_mb"]),
            "rounds": [[round(m["s"], 2) for m in r] for r in rounds],
        })
        if args.growth:
            result["growth_s"], result["growth_cpu_s"] = growth(
                args.growth, args.batch_size, work, args.workers)
            result["growth_ratio"] = growth_ratio(result["growth_s"])
    n = len(articles)
    print(f"{n} articles, {tokens:,} tokens, {result['machine_cores']} cores")
    for label, s, cpu in (("spaCy alone", ref_s, ref_cpu), ("ingest, 1 process", one_s, one_cpu),
                          (f"ingest, {args.workers} workers", many_s, many_cpu)):
        print(f"  {label:<22} {s:7.1f} s  {n / s:6.1f} articles/s  {tokens / s:8.0f} tokens/s"
              f"  ({cpu:.1f} CPU s)")
    print(f"  one process / spaCy alone: {result['one_vs_spacy']:.3f}x (target >= 0.90); "
          f"in CPU seconds {result['one_vs_spacy_cpu']:.3f}x")
    print(f"  {args.workers} workers / one process: {result['workers_vs_one']:.3f}x "
          "(target >= 1.7 on two cores)")
    print(f"  peak memory: one process {result['peak_rss_mb']} MB; with workers, this process "
          f"{result['workers_parent_rss_mb']} MB, the largest worker "
          f"{result['worker_peak_rss_mb']} MB")
    if args.repeat > 1:
        print("  rounds (spaCy alone, one process, workers; s): "
              + "; ".join(", ".join(f"{x:.1f}" for x in r) for r in result["rounds"]))
    if args.growth:
        print(f"  growth: last batch / first batch {result['growth_ratio']:.2f}x (target ~1.0)")
    write_results("ingest", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
