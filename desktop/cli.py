"""The `eventmap` command. Each command opens the workspace, calls one library function and turns
library errors into a one-line message and an exit status (0 ok, 1 something failed or was
skipped, 2 usage)."""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop.formatting import plural
from desktop.terminal import safe, safe_json, safe_lines
from store.errors import EventmapError
from store.models import EventRecord
from store.settings import default_db

log = logging.getLogger("eventmap")

TEXT_FORMATS = ("geojson", "csv", "kml")
VIEW_FORMATS = ("html", "png", "pdf")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", cmd_gui)
    try:
        return handler(args)
    except EventmapError as e:
        print(f"eventmap: {safe(e)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("eventmap: interrupted; everything stored before stays stored.", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventmap", description="Map geopolitical events from news articles, offline."
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the desktop app (the default command)")
    _add_db(gui)
    gui.set_defaults(handler=cmd_gui)

    ingest = sub.add_parser("ingest", help="add article files or folders to the workspace")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add_db(ingest)
    ingest.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                        help="publication date for files with none in a manifest")
    ingest.add_argument("--model", default=None, help="spaCy pipeline (package or folder)")
    ingest.add_argument("--max-size", type=_megabytes, default=10, metavar="MB",
                        help="skip files larger than this (default 10 MB)")
    ingest.add_argument("--workers", type=_workers, default=None, metavar="N",
                        help="processes reading articles with the language pipeline "
                        "(default: the machine's cores; 1: this process only)")
    _add_geocoder_args(ingest)
    ingest.set_defaults(handler=cmd_ingest)

    export = sub.add_parser("export", help="export events (geojson, csv, kml) or the map view")
    _add_db(export)
    export.add_argument("--format", required=True, choices=TEXT_FORMATS + VIEW_FORMATS)
    export.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    export.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD",
                        help="events that end on or after this day (undated events are kept "
                        "unless --no-undated)")
    export.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD",
                        help="events that start on or before this day (undated events are kept "
                        "unless --no-undated)")
    export.add_argument("--no-undated", action="store_true", help="leave undated events out")
    export.add_argument("--rows", choices=("events", "sources"), default="events",
                        help="csv: one row per event (default) or one per source passage")
    export.set_defaults(handler=cmd_export)

    geoparse = sub.add_parser("geoparse", help="print the resolved place mentions of files")
    geoparse.add_argument("files", nargs="+", type=Path, metavar="FILE")
    geoparse.add_argument("--format", choices=["jsonl"], default="jsonl")
    geoparse.add_argument("--model", default=None, help="spaCy pipeline (package or folder)")
    geoparse.set_defaults(handler=cmd_geoparse)

    events = sub.add_parser("events", help="print the events (who did what, where, when) of files")
    events.add_argument("files", nargs="+", type=Path, metavar="FILE")
    events.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                        help="publication date for files with none in a manifest")
    events.add_argument("--format", choices=["jsonl"], default="jsonl")
    events.add_argument("--model", default=None, help="spaCy pipeline (package or folder)")
    events.set_defaults(handler=cmd_events)

    summary = sub.add_parser("summary", help="print the events of the workspace")
    _add_db(summary)
    summary.add_argument("--all", action="store_true",
                         help="also the events whose text gives no place (off the map)")
    summary.set_defaults(handler=cmd_summary)
    return parser


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None,
                        help="workspace file (default: $EVENTMAP_DB or the user data folder)")


def _add_geocoder_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--geocoder", type=_geocoder_url, default=None,
                        metavar="offline|nominatim[:URL]",
                        help="look up names the offline gazetteer lacks on a Nominatim server "
                        "(opt-in; default offline; URL default https://nominatim.openstreetmap.org)")
    parser.add_argument("--user-agent", default=None, metavar="CONTACT",
                        help="your e-mail or web page, sent as 'Eventmap/VERSION (+CONTACT)' as "
                        "Nominatim's usage policy asks (default: the one set in the window)")


