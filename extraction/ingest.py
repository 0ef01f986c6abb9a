"""Ingesting files into a workspace: read, skip duplicates, geoparse, store (a transaction each)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extraction.pipeline import Pipeline
from extraction.reading import (
    MAX_BYTES,
    ManifestEntry,
    collect_files,
    load_manifest,
    read_article,
)
from store.errors import InputError
from store.workspace import Workspace

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # done, total, current file


@dataclass
class IngestReport:
    added: list[tuple[str, int]] = field(default_factory=list)  # path, document id
    duplicates: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # path, one-line reason
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.skipped


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
) -> IngestReport:
    files, failed = plan_ingest(paths)
    report = IngestReport(skipped=list(failed))
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    for done, path in enumerate(files):
        if cancelled and cancelled():
            report.cancelled = True
            break
        if progress:
            progress(done, len(files), str(path))
        if path.name == "manifest.json":
            continue
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = load_manifest(folder)
        try:
            doc_id = ingest_file(path, workspace, pipeline, manifests[folder].get(path.name),
                                 published=published, max_bytes=max_bytes)
        except InputError as e:
            report.skipped.append((str(path), str(e)))
            continue
        except Exception as e:  # a bug must not stop the run nor lose the files after it
            log.exception("Failed on %s", path)
            report.skipped.append((str(path), f"internal error ({type(e).__name__}: {e})"))
            continue
        if doc_id is None:
            report.duplicates.append(str(path))
        else:
            report.added.append((str(path), doc_id))
    if progress and not report.cancelled:
        progress(len(files), len(files), "")
    return report


def ingest_file(
    path: Path, workspace: Workspace, pipeline: Pipeline, manifest: ManifestEntry | None = None,
    *, published: str | None = None, max_bytes: int = MAX_BYTES,
) -> int | None:
    """Ingest one file; the new document id, or None when its text is already stored."""
    article = read_article(path, manifest=manifest, published=published, max_bytes=max_bytes)
    if workspace.has_document(article.sha256):
        return None
    return workspace.add_document(pipeline.process(article))
