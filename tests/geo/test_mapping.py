"""The map page without Qt: basemap tiles, border lines, compact events, the standalone page."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from geo import basemap, folium_page, mapping, page_file
from geo.borders import borders_geojson, split_at_antimeridian, topojson_to_lines
from store.models import EventRecord, EventSource

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "</script><!--"]


def event(id_: int, place: str = "Vladivostok", lat: float = 43.1155, lon: float = 131.8855,
          start: str | None = "2023-09-10", end: str | None = "2023-09-13", *,
          approximate: bool = False, sources: tuple[EventSource, ...] = (), kind: str = "city",
          **fields: object) -> EventRecord:
    return EventRecord(
        id=id_, place_id=id_, place=place, kind=kind, lat=lat, lon=lon, country="RU",
        precision_km=25.0, approximate=approximate, date_start=start, date_end=end,
        date_text="September 10-13" if start else None, date_precision="range" if start else None,
        reported="2023-09-04", source_count=max(len(sources), 1), sources=sources, **fields,
    )


def source(title: str = "Kim to visit Putin", passage: str = "He will visit Vladivostok.",
           outlet: str | None = "UNIAN") -> EventSource:
    start = max(passage.find("Vladivostok"), 0)
    return EventSource(document_id=1, title=title, outlet=outlet, published="2023-09-04",
                       passage_id=7, passage=passage, passage_start=0, mention_start=start,
                       mention_end=start + len("Vladivostok"))


class Tags(HTMLParser):
    """The src/href of every script and link element (script bodies are not parsed as tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if tag in ("script", "link", "img", "iframe") and name in ("src", "href") and value:
                self.urls.append(value)


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def embedded(html: str, name: str) -> dict:
    match = re.search(rf"window\.{name} = (.*?);\n", html, re.S)
    assert match, name
    return json.loads(match.group(1))


# -- basemap ---------------------------------------------------------------------------------


def test_tiles_flip_y_from_tms_rows() -> None:
    bm = basemap.shared_basemap()
    raw = sqlite3.connect(f"{bm.path.as_uri()}?mode=ro&immutable=1", uri=True)
    for z, x, y in [(0, 0, 0), (1, 0, 0), (1, 1, 1), (3, 6, 2), (6, 55, 23)]:
        row = raw.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            [z, x, (1 << z) - 1 - y],
        ).fetchone()
        assert bm.tile(z, x, y) == bytes(row[0])
    assert bm.tile(1, 0, 0) != bm.tile(1, 0, 1)  # north and south differ
    assert bm.tile(0, 0, 0).startswith(b"\x89PNG\r\n\x1a\n")
    assert bm.tile(7, 0, 0) is None and bm.tile(2, 4, 0) is None and bm.tile(2, 0, -1) is None


def test_vladivostok_lies_in_the_expected_tile() -> None:
    # Web Mercator by hand: at zoom 6, x = (131.8855 + 180) / 360 * 64 = 55.4, y = 23.6.
    assert basemap.lonlat_to_tile(131.8855, 43.1155, 6) == (55, 23)
    assert basemap.lonlat_to_tile(-180, 85.06, 3) == (0, 0)
    assert basemap.lonlat_to_tile(180, -85.06, 3) == (7, 7)


def test_basemap_attribution_and_missing_file(tmp_path) -> None:
    assert basemap.shared_basemap().metadata()["attribution"] == basemap.ATTRIBUTION
    with pytest.raises(basemap.BasemapError):
        basemap.Basemap(tmp_path / "nothing.mbtiles")


# -- borders ---------------------------------------------------------------------------------


def test_a_line_across_the_antimeridian_is_split_there() -> None:
    parts = split_at_antimeridian([(170.0, 60.0), (-170.0, 62.0), (-160.0, 62.0)])
    assert parts == [[(170.0, 60.0), (180.0, 61.0)], [(-180.0, 61.0), (-170.0, 62.0),
                                                      (-160.0, 62.0)]]
    # Pieces along the cut itself (±180°) or along the south pole are dropped.
    assert split_at_antimeridian([(180.0, 10.0), (180.0, 11.0)]) == []
    assert split_at_antimeridian([(10.0, -89.9), (20.0, -89.9)]) == []


@pytest.mark.parametrize("resolution", ["110m", "50m"])
def test_border_lines_never_jump_across_the_world(resolution: str) -> None:
    lines = borders_geojson(resolution)
    kinds = {f["properties"]["kind"]: f["geometry"]["coordinates"] for f in lines["features"]}
    assert set(kinds) == {"border", "coast"}
    longest = max(
        abs(a[0] - b[0]) for coords in kinds.values() for line in coords
        for a, b in zip(line, line[1:], strict=False)
    )
    assert longest < 180
    assert longest < 20  # nothing close to a streak either
    # Chukotka is still there on both sides of the antimeridian.
    coast = [p for line in kinds["coast"] for p in line if 64 < p[1] < 72]
    assert any(p[0] > 179 for p in coast) and any(p[0] < -179 for p in coast)


