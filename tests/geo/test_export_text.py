"""Article text in CSV and KML exports stays text: no formulas, no live markup, valid XML."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET

from geo.export import csv_cell, write_csv, write_kml
from tests.geo.test_mapping import HOSTILE, event, source

KML = "{http://www.opengis.net/kml/2.2}"


def test_cells_that_start_like_formulas_are_neutralised() -> None:
    cases = {"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")", "+1": "'+1",
             "- Highway 200": "'- Highway 200", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
             "Vladivostok": "Vladivostok", "": ""}
    for given, written in cases.items():
        assert csv_cell(given) == written
    assert csv_cell(3) == 3


def test_a_csv_row_of_a_hostile_passage_holds_no_formula() -> None:
    hostile = source(title="=cmd|' /C calc'!A0", passage="- Highway 200 to Vladivostok.")
    rows = list(csv.reader(io.StringIO(write_csv([event(1, sources=(hostile,))]))))
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["documents"].startswith("'=") and cells["first_passage"].startswith("'-")
    assert not any(c.startswith(("=", "+", "-", "@")) for c in rows[1])


def test_kml_descriptions_escape_markup_and_drop_characters_xml_forbids() -> None:
    passages = [f"In Vladivostok {h} today." for h in HOSTILE] + ["Bad \x01\ufffe\uffff end."]
    events = [event(i + 1, sources=(source(passage=p),)) for i, p in enumerate(passages)]
    text = write_kml(events)
    root = ET.fromstring(text)  # parses: no forbidden character reached the file
    descriptions = [d.text for d in root.iter(f"{KML}description")]
    assert len(descriptions) == len(passages)
    for d in descriptions:
        assert "<script" not in d and "<img" not in d  # Google Earth's HTML sees text
        assert d.startswith("September 10-13 (1 source)<br>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in descriptions[0]
    assert "Bad \ufffd\ufffd\ufffd end." in descriptions[-1]