def _geocoder_url(value: str) -> str | None:
    from geo.nominatim import parse_geocoder_option

    try:
        return parse_geocoder_option(value)
    except EventmapError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def _online_geocoding(args: argparse.Namespace):
    """What makes the online geocoder --geocoder asks for, given the open workspace; None when
    offline. The contact is checked here, before the language model loads."""
    if args.geocoder is None:
        return None
    from geo.nominatim import load_settings, online_geocoder, user_agent

    contact = args.user_agent or load_settings().contact
    user_agent(contact)  # raises SettingsError, a one-line message, when it cannot be used
    return lambda ws: online_geocoder(args.geocoder, contact, ws)


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from e


def _workers(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 256:
        raise argparse.ArgumentTypeError(f"not a number of processes from 1 to 256: "
                                         f"{safe(value)!r}")
    return number


def _megabytes(value: str) -> float:
    """A positive, finite number of MB (inf, nan, 0 and negative numbers are usage errors)."""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number of MB, such as 10 or 0.5: "
                                         f"{safe(value)!r}")
    return number


def _print_notes(notes: list[tuple[str, str]]) -> None:
    """A manifest's bad entries, a file's encoding: one line each, on standard error."""
    for path, note in notes:
        print(f"{safe(path)}: {safe(note)}", file=sys.stderr)


def _workspace(args: argparse.Namespace, *, create: bool = True):
    """The workspace of --db; with create=False a missing one is refused, not made empty."""
    from store.workspace import Workspace

    return Workspace(args.db or default_db(), create=create)


def _pipeline(model: str | None):
    from extraction.nlp import DEFAULT_MODEL
    from extraction.pipeline import Pipeline

    return Pipeline(model or DEFAULT_MODEL)


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop.app import run_gui

    return run_gui(getattr(args, "db", None))


def cmd_ingest(args: argparse.Namespace) -> int:
    from desktop.progress import console_progress
    from extraction.ingest import ingest_paths
    from extraction.parallel import default_workers
    from extraction.reading import MB

    logging.getLogger("extraction.manifest").setLevel(logging.ERROR)  # printed as notes below
    online = _online_geocoding(args)
    pipeline = _pipeline(args.model)
    with _workspace(args) as ws, console_progress() as progress:
        pipeline.geocoder = online(ws) if online else None  # one per run: it needs the workspace
        report = ingest_paths(args.paths, ws, pipeline, published=args.published,
                              max_bytes=max(1, int(args.max_size * MB)), progress=progress,
                              workers=args.workers or default_workers())
        counts = ws.counts()
    _print_notes(report.notes)
    for path, reason in report.skipped:
        print(safe(f"skipped {path}: {reason}"), file=sys.stderr)
    print(
        f"{len(report.added)} added, {len(report.duplicates)} already stored, "
        f"{len(report.skipped)} skipped. Workspace: {counts.documents} documents, "
        f"{counts.places} places, {counts.events} events ({counts.dated_events} dated, "
        f"{counts.off_map} without a place)."
    )
    _print_guessed_dates(report)
    if report.stopped:  # a full disk or a read-only workspace: says how to resume
        print(f"eventmap: {safe(report.stopped)}", file=sys.stderr)
    return 0 if report.ok else 1


