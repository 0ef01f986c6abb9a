"""Ingesting files into a workspace: read, skip duplicates, geoparse, store.

Files go in chunks: the language pipeline reads a whole chunk first, so that where each outlet
usually reports (geo.outlets) is learned from the names of all its articles, stored and new,
before any of them is resolved. The finished documents are stored a group at a time, in one
transaction (store.document_group: each document whole or not at all), and count as added once
their group has committed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from extraction.chunks import CHUNK, chunk_size
from extraction.parsed import LIVE_TEXT
from extraction.pipeline import Analyses, Analysis, Pipeline
from extraction.reading import (
    MAX_BYTES,
    Manifest,
    RawArticle,
    collect_files,
    decoding_notes,
    load_manifest,
    read_article,
)
from geo.outlets import RECENT, OutletHomes
from store.document_group import Stored
from store.errors import (
    InputError,
    ReadOnlyWorkspaceError,
    StorageFullError,
    WorkspaceWriteError,
)
from store.held import without_workspace_files
from store.models import Document
from store.workspace import Workspace

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # done, total, current file
# Files go in chunks of CHUNK, fewer at the end (extraction.chunks), or fewer still: a chunk
# closes once its articles hold this many characters of text (an
# Analysis holds about 8 bytes per character until finished; the chunk's first LIVE_TEXT
# characters keep their Docs live, about 30 bytes each: extraction.parsed)
CHUNK_TEXT = 20_000_000
# Finished documents stored in one transaction: up to STORE_GROUP of them, or those finished
# within STORE_SECONDS (what a killed process may lose, unreported). A commit per document cost
# a quarter of the storing; groups of 10, 50 and 100 stored the development corpora in 1.78,
# 1.63 and 1.63 CPU s, against 1.9 (store.document_group)
STORE_GROUP = 50
STORE_SECONDS = 0.5


@dataclass
class IngestReport:
    added: list[tuple[str, int]] = field(default_factory=list)  # path, document id
    duplicates: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # path, one-line reason
    # path, one line the user should see: a manifest's bad entries, a file's decoding
    notes: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    # Why the ingest stopped before the end (a full disk, a read-only workspace), in one line
    # that says how to resume; None when it went through.
    stopped: str | None = None
    # added documents whose publication date is only the file's modification time
    guessed_dates: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.stopped


def plan_ingest(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files an ingest would read, and the paths already known to fail (no I/O on files)."""
    files, failed = collect_files([Path(p) for p in paths])
    return files, [(str(p), reason) for p, reason in failed]


def ingest_paths(
    paths: Iterable[str | Path],
    workspace: Workspace,
    pipeline: Pipeline,
    *,
    published: str | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int = 1,
) -> IngestReport:
    """Read, analyse and store the files under `paths`. With `workers` > 1 the language
    pipeline runs in that many processes (extraction.parallel) and the result is the same."""
    files, failed = plan_ingest(paths)
    report = IngestReport(skipped=list(failed))
    if workspace.read_only:  # nothing could be stored: analyse nothing
        report.stopped = _stopped_message(ReadOnlyWorkspaceError(workspace.path), report)
        return report
    files = [f for f in files if f.name != "manifest.json"]
    files, own = without_workspace_files(files, workspace.path)  # reading them drops its locks
    for f in own:
        report.skipped.append((str(f), "this is the workspace itself (or its journal): not read"))
    run = _Run(workspace, pipeline, report, outlet_homes(workspace, pipeline), progress,
               len(files), cancelled)
    chunks = _read_chunks(files, workspace, report, published, max_bytes, cancelled)
    pool = _pool(pipeline, workers, len(files))
    try:
        pending: tuple[_Chunk, list | None] | None = None
        for chunk in chunks:
            # the workers analyse this chunk while this process finishes the one before
            started = pool.submit(a for _, _, a in chunk if a is not None) if pool else None
            if pending is not None:
                run.finish(*pending)
            pending = (chunk, started)
            if report.stopped or report.cancelled:
                break
        if pending is not None and not (report.stopped or report.cancelled):
            run.finish(*pending)
    finally:
        if pool is not None:
            pool.close()
    if progress and not (report.cancelled or report.stopped):
        progress(len(files), len(files), "")
    return report


# index among the files, path, article (None: a duplicate or unreadable file, for progress)
_Chunk = list[tuple[int, Path, RawArticle | None]]


def _pool(pipeline: Pipeline, workers: int, files: int):
    """Worker processes for the analyses, or None to analyse here (one worker, a pipeline not
    loaded by model name, or too few files to pay for starting processes)."""
    if workers <= 1 or pipeline.model is None or files < 2 * workers:
        return None
    from extraction.parallel import AnalysisPool

    return AnalysisPool(pipeline, workers)


def _read_chunks(files: list[Path], workspace: Workspace, report: IngestReport,
                 published: str | None, max_bytes: int,
                 cancelled: Callable[[], bool] | None) -> Iterator[_Chunk]:
    """The new articles, read in chunks of at most CHUNK files or CHUNK_TEXT characters;
    duplicates and unreadable files go to the report. Stops when cancelled."""
    manifests: dict[Path, Manifest] = {}
    seen: set[str] = set()
    first = 0
    while first < len(files):
        chunk: _Chunk = []
        held = 0  # characters of text the chunk's analyses will hold
        following = first
        for done, path in enumerate(files[first:first + chunk_size(len(files) - first, CHUNK)],
                                    start=first):
            if held >= CHUNK_TEXT:
                break
            following = done + 1
            if cancelled and cancelled():
                report.cancelled = True
                break
            folder = path.parent
            if folder not in manifests:
                manifest = manifests[folder] = load_manifest(folder)
                report.notes.extend((str(manifest.path), w) for w in manifest.warnings)
            chunk.append((done, path, None))
            with _recorded(report, path):
                article = read_article(path, manifest=manifests[folder].get(path.name),
                                       published=published, max_bytes=max_bytes)
                if article.sha256 in seen or workspace.has_document(article.sha256):
                    report.duplicates.append(str(path))
                    continue
                seen.add(article.sha256)
                report.notes.extend((str(path), note) for note in decoding_notes(article))
                chunk[-1] = (done, path, article)
                held += len(article.text)
        if chunk:
            yield chunk
        if report.cancelled or report.stopped:
            return
        first = following


