"""The binary columns the desktop map page reads (desktop.map_payload), decoded here as the
page decodes them (eventmap.js ``fromBinary``)."""

from __future__ import annotations

import json
from array import array

from desktop.map_payload import COLUMNS, day_key, day_text, encode_events
from store.event_families import family_of
from tests.geo.test_mapping import event


def decode(payload: bytes) -> tuple[dict, dict[str, list]]:
    length = int.from_bytes(payload[:4], "little")
    head = json.loads(payload[4:4 + length].decode("utf-8"))
    body = 4 + length + (-(4 + length) % 8)
    columns = {}
    for name, (page_type, offset) in head["columns"].items():
        assert (body + offset) % 8 == 0  # typed arrays need aligned offsets
        typecode = COLUMNS[name][0]
        width = array(typecode).itemsize
        start = body + offset
        columns[name] = array(typecode, payload[start:start + width * head["n"]]).tolist()
        assert page_type == COLUMNS[name][1]
    return head, columns


def test_every_event_field_the_page_reads_survives_the_trip() -> None:
    events = [
        event(1, "Vladivostok", 43.1155, 131.8855, "2023-09-10", "2023-09-13", type="CONSULT",
              status="planned", title="Kim to meet Putin", approximate=True),
        event(2, "Russia", 61.5, 105.3, None, None, kind="country", type="ASSAULT",
              title="Strikes “somewhere” — ünïcode"),
        event(3, "Vladivostok", 43.1155, 131.8855, "2023-09", None, title=""),
    ]
    head, cols = decode(encode_events(events))
    assert head["n"] == 3 and cols["id"] == [1, 2, 3]
    assert cols["lat"] == [e.lat for e in events] and cols["lon"] == [e.lon for e in events]
    assert [head["places"][i] for i in cols["place"]] == ["Vladivostok", "Russia", "Vladivostok"]
    assert cols["start"] == [20230910, 0, 20230900] and cols["end"] == [20230913, 0, 0]
    assert "startText" not in head  # every date writes back from its number
    assert [head["families"][i] for i in cols["family"]] == [
        family_of(e.type).key for e in events]
    assert [head["statuses"][i] for i in cols["status"]] == ["planned", "reported", "reported"]
    assert cols["title"][2] == -1
    assert [head["titles"][i] for i in cols["title"][:2]] == [e.title for e in events[:2]]
    assert cols["reported"][:1] == [-1] and head["reported"][cols["reported"][1]] == "2023-09-04"
    assert cols["km"][0] == 25.0 and cols["km"][1:] == [0.0, 0.0]
    assert cols["area"] == [0, 1, 0] and cols["akm"][1] == 25.0
    assert cols["cc"][0] == -1 and head["cc"][cols["cc"][1]] == "RU"


def test_dates_the_numbers_cannot_write_back_also_go_as_text() -> None:
    assert day_text(day_key("2023-09-10")) == "2023-09-10"
    assert day_text(day_key("2023")) == "2023" and day_key(None) == 0 and day_key("soon") == 0
    head, cols = decode(encode_events([event(1, start="2023-9-1", end=None)]))
    assert head["startText"] == ["2023-9-1"] and cols["start"] == [20239100]


def test_no_events() -> None:
    head, cols = decode(encode_events([]))
    assert head["n"] == 0 and all(v == [] for v in cols.values())


def test_a_workspace_s_rows_encode_as_its_records(seeds_db) -> None:
    """The map of a large workspace is encoded from its rows before the records are built
    (desktop.workspace_data): the same bytes as from the records, guessed dates included."""
    from desktop.map_payload import encode_rows
    from geo.mapping import is_area
    from store.workspace import Workspace

    with Workspace(seeds_db) as ws:
        ws.db.execute("UPDATE events SET guessed_dates = 1 WHERE id IN "
                      "(SELECT id FROM events WHERE date_start IS NOT NULL LIMIT 2)")
        rows = ws.located_event_rows()
        records = ws.events(with_sources=False)
    assert len(rows) == len(records) > 10
    assert any(e.guessed_dates for e in records) and any(is_area(e) for e in records)
    assert encode_rows(rows) == encode_events(records)
    with Workspace(seeds_db) as ws:
        assert ws.events_of_rows(ws.located_event_rows()) == ws.events(with_sources=False)
