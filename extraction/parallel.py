"""Reading articles with the language pipeline in worker processes, for an ingest on many cores.

spaCy's parse is most of an ingest's time (measured on TR-News: analyse 21.5 s, finish 2.8 s,
storing 0.9 s), and it needs nothing from other articles. So worker processes analyse
(Pipeline.analyse) while this process does what must see every article in order: it learns
where each outlet reports, resolves toponyms, extracts events (the actors are linked across the
workspace by one ActorNormaliser) and stores the documents. The result is the same workspace as
one process gives: only the order-free part moves.

Workers are started with "spawn" (a GUI's threads do not survive fork) and each loads the
pipeline once. An analysis travels back as its paragraphs, the compressed Docs
(extraction.parsed.ParsedDocs.portable) and the toponyms: about 100 kB an article.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from extraction.cleaning import Paragraph
from extraction.parsed import ParsedDocs
from extraction.pipeline import Analysis, Pipeline
from extraction.reading import RawArticle
from geo.resolve import Toponym

log = logging.getLogger(__name__)

_WORKER: Pipeline | None = None  # the pipeline of this worker process


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
    logging.getLogger("extraction").setLevel(logging.WARNING)
    _WORKER = Pipeline(model)


def _analyse(article: RawArticle) -> _Portable:
    assert _WORKER is not None, "a worker process analyses after _start_worker"
    analysis = _WORKER.analyse(article)
    return _Portable(analysis.paragraphs, analysis.docs.portable(analysis.paragraphs),
                     analysis.toponyms)


class AnalysisPool:
    """Worker processes that analyse articles: `submit` them, `restore` each result.

    Use as a context manager: the workers stop on exit, pending work is cancelled.
    """

    def __init__(self, pipeline: Pipeline, workers: int):
        if pipeline.model is None:
            raise ValueError("worker processes need a pipeline loaded by model name")
        self.pipeline = pipeline
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

    def submit(self, articles: Iterable[RawArticle]) -> list[Future]:
        """Start analysing; the futures resolve to what `restore` turns into Analyses."""
        return [self._pool.submit(_analyse, a) for a in articles]


def restore(pipeline: Pipeline, article: RawArticle, future: Future) -> Analysis:
    """The Analysis of `article` from a worker's future (waits; re-raises a worker's error),
    its Docs rebuilt with this process's vocabulary."""
    portable: _Portable = future.result()
    docs = ParsedDocs.restored(pipeline.nlp, portable.paragraphs, portable.docs)
    return Analysis(article, portable.paragraphs, docs, portable.toponyms)