def test_shared_arcs_are_borders_and_single_arcs_coasts() -> None:
    topology = {
        "type": "Topology",
        "arcs": [[[0, 0], [0, 10]], [[0, 10], [10, 10], [10, 0], [0, 0]],
                 [[0, 0], [-10, 0], [-10, 10], [0, 10]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]]}, {"type": "Polygon", "arcs": [[~0, 2]]}]}},
    }
    lines = {f["properties"]["kind"]: f["geometry"]["coordinates"]
             for f in topojson_to_lines(topology)["features"]}
    assert lines["border"] == [[[0, 0], [0, 10]]]
    assert len(lines["coast"]) == 2


# -- events as data --------------------------------------------------------------------------


def test_events_reach_the_page_compact_and_without_passages() -> None:
    events = [
        event(1, sources=(source(), source())),
        event(2, "Somewhere near Berth 33", 43.11, 131.89, None, None, approximate=True),
    ]
    fc = mapping.events_geojson(events)
    first, second = fc["features"]
    assert first == {
        "type": "Feature", "id": 1,
        "geometry": {"type": "Point", "coordinates": [131.8855, 43.1155]},
        "properties": {"place": "Vladivostok", "kind": "city", "count": 2, "docs": 0,
                       "family": "other", "status": "reported", "title": "",
                       "start": "2023-09-10", "end": "2023-09-13"},
    }
    assert second["properties"] == {"place": "Somewhere near Berth 33", "kind": "city",
                                     "count": 1, "docs": 0, "family": "other",
                                     "status": "reported", "title": "",
                                     "reported": "2023-09-04", "approx": True, "km": 25.0}
    assert "He will visit" not in json.dumps(fc)
    with_sources = mapping.events_geojson(events, with_sources=True)
    assert with_sources["features"][0]["properties"]["sources"][0]["passage"].startswith("He")


def test_the_desktop_page_gets_events_as_columns() -> None:
    events = [
        event(1, sources=(source(), source()), type="CONSULT", status="planned",
              title="Kim to meet Putin", document_count=2),
        event(2, "Vladivostok", 43.1, 131.9, "2023-09-10", "2023-09-10", type="AGREE",
              title="Russia and North Korea agree", document_count=1),
        event(3, "Russia", 61.5, 105.3, None, None, kind="country", type="CONSULT",
              status="hypothetical", title="Kim to meet Putin", document_count=1),
    ]
    columns = mapping.events_columns(events)
    assert columns == {
        "id": [1, 2, 3], "lat": [43.1155, 43.1, 61.5], "lon": [131.8855, 131.9, 105.3],
        "place": [0, 0, 1], "places": ["Vladivostok", "Russia"],
        "count": [2, 1, 1], "start": ["2023-09-10", "2023-09-10", None],
        "end": ["2023-09-13", None, None], "reported": [None, None, "2023-09-04"],
        "km": [0, 0, 0], "akm": [0, 0, 25.0], "docs": [2, 1, 1],
        "family": [0, 1, 0], "families": ["meeting", "agreement"],
        "status": [columns["statuses"].index(s) for s in ("planned", "reported",
                                                             "hypothetical")],
        "statuses": columns["statuses"],
        "title": [0, 1, 0], "titles": ["Kim to meet Putin", "Russia and North Korea agree"],
        "area": [0, 0, 1], "cc": [None, None, "RU"],
    }
    assert set(columns["statuses"]) == {"reported", "planned", "hypothetical", "denied"}
    assert mapping.events_columns([]) == {key: [] for key in columns if key != "statuses"} | {
        "statuses": columns["statuses"]}


def test_script_json_cannot_close_the_script_element() -> None:
    text = mapping.script_json({"a": HOSTILE, "b": "\u2028"})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": HOSTILE, "b": "\u2028"}


# -- the pages -------------------------------------------------------------------------------


def test_desktop_page_loads_everything_from_the_app_scheme() -> None:
    html = folium_page.page_html()
    urls = parse(html).urls
    assert urls and all(u.startswith(("eventmap://app/", "qrc:///")) for u in urls), urls
    assert "cdn" not in html and "https://tile" not in html.split("eventmap.init")[0]
    assert '"maxZoom": 16' in html and "eventmap.init(map_main" in html
    for url in urls:
        if url.startswith(mapping.APP_URL):
            assert mapping.serve(url[len(mapping.APP_URL):]) is not None, url


PAGE_WITHOUT_FOLIUM = """
import sys
from pathlib import Path
from geo import page_file
page = page_file.page_from((Path(sys.argv[1]), Path(sys.argv[2])))
print(len(page), "folium" in sys.modules)
"""


