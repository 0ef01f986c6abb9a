"""The seeds' exports as the tools analysts use read them (GDAL's ogr2ogr for QGIS and Google
Earth's KML), ids that survive another ingest order, and the export command's errors."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from extraction.ingest import ingest_paths
from extraction.pipeline import Pipeline
from store.workspace import Workspace
from tests.conftest import SEEDS

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    db = tmp_path_factory.mktemp("seeded") / "seeds.sqlite"
    with Workspace(db) as ws:
        assert ingest_paths([SEEDS], ws, pipeline).ok
    return db


@pytest.fixture(scope="module")
def exported(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    out = {}
    for fmt in ("geojson", "kml", "csv"):
        out[fmt] = folder / f"events.{fmt}"
        assert main(["export", "--db", str(seeded), "--format", fmt, "-o", str(out[fmt])]) == 0
    return out


def ogr_fields(path: Path, *options: str) -> tuple[list[str], str]:
    """The field names ogrinfo reads from the file's first layer, and its full listing."""
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (Debian's gdal-bin) is not installed: .ci/system-packages "
                    "installs it where it may")
    listing = subprocess.run(["ogrinfo", "-ro", "-al", *options, str(path)], check=True,
                             capture_output=True, text=True, timeout=120).stdout
    names = [line.split(":")[0].strip() for line in listing.splitlines()
             if line.startswith("  ") and " (" in line and ") =" in line]
    return list(dict.fromkeys(n.split(" (")[0] for n in names)), listing


def test_gdal_reads_every_geojson_field(exported: dict[str, Path]) -> None:
    features = json.loads(exported["geojson"].read_text())["features"]
    fields, listing = ogr_fields(exported["geojson"])
    assert set(features[0]["properties"]) <= set(fields)
    assert f"Feature Count: {len(features)}" in listing or listing.count("OGRFeature") == len(
        features)


def test_gdal_reads_every_kml_field_and_the_last_day(exported: dict[str, Path]) -> None:
    features = json.loads(exported["geojson"].read_text())["features"]
    fields, listing = ogr_fields(exported["kml"])
    assert {"event_uid", "event_type", "status", "actors", "kind", "country", "precision_km",
            "date_precision", "geo_precision", "time_precision", "sources", "documents"} <= set(
        fields)
    spans = [f["properties"] for f in features
             if f["properties"]["date_start"] not in (None, f["properties"]["date_end"])]
    assert spans, "the seeds have multi-day events"
    for p in spans:  # the KML's end instant is the day after the last: the last day is kept
        block = listing.split(f"event_uid (String) = {p['event_uid']}")[0].rsplit(
            "OGRFeature", 1)[1]
        last = p["date_end"].replace("-", "/")
        end = next(line for line in block.splitlines() if line.strip().startswith("end ("))
        assert end.split("= ")[1][:10] > last


def test_gdal_reads_the_csv_as_points_with_every_column(exported: dict[str, Path]) -> None:
    with exported["csv"].open(encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    fields, listing = ogr_fields(exported["csv"], "-oo", "X_POSSIBLE_NAMES=lon",
                                 "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "AUTODETECT_TYPE=YES")
    assert set(header) - {"lat", "lon"} <= set(fields) and "POINT (131." in listing
    assert "lon (Real)" in listing and "event_id (Integer)" in listing


def test_event_uids_are_the_same_in_a_workspace_built_in_another_order(
        seeded: Path, tmp_path: Path, pipeline: Pipeline) -> None:
    other = tmp_path / "reversed.sqlite"
    with Workspace(other) as ws:
        for path in sorted(SEEDS.glob("*.txt"), reverse=True):
            assert ingest_paths([path], ws, pipeline).ok
        again = {(e.uid, e.type, e.status, e.place) for e in ws.events(located=None)}
    with Workspace(seeded) as ws:  # titles may differ: an actor is named as first written
        first = {(e.uid, e.type, e.status, e.place) for e in ws.events(located=None)}
    assert all(e[0].startswith("em-") for e in first)
    assert len({e[0] for e in first}) == len(first)
    shared = {e[0] for e in first} & {e[0] for e in again}
    assert len(shared) >= 0.9 * len(first)  # a merge may differ with the order of reports
    assert {e for e in first if e[0] in shared} == {e for e in again if e[0] in shared}


def test_source_rows_slice_their_articles(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "sources.csv"
    assert main(["export", "--db", str(seeded), "--format", "csv", "--rows", "sources",
                 "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    with Workspace(seeded) as ws:
        texts = {d.id: ws.document_text(d.id) for d in ws.documents()}
        assert len(rows) == sum(e.source_count for e in ws.events())
    for r in rows:
        start, end = int(r["passage_start"]), int(r["passage_end"])
        assert texts[int(r["document"])][start:end] == r["passage"].removeprefix("'")
        assert r["path"].endswith(".txt")


@pytest.mark.parametrize("args", [
    ["--format", "csv", "--from", "2023-10-01", "--to", "2023-09-01"],
    ["--format", "csv", "-o", "{tmp}"],
    ["--format", "kml", "-o", "{tmp}/no/such/folder/events.kml"],
    ["--format", "png", "-o", "{tmp}"],
    ["--format", "geojson", "--rows", "sources"],
])
def test_export_errors_are_one_line(seeded: Path, tmp_path: Path, args: list[str],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["export", "--db", str(seeded)] + [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    assert captured.err.startswith("eventmap: ")


def test_a_png_export_keeps_stderr_quiet(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    run = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "export", "--db", str(seeded),
         "--format", "png", "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and out.read_bytes().startswith(b"\x89PNG")
    assert run.stderr.strip() == ""


def test_a_snapshot_title_counts_the_articles_its_events_cite(seeded: Path) -> None:
    from desktop.snapshot import snapshot_title

    with Workspace(seeded) as ws:
        events = [e for e in ws.events() if e.place == "Vladivostok"]
        total = len(ws.documents())
    cited = {s.document_id for e in events for s in e.sources}
    assert 0 < len(cited) <= total
    title = snapshot_title(events[:1])
    documents = len({s.document_id for s in events[0].sources})
    assert title == (f"Eventmap — 1 event from {documents} article"
                     + ("s" if documents != 1 else ""))