def _print_guessed_dates(report) -> None:
    """Say how many documents got the file's time as their publication date (item 5 of issue
    9); IngestReport.guessed_dates lists their paths."""
    guessed = len(getattr(report, "guessed_dates", None) or [])
    if guessed:
        print(f"{guessed} document{'s have' if guessed > 1 else ' has'} a guessed date (the "
              "file's time): give --published YYYY-MM-DD or a manifest.json to set them",
              file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.exports import ExportError, check_output

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise ExportError(f"--from {args.date_from} is after --to {args.date_to}.")
    if args.rows != "events" and args.format != "csv":
        raise ExportError("--rows is for --format csv.")
    if args.format in VIEW_FORMATS:
        if args.output is None:
            print("eventmap: --format png|pdf|html needs -o FILE", file=sys.stderr)
            return 2
        from desktop.snapshot import export_view

        check_output(args.output)
        _workspace(args, create=False).close()  # refuse a missing workspace: make no empty one
        export_view(args.db or default_db(), args.format, args.output, args.date_from,
                    args.date_to, include_undated=not args.no_undated)
        return 0
    from geo.export import WRITERS

    if args.output:
        check_output(args.output)
    with _workspace(args, create=False) as ws:
        events = ws.events(args.date_from, args.date_to, include_undated=not args.no_undated)
    options = {"rows": args.rows} if args.format == "csv" else {}
    if args.output:
        from desktop.exports import write_events

        write_events(events, args.format, args.output, **options)
        return 0
    text = WRITERS[args.format](events, **options)
    text = safe_lines(text) if sys.stdout.isatty() else text  # titles come from articles
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_geoparse(args: argparse.Namespace) -> int:
    from extraction.chunks import CHUNK
    from extraction.pipeline import resolved_mentions
    from extraction.reading import Manifest, decoding_notes, load_manifest, read_article
    from geo.outlets import OutletHomes

    logging.getLogger("extraction.manifest").setLevel(logging.ERROR)  # printed as notes below
    pipeline = _pipeline(args.model)
    status = 0
    read = []
    manifests: dict[Path, Manifest] = {}
    for path in args.files:
        if path.parent not in manifests:
            manifest = manifests[path.parent] = load_manifest(path.parent)
            _print_notes([(str(manifest.path), w) for w in manifest.warnings])
        try:
            article = read_article(path, manifest=manifests[path.parent].get(path.name))
        except EventmapError as e:
            print(safe(f"skipped {path}: {e}"), file=sys.stderr)
            status = 1
            continue
        _print_notes([(str(path), note) for note in decoding_notes(article)])
        read.append((path, article))
    homes = OutletHomes(pipeline.gazetteer)
    documents = pipeline.process_many([a for _, a in read], homes, chunk=CHUNK)
    for (path, _), document in zip(read, documents, strict=True):
        for m in resolved_mentions(document):
            place = m.place
            print(safe_json(json.dumps({
                "file": str(path), "start": m.start, "end": m.end, "text": m.text,
                "name": place.name, "lat": place.lat, "lon": place.lon, "kind": place.kind,
                "country": place.country, "confidence": round(m.confidence, 3),
            }, ensure_ascii=False)))
    return status


def cmd_events(args: argparse.Namespace) -> int:
    from extraction.chunks import CHUNK
    from extraction.happenings import event_json, process_with_events
    from extraction.reading import load_manifest, read_article
    from geo.outlets import OutletHomes

    pipeline = _pipeline(args.model)
    status = 0
    read = []
    for path in args.files:
        try:
            manifest = load_manifest(path.parent).get(path.name)
            read.append((path, read_article(path, manifest=manifest, published=args.published)))
        except EventmapError as e:
            print(safe(f"skipped {path}: {e}"), file=sys.stderr)
            status = 1
    homes = OutletHomes(pipeline.gazetteer)
    results = process_with_events(pipeline, [a for _, a in read], homes, chunk=CHUNK)
    for (path, _), (_, events) in zip(read, results, strict=True):
        for event in events:
            print(safe_json(json.dumps(event_json(event, str(path)), ensure_ascii=False)))
    return status


def cmd_summary(args: argparse.Namespace) -> int:
    with _workspace(args, create=False) as ws:
        counts = ws.counts()
        events = ws.events(with_sources=False, located=None if args.all else True)
    print(f"{counts.documents} documents, {counts.passages} passages, {counts.places} places, "
          f"{counts.events} events ({counts.dated_events} dated, {counts.off_map} without a "
          "place)")
    for e in events:
        print("  " + summary_line(e))
    return 0


def summary_line(e: EventRecord) -> str:
    """One event in a line: when, what kind, whether it happened, its title, where, how many."""
    when = e.date_start if e.date_start == e.date_end else f"{e.date_start}..{e.date_end}"
    when = when if e.date_start else "undated"
    if e.guessed_dates:
        when += "?"
    where = "(no place)"
    if e.located:
        where = f"{e.place} ({e.kind}{', approximate' if e.approximate else ''})"
    sources = plural(e.source_count, "source")
    return (f"{when:<23} {e.type or '-':<11} {e.status:<12} {safe(e.title)} @ {safe(where)}, "
            f"{sources}")


if __name__ == "__main__":
    sys.exit(main())
