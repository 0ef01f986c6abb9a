"""The sample corpus end to end: real spaCy pipeline, real gazetteer, real SQLite file."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from desktop.cli import main
from extraction.ingest import ingest_paths
from extraction.pipeline import Pipeline
from store.workspace import Workspace

pytestmark = [pytest.mark.model, pytest.mark.slow]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

TRUE_POSITIONS = {  # (lat, lon) of the places, from their Wikipedia articles
    "Vladivostok": (43.1155, 131.8855),
    "Pyongyang": (39.0339, 125.7543),
    "Moscow": (55.7558, 37.6173),
    "Vostochny Cosmodrome": (51.884, 128.334),
    "Berth 33": (43.112, 131.89),
    "Far Eastern Federal University": (43.025, 131.894),
}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    db = tmp_path_factory.mktemp("seeded") / "seeds.sqlite"
    with Workspace(db) as ws:
        report = ingest_paths([SEEDS], ws, pipeline)
    assert report.ok and len(report.added) == 5
    return db


@pytest.fixture(scope="module")
def geojson(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("export") / "events.geojson"
    assert main(["export", "--db", str(seeded), "--format", "geojson", "-o", str(out)]) == 0
    return json.loads(out.read_text())


def features_at(geojson: dict, place: str) -> list[dict]:
    return [f for f in geojson["features"] if f["properties"]["place"] == place]


@pytest.mark.parametrize("place", sorted(TRUE_POSITIONS))
def test_seed_places_are_at_their_true_positions(geojson: dict, place: str) -> None:
    features = features_at(geojson, place)
    assert features, f"{place} is not on the map"
    for f in features:
        lon, lat = f["geometry"]["coordinates"]
        assert km((lat, lon), TRUE_POSITIONS[place]) < 10


@pytest.mark.parametrize("place, start, end", [
    ("Vladivostok", "2023-09-10", "2023-09-14"),  # "meet in Vladivostok ... Sept. 10-14"
    ("Far Eastern Federal University", "2023-09-10", "2023-09-13"),  # the Forum
    ("Pyongyang", "2023-07-01", "2023-07-31"),          # Shoigu's visit
    ("Vostochny Cosmodrome", "2022-04-01", "2022-04-30"),  # Putin and Lukashenko
    ("North Korea", "2023-07-25", "2023-07-27"),        # "in July ... the 25th to the 27th"
])
def test_seed_events_carry_their_dates(geojson: dict, place: str, start: str, end: str) -> None:
    dates = [(f["properties"]["date_start"], f["properties"]["date_end"])
             for f in features_at(geojson, place)]
    assert (start, end) in dates


def test_forum_reports_merge_into_one_event(geojson: dict) -> None:
    """Two seeds put the leaders on the university's campus for the Forum of September 10-13:
    one event with both articles as sources."""
    (forum,) = [f for f in features_at(geojson, "Far Eastern Federal University")
                if f["properties"]["date_start"] == "2023-09-10"]
    assert forum["properties"]["date_end"] == "2023-09-13"
    documents = {s["document"] for s in forum["properties"]["sources"]}
    assert len(documents) == 2


def test_no_places_from_link_lines_bylines_or_bios(geojson: dict) -> None:
    places = {f["properties"]["place"] for f in geojson["features"]}
    passages = [s["passage"] for f in geojson["features"] for s in f["properties"]["sources"]]
    assert not places & {"Sweden", "Berlin", "Antarctica", "Australia", "Katerina"}
    assert not any(p.startswith(("Also Read", "I am David", "Source:")) for p in passages)
    kinds = {f["properties"]["kind"] for f in geojson["features"]}
    assert "person" not in kinds


def test_sources_point_at_the_mention(geojson: dict) -> None:
    """Every event is placed by a mention of one of its sources; a vaguer report that joined
    it without a place of its own has no mention offsets."""
    for f in geojson["features"]:
        placed = [s for s in f["properties"]["sources"] if s["mention_start"] is not None]
        assert placed, f["properties"]["title"]
        for s in placed:
            surface = s["passage"][s["mention_start"]:s["mention_end"]]
            assert surface and surface[0].isupper(), (f["properties"]["place"], surface)


def test_geojson_shape(geojson: dict) -> None:
    schema = json.loads((Path(__file__).parent / "geojson_events.schema.json").read_text())
    jsonschema.validate(geojson, schema)


def test_reingest_stores_nothing_new(seeded: Path, pipeline: Pipeline) -> None:
    with Workspace(seeded) as ws:
        before = ws.counts()
        report = ingest_paths([SEEDS], ws, pipeline)
        assert ws.counts() == before
    assert len(report.duplicates) == 5 and not report.added


@pytest.mark.parametrize("fmt", ["csv", "kml"])
def test_other_export_formats(seeded: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"events.{fmt}"
    assert main(["export", "--db", str(seeded), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text()
    assert "Vladivostok" in text and "Pyongyang" in text
    if fmt == "kml":
        from xml.etree import ElementTree as ET

        root = ET.fromstring(text)
        marks = root.findall(".//{http://www.opengis.net/kml/2.2}Placemark")
        assert len(marks) > 10
    else:
        import csv

        assert out.read_bytes().startswith(b"\xef\xbb\xbfevent_id,")  # a BOM, for Excel
        rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert {"event_id", "place", "lat", "lon", "date_start"} <= set(rows[0])


def test_bad_inputs_are_skipped_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "cp1252.txt").write_bytes(
        "Delegates met in Vladivostok on 10 September 2023 \u2014 the r\u00e9sum\u00e9 "
        "says so.".encode("cp1252"))
    (folder / "huge.txt").write_bytes(b"Vladivostok. " * 900_000)
    (folder / "ok.txt").write_text(
        "Kim Jong Un arrived in Vladivostok on September 12, 2023, by armored train.")
    db = tmp_path / "w.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "ingest", str(folder), str(tmp_path / "absent"),
         "--db", str(db), "--published", "2023-09-13"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    reasons = {Path(line.split(": ", 1)[0].removeprefix("skipped ")).name: line
               for line in lines if line.startswith("skipped ")}
    assert set(reasons) == {"empty.txt", "binary.txt", "huge.txt", "absent"}
    assert "empty file" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert "too large" in reasons["huge.txt"] and "no such file" in reasons["absent"]
    assert "2 added" in result.stdout
    with Workspace(db) as ws:
        places = {e.place for e in ws.events()}
    assert "Vladivostok" in places


def test_event_features_say_what_happened_who_and_whether(geojson: dict) -> None:
    visits = [f["properties"] for f in features_at(geojson, "Pyongyang")
              if f["properties"]["date_start"] == "2023-07-01"]
    assert any(p["event_type"] == "CONSULT" and p["status"] == "reported"
               and {"name": "Sergei Shoigu", "role": "source", "kind": "person"} in p["actors"]
               and "Shoigu" in p["title"] for p in visits), visits
    planned = [f["properties"] for f in features_at(geojson, "Berth 33")]
    assert planned and all(p["status"] == "planned" for p in planned)
    assert {f["properties"]["layer"] for f in geojson["features"]} == {"event"}


def test_the_planned_meeting_gathers_all_five_articles(geojson: dict) -> None:
    """Every seed reports the planned Kim–Putin meeting, some without a place or a date, some
    naming only Russia: one event in Vladivostok in September 2023 with sources from all five."""
    meetings = [f["properties"] for f in features_at(geojson, "Vladivostok")
                if f["properties"]["status"] == "planned"
                and f["properties"]["event_type"] == "CONSULT"]
    best = max(meetings, key=lambda p: len({s["document"] for s in p["sources"]}))
    assert best["date_start"][:7] == "2023-09"
    assert len({s["document"] for s in best["sources"]}) == 5
    assert {"Kim Jong-un", "Vladimir Putin"} <= {a["name"] for a in best["actors"]}
    # titled from a source that names the event's own place, not "... in Russia"
    assert "Kim Jong-un" in best["title"] and "Putin" in best["title"]
    assert best["title"].endswith("in Vladivostok"), best["title"]