def read_page(prebuilt: Path, cache: Path) -> list[str]:
    """(the page's length, whether folium was imported) of a new process reading the page."""
    done = subprocess.run([sys.executable, "-c", PAGE_WITHOUT_FOLIUM, str(prebuilt), str(cache)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout.split()


def test_the_desktop_page_is_built_once_and_served_without_folium(tmp_path: Path) -> None:
    prebuilt, cache = tmp_path / "prebuilt", tmp_path / "cache"
    first = read_page(prebuilt, cache)
    cached = list(cache.glob("map-page-*.html"))
    assert len(cached) == 1 and cached[0].stem == f"map-page-{page_file.page_key()}"
    assert cached[0].read_text(encoding="utf-8") == folium_page.page_html()
    assert first[1] == "True"  # the first start builds it with folium
    assert read_page(prebuilt, cache) == [first[0], "False"]
    assert not list(cache.glob("*.part")) and not prebuilt.exists()


def test_a_prebuilt_page_is_read_without_folium_and_without_a_cache(tmp_path: Path) -> None:
    """`make setup` builds the page: the app's very first start reads it."""
    prebuilt, cache = tmp_path / "prebuilt", tmp_path / "cache"
    prebuilt.mkdir()
    (prebuilt / "map-page-0123456789abcdef.html").write_text("an older builder's page")
    path = page_file.build_prebuilt(prebuilt)
    assert [p.name for p in prebuilt.iterdir()] == [page_file.page_name()] == [path.name]
    assert path.read_text(encoding="utf-8") == folium_page.page_html()
    assert read_page(prebuilt, cache) == [str(path.stat().st_size), "False"]
    assert not cache.exists()
    assert mapping.serve(mapping.PAGE_PATH) == (page_file.page_bytes(), "text/html")


def test_serve_answers_tiles_and_files_and_nothing_else() -> None:
    data, mime = mapping.serve("tiles/6/55/23.png")
    assert mime == "image/png" and data == basemap.shared_basemap().tile(6, 55, 23)
    assert mapping.serve("tiles/9/0/0.png") is None
    assert mapping.serve("web/eventmap.js")[1] == "application/javascript"
    assert mapping.serve("web/leaflet-1.9.4/images/layers.png")[1] == "image/png"
    assert mapping.serve("web/../../pyproject.toml") is None
    assert mapping.serve("web/nothing.js") is None
    assert mapping.serve("borders.js")[0].startswith(b"window.EVENTMAP_BORDERS = {")


def test_standalone_page_is_offline_complete_and_reasonably_small() -> None:
    html = mapping.standalone_html([event(1, sources=(source(),))], title="Seeds",
                                   date_range="2023-09-01 – 2023-09-30")
    tags = parse(html)
    assert not [u for u in tags.urls if not u.startswith("data:")], tags.urls
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?:", html)
    assert len(html.encode("utf-8")) < 15_000_000
    tiles = embedded(html, "EVENTMAP_TILES")
    assert all(f"{z}/0/0" in tiles for z in mapping.STANDALONE_ZOOMS)
    assert len([k for k in tiles if k.startswith("4/")]) == 256
    assert any(k.startswith("6/55/23") for k in tiles)  # detail around the event
    assert embedded(html, "EVENTMAP_EVENTS")["features"][0]["properties"]["sources"]
    assert "<title>Seeds</title>" in html


def test_standalone_page_carries_hostile_text_only_as_data() -> None:
    events = [
        event(i + 1, name, sources=(source(title=name, passage=f"In {name} Vladivostok.",
                                           outlet=name),))
        for i, name in enumerate(HOSTILE)
    ]
    html = mapping.standalone_html(events, title=HOSTILE[0], date_range=HOSTILE[1])
    for text in HOSTILE:
        assert text not in html
    assert "<img" not in html.lower()
    assert "alert(1)</script>" not in html
    assert parse(html).tags.count("img") == 0
    data = embedded(html, "EVENTMAP_EVENTS")
    props = [f["properties"] for f in data["features"]]
    assert [p["place"] for p in props] == HOSTILE
    assert props[0]["sources"][0]["title"] == HOSTILE[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the <title>, escaped


def test_prebuilt_border_lines_are_read_first_and_rebuilt_when_stale(tmp_path: Path) -> None:
    """`make setup` writes the lines beside the TopoJSON (geo.borders.build_prebuilt); the app
    reads them there, else builds them once into its cache."""
    from geo.borders import build_prebuilt, lines_name, lines_text, topojson_path

    prebuilt, cache = tmp_path / "prebuilt", tmp_path / "cache"
    prebuilt.mkdir()
    stale = prebuilt / "countries-50m-lines-v0-0000000000000000.json"
    stale.write_text("{}", encoding="utf-8")
    written = build_prebuilt(prebuilt)
    assert sorted(p.name for p in prebuilt.iterdir()) == sorted(p.name for p in written)
    name = lines_name("50m", topojson_path("50m").read_bytes())
    built = (prebuilt / name).read_text(encoding="utf-8")
    assert json.loads(built)["type"] == "FeatureCollection"
    # read from the prebuilt folder: the cache is not written
    assert lines_text("50m", (prebuilt, cache)) == built and not cache.exists()
    (prebuilt / name).write_text('{"marker": 1}', encoding="utf-8")  # what is read is this file
    assert lines_text("50m", (prebuilt, cache)) == '{"marker": 1}'
    (prebuilt / name).unlink()  # none prebuilt: built and kept in the cache
    assert lines_text("50m", (prebuilt, cache)) == built
    assert (cache / name).read_text(encoding="utf-8") == built
