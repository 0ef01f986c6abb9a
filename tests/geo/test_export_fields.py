"""What the data exports carry beside the map's fields: ACLED precision codes, region names,
per-source rows, KML styles, data and time spans."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from xml.etree import ElementTree as ET

import pytest

from geo.export import SOURCE_COLUMNS, write_csv, write_kml
from geo.export_fields import admin1_name, geo_precision, join_fields, time_precision
from store.event_families import FAMILIES, family_of
from store.models import CATEGORIES, EventActor
from tests.geo.test_mapping import event, source

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.mark.parametrize(("kind", "approximate", "location", "code"), [
    ("city", False, "given", 1),
    ("spaceport", False, "given", 1),
    ("city", True, "given", 2),
    ("city", False, "inferred", 2),
    ("county", False, "given", 2),
    ("region", False, "given", 3),
    ("country", False, "given", 3),
    ("sea", False, "given", 3),
])
def test_geo_precision_follows_acled(kind: str, approximate: bool, location: str,
                                     code: int) -> None:
    e = replace(event(1, approximate=approximate), kind=kind, location=location)
    assert geo_precision(e) == code


@pytest.mark.parametrize(("start", "end", "code"), [
    ("2023-09-10", "2023-09-10", 1),
    ("2023-09-10", "2023-09-13", 2),
    ("2023-09-04", "2023-09-10", 2),
    ("2023-09-01", "2023-09-30", 3),
    ("2023-01-01", "2023-12-31", 3),
    (None, None, None),
])
def test_time_precision_follows_acled(start: str | None, end: str | None,
                                      code: int | None) -> None:
    assert time_precision(event(1, start=start, end=end)) == code


def test_regions_are_named_from_their_codes() -> None:
    assert admin1_name("RU", "59") == "Primorye"
    assert admin1_name("RU", None) is None and admin1_name(None, "59") is None
    assert admin1_name("RU", "no such code") is None


def test_every_category_has_one_family() -> None:
    assert {c for f in FAMILIES for c in f.categories} == set(CATEGORIES)
    assert sum(len(f.categories) for f in FAMILIES) == len(CATEGORIES)
    assert family_of(None).key == "other" and family_of("CONSULT").key == "meeting"


def test_one_csv_row_per_source_passage_with_its_offsets() -> None:
    passages = ["He will visit Vladivostok.", "=SUM(A1) Kim to travel to Vladivostok."]
    sources = tuple(replace(source(passage=p), passage_id=i, passage_start=100 * i,
                            trigger_start=3, trigger_end=7, path=f"a{i}.txt")
                    for i, p in enumerate(passages))
    rows = list(csv.DictReader(io.StringIO(write_csv([event(1, sources=sources)],
                                                     rows="sources"))))
    assert list(rows[0]) == SOURCE_COLUMNS and len(rows) == 2
    assert [r["path"] for r in rows] == ["a0.txt", "a1.txt"]
    assert rows[1]["passage"].startswith("'=SUM")  # neutralised, as in the event rows
    assert (int(rows[1]["passage_start"]), int(rows[1]["passage_end"])) == (
        100, 100 + len(passages[1]))
    assert rows[0]["mention_start"] == str(passages[0].find("Vladivostok"))


def test_csv_numbers_stay_numbers_and_text_carries_actors() -> None:
    e = replace(event(1, lon=-71.05, sources=(source(),)), type="CONSULT",
                actors=(EventActor(1, "Kim Jong Un", "person", "source"),))
    row = next(csv.DictReader(io.StringIO(write_csv([e]))))
    assert row["lon"] == "-71.05"  # a number, not a neutralised "'-71.05"
    assert row["actors"] == "Kim Jong Un (source)" and row["family"] == "meeting"
    assert row["geo_precision"] == "1" and row["time_precision"] == "2"


def test_kml_keeps_every_field_a_style_per_family_and_status_and_the_last_day() -> None:
    one_day = replace(event(2, start="2023-09-12", end="2023-09-12", sources=(source(),)),
                      type="ASSAULT", status="planned")
    root = ET.fromstring(write_kml([event(1, sources=(source(),)), one_day]))
    styles = {s.get("id") for s in root.iter(f"{KML}Style")}
    assert {"meeting-reported", "attack-planned", "other-denied"} <= styles
    first, second = root.iter(f"{KML}Placemark")
    data = {d.get("name"): d.findtext(f"{KML}value") for d in first.iter(f"{KML}Data")}
    assert set(join_fields(event(1))) <= set(data)
    assert data["date_end"] == "2023-09-13" and data["sources"].startswith("UNIAN, 2023-09-04")
    span = first.find(f"{KML}TimeSpan")
    assert (span.findtext(f"{KML}begin"), span.findtext(f"{KML}end")) == (
        "2023-09-10", "2023-09-14")  # KML's end is an instant: the day after the last
    assert second.find(f"{KML}TimeStamp").findtext(f"{KML}when") == "2023-09-12"
    assert second.findtext(f"{KML}styleUrl") == "#attack-planned"
