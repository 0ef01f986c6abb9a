"""Reading articles with the language pipeline in worker processes, for an ingest on many cores.

spaCy's parse is most of an ingest's time (measured on TR-News: analyse 21.5 s, finish 2.8 s,
storing 0.9 s), and it needs nothing from other articles. So worker processes analyse
(Pipeline.analyse) while this process does what must see every article in order: it learns
where each outlet reports, resolves toponyms, extracts events (the actors are linked across the
workspace by one ActorNormaliser) and stores the documents. The result is the same workspace as
one process gives: only the order-free part moves.

Workers are started with "spawn" (a GUI's threads do not survive fork) and each loads the
pipeline once. A worker analyses a group of articles at a time (Pipeline.analyse_many: its
paragraphs parsed in batches across the articles, as fast as bare nlp.pipe). It holds the
group's Docs live while it finds their toponyms and compresses each article's Docs once, to
travel (compressing them as they were parsed, then rebuilding them to find the toponyms, cost
0.6 CPU seconds more on the development corpora's 706 articles). An analysis travels back as its
paragraphs, the compressed Docs (extraction.parsed.ParsedDocs.portable) and the toponyms: about
10 kB an article.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from extraction.cleaning import Paragraph
from extraction.parsed import BATCH_CHARS, LIVE_TEXT, ParsedDocs, text_bounded
from extraction.pipeline import Analyses, Analysis, Pipeline
from extraction.reading import RawArticle
from geo.resolve import Toponym

log = logging.getLogger(__name__)

_WORKER: Pipeline | None = None  # the pipeline of this worker process
# characters of articles a worker analyses together: a few parse batches, and a chunk of
# news articles (extraction.chunks.CHUNK) makes several groups, to share among the workers
GROUP_TEXT = 2 * BATCH_CHARS
MIN_GROUP_TEXT = BATCH_CHARS // 2  # ... and no less, even to share a small chunk
PARENT_CHECK_S = 1.0  # how often a worker looks whether its ingest is still there


@dataclass
class _Portable:
    paragraphs: list[Paragraph]
    docs: tuple[list[bytes], dict[int, tuple]]
    toponyms: list[Toponym]


def default_workers() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start_worker(model: str) -> None:
    global _WORKER
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True,
                     name="exit-with-parent").start()
    logging.getLogger("extraction").setLevel(logging.WARNING)
    _WORKER = Pipeline(model)


def _exit_with_parent(parent: int, every_s: float = PARENT_CHECK_S) -> None:
    """End this worker once the process that started it is gone. An ingest killed outright
    (SIGKILL, a crash) cannot stop its workers, and an idle worker waiting for work is not woken
    by its parent's death: it stayed, holding its pipeline's memory, until the machine
    restarted."""
    while True:
        time.sleep(every_s)
        if os.getppid() != parent:
            os._exit(0)


def _analyse(articles: list[RawArticle]) -> list[_Portable | Exception]:
    """Each article's portable analysis, or the error analysing it raised. The Docs stay live
    until the article's analysis is made portable (a group holds a few parse batches: a few MB;
    a longer article beyond LIVE_TEXT is compressed as it is parsed, as in one process)."""
    assert _WORKER is not None, "a worker process analyses after _start_worker"
    analyses = Analyses(_WORKER, articles, LIVE_TEXT)
    out: list[_Portable | Exception] = []
    for _ in articles:
        try:
            a = analyses.next()
        except Exception as e:  # that article's failure, reported when it is restored
            out.append(e)
        else:
            out.append(_Portable(a.paragraphs, a.docs.portable(a.paragraphs), a.toponyms))
    return out


def groups(articles: Iterable[RawArticle], limit: int = GROUP_TEXT
           ) -> Iterator[list[RawArticle]]:
    """Consecutive articles, grouped up to `limit` characters of text (a longer one alone)."""
    return text_bounded(articles, limit)


def shared_groups(articles: list[RawArticle], workers: int) -> list[list[RawArticle]]:
    """`groups` of the articles, smaller for a small chunk (the last ones of an ingest): each
    worker gets a share of it, down to MIN_GROUP_TEXT characters a group."""
    share = -(-sum(len(a.text) for a in articles) // max(1, workers))
    return list(groups(articles, min(GROUP_TEXT, max(MIN_GROUP_TEXT, share))))


class AnalysisPool:
    """Worker processes that analyse articles: `submit` them, `restore` each result.

    Use as a context manager: the workers stop on exit, pending work is cancelled.
    """

    def __init__(self, pipeline: Pipeline, workers: int):
        if pipeline.model is None:
            raise ValueError("worker processes need a pipeline loaded by model name")
        self.pipeline = pipeline
        self.workers = workers
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(workers, mp_context=context,
                                         initializer=_start_worker,
                                         initargs=(pipeline.model,))

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, articles: Iterable[RawArticle]) -> list[Pending]:
        """Start analysing, a group of articles at a time (parsed in batches across them);
        one Pending for each article, in order, which `restore` turns into its Analysis."""
        pending = []
        for group in shared_groups(list(articles), self.workers):
            future = self._pool.submit(_analyse, group)
            pending.extend(Pending(future, i) for i in range(len(group)))
        return pending


@dataclass(frozen=True)
class Pending:
    """An article's analysis to come: its group's future and its place in the group."""

    future: Future
    index: int


def restore(pipeline: Pipeline, article: RawArticle, pending: Pending) -> Analysis:
    """The Analysis of `article` from a worker (waits; re-raises the error analysing it
    raised), its Docs rebuilt with this process's vocabulary."""
    portable = pending.future.result()[pending.index]
    if isinstance(portable, Exception):
        raise portable
    docs = ParsedDocs.restored(pipeline.nlp, portable.paragraphs, portable.docs)
    return Analysis(article, portable.paragraphs, docs, portable.toponyms)