@dataclass
class _Run:
    """What finishing a chunk needs: the workspace, the pipeline, the report, the homes."""

    workspace: Workspace
    pipeline: Pipeline
    report: IngestReport
    homes: OutletHomes
    progress: Progress | None
    total: int
    cancelled: Callable[[], bool] | None = None

    def finish(self, chunk: _Chunk, started: list | None) -> None:
        """Analyse the chunk here (or take the workers' analyses), learn its outlets' homes,
        then resolve and store each article in order. Cancel stops the analyses and the
        finishing (the documents finished so far are stored, each whole); what was stored is
        kept. The analyses of a chunk come in bursts (a parse batch spans articles), so the
        finishing checks too."""
        report, pipeline = self.report, self.pipeline
        analysed: list[tuple[Path, Analysis]] = []
        futures = iter(started or ())
        articles = [a for _, _, a in chunk if a is not None]
        here = Analyses(pipeline, articles, LIVE_TEXT) if started is None else None
        for done, path, article in chunk:
            if self.cancelled and self.cancelled():
                report.cancelled = True
                break
            if self.progress:
                self.progress(done, self.total, str(path))
            if article is None:
                continue
            with _recorded(report, path):
                if here is not None:
                    analysis = here.next()
                else:
                    from extraction.parallel import restore

                    analysis = restore(pipeline, article, next(futures))
                analysed.append((path, analysis))
        for _, analysis in analysed:
            self.homes.add(analysis.article.outlet, analysis.names)
        self._finish_and_store(analysed)

    def _finish_and_store(self, analysed: list[tuple[Path, Analysis]]) -> None:
        """Resolve the analysed articles and build their documents, in order, storing them a
        group at a time. Cancel stops after the document being finished; the documents
        finished so far are still stored."""
        report, pipeline = self.report, self.pipeline
        finished: list[tuple[Path, RawArticle, Document]] = []
        opened = time.monotonic()  # when the group's first document was finished
        for path, analysis in analysed:
            if report.stopped:
                break
            with _recorded(report, path):
                document = pipeline.finish(analysis, self.homes.home(analysis.article.outlet))
                if not finished:
                    opened = time.monotonic()
                finished.append((path, analysis.article, document))
            if len(finished) >= STORE_GROUP or time.monotonic() - opened >= STORE_SECONDS:
                self.store(finished)
                finished = []
            if self.cancelled and self.cancelled():
                report.cancelled = True
                break
        self.store(finished)

    def store(self, finished: list[tuple[Path, RawArticle, Document]]) -> None:
        """Store finished documents in one transaction; only then are they reported added (or
        duplicates, or skipped with what kept each one out). When the transaction fails as a
        whole, none of them is stored, and a WorkspaceWriteError stops the ingest."""
        if not finished:
            return
        try:
            outcomes = self.workspace.add_documents([d for _, _, d in finished])
        except Exception as e:  # what _recorded makes of it, for each document of the group
            outcomes = [Stored(error=e)] * len(finished)
        report = self.report
        for (path, article, _), stored in zip(finished, outcomes, strict=True):
            with _recorded(report, path):
                if stored.error is not None:
                    raise stored.error
                if stored.document_id is None:
                    report.duplicates.append(str(path))
                else:
                    report.added.append((str(path), stored.document_id))
                    if article.published_source == "file time":
                        report.guessed_dates.append(str(path))


def outlet_homes(workspace: Workspace, pipeline: Pipeline) -> OutletHomes:
    """Each outlet's names so far, from the documents the workspace holds."""
    homes = OutletHomes(pipeline.gazetteer)
    for outlet, names in workspace.outlet_names(RECENT):
        homes.add(outlet, names)
    return homes


@contextmanager
def _recorded(report: IngestReport, path: Path) -> Iterator[None]:
    """A file's failure goes to the report; the files after it still go in, unless no write can
    succeed now (a full disk, a read-only workspace): then the ingest stops (report.stopped)."""
    try:
        yield
    except WorkspaceWriteError as e:
        report.stopped = _stopped_message(e, report)
    except InputError as e:
        report.skipped.append((str(path), str(e)))
    except Exception as e:  # a bug must not stop the run nor lose the files after it
        log.exception("Failed on %s", path)
        report.skipped.append((str(path), f"internal error ({type(e).__name__}: {e})"))


def _stopped_message(error: WorkspaceWriteError, report: IngestReport) -> str:
    """One line: what stopped the ingest, what is kept, and how to resume."""
    fix = ("free some space" if isinstance(error, StorageFullError)
           else "make the workspace writable")
    kept = (f"the {len(report.added)} document(s) it stored are kept" if report.added
            else "nothing was stored")
    return (f"{error} The import stopped; {kept}. To resume, {fix} and run the same import "
            "again: documents already stored are skipped.")
