"""The English vector basemap: the PMTiles file setup builds, its tiles, and how the app serves
them. Tiles are decoded here as Mapbox vector tiles with a small protobuf reader."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from geo import folium_page, mapping, page_config, vector_basemap
from geo import vector_basemap_build as build
from geo.basemap import lonlat_to_tile

VLADIVOSTOK = (131.8855, 43.1155)  # lon, lat


@pytest.fixture(scope="session")
def basemap_file() -> Path:
    """The file `make setup` builds; built here (about a minute) when it is missing."""
    path = vector_basemap.default_output()
    if not path.is_file():
        build.build(path)
    return path


@pytest.fixture
def bm(basemap_file: Path) -> vector_basemap.VectorBasemap:
    with vector_basemap.VectorBasemap(basemap_file) as opened:
        yield opened


# -- a minimal Mapbox vector tile reader (layers, their features' string properties) ------------


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, i
        shift += 7


def _fields(buf: bytes):
    """(field number, wire type, value) of a protobuf message; value is bytes for wire type 2."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            length, i = _varint(buf, i)
            value, i = buf[i:i + length], i + length
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, value


def decode_mvt(data: bytes) -> dict[str, list[dict]]:
    """{layer name: [feature properties]} with string and integer values."""
    layers: dict[str, list[dict]] = {}
    for number, _, layer in _fields(data):
        if number != 3:
            continue
        name, keys, values, features = "", [], [], []
        for n, _, v in _fields(layer):
            if n == 1:
                name = v.decode("utf-8")
            elif n == 2:
                features.append(v)
            elif n == 3:
                keys.append(v.decode("utf-8"))
            elif n == 4:
                value = None
                for vn, _, vv in _fields(v):
                    value = vv.decode("utf-8") if vn == 1 else vv
                values.append(value)
        props = []
        for feature in features:
            tags: list[int] = []
            for n, wire, v in _fields(feature):
                if n == 2 and wire == 2:
                    j = 0
                    while j < len(v):
                        tag, j = _varint(v, j)
                        tags.append(tag)
            props.append({keys[k]: values[t] for k, t in zip(tags[::2], tags[1::2], strict=True)})
        layers[name] = props
    return layers


def names_near(bm: vector_basemap.VectorBasemap, lon: float, lat: float, z: int,
               layer: str) -> list[str]:
    x, y = lonlat_to_tile(lon, lat, z)
    tile = bm.tile(z, x, y)
    assert tile, (z, x, y)
    return [p["name"] for p in decode_mvt(tile).get(layer, [])]


# -- the file ----------------------------------------------------------------------------------


def test_the_built_file_holds_four_layers_to_zoom_10(bm: vector_basemap.VectorBasemap) -> None:
    meta = bm.metadata()
    assert {layer["id"] for layer in meta["vector_layers"]} == set(vector_basemap.LAYERS)
    assert bm.header["min_zoom"] == 0 and bm.max_zoom == vector_basemap.MAX_ZOOM == 10
    assert meta["attribution"] == vector_basemap.ATTRIBUTION == "Natural Earth · GeoNames"
    assert bm.path.stat().st_size < 60_000_000
    assert "/" not in meta["generator_options"].split()[0]  # no machine's path in the file


def test_tiles_are_vector_tiles_with_english_names(bm: vector_basemap.VectorBasemap) -> None:
    data = bm.tile(8, *lonlat_to_tile(*VLADIVOSTOK, 8))
    assert data[:2] != b"\x1f\x8b"  # inflated: the page gets plain protobuf
    layers = decode_mvt(data)
    assert {"land", "cities"} <= set(layers)
    cities = names_near(bm, *VLADIVOSTOK, 8, "cities")
    assert "Vladivostok" in cities and "Ussuriysk" in cities
    assert all(build.is_latin(n) for n in cities), cities
    # Zoom 3 over East Asia: country names, big cities only.
    countries = names_near(bm, 103.0, 35.0, 3, "countries") + names_near(
        bm, 120.0, 55.0, 3, "countries")
    assert {"China", "Russia", "Mongolia"} <= set(countries)
    big = names_near(bm, 116.4, 39.9, 3, "cities")
    assert "Beijing" in big and "Vladivostok" not in names_near(bm, *VLADIVOSTOK, 3, "cities")


def test_every_label_of_a_region_is_latin_script(bm: vector_basemap.VectorBasemap) -> None:
    for z, lon, lat in ((4, 127.0, 37.5), (6, 129.5, 41.5), (10, *VLADIVOSTOK)):
        for layer in ("countries", "cities"):
            names = names_near(bm, lon, lat, z, layer)
            assert all(build.is_latin(n) for n in names), (z, names)


def test_tiles_outside_the_grid_are_none_and_open_sea_is_empty(
    bm: vector_basemap.VectorBasemap,
) -> None:
    assert bm.tile(11, 0, 0) is None
    assert bm.tile(3, 8, 0) is None and bm.tile(-1, 0, 0) is None
    assert bm.tile(8, *lonlat_to_tile(-140.0, -40.0, 8)) == b""  # the South Pacific


def test_a_missing_file_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(vector_basemap.VectorBasemapError, match="make setup"):
        vector_basemap.VectorBasemap(tmp_path / "english.pmtiles")


def test_serve_answers_vector_tiles_uncompressed(basemap_file: Path) -> None:
    x, y = lonlat_to_tile(*VLADIVOSTOK, 8)
    data, mime = mapping.serve(f"vtiles/8/{x}/{y}.pbf")
    assert mime == "application/x-protobuf"
    assert data == vector_basemap.shared_vector_basemap().tile(8, x, y)
    assert "Vladivostok" in [p["name"] for p in decode_mvt(data)["cities"]]
    assert mapping.serve("vtiles/11/0/0.pbf") is None
    assert mapping.serve("vtiles/8/999/0.pbf") is None
    assert mapping.serve("vtiles/8/1/1.png") is None


def test_the_page_loads_the_vector_basemap_by_default(basemap_file: Path) -> None:
    html = folium_page.page_html()
    assert "protomaps-leaflet-5.1.0/protomaps-leaflet.js" in html and "basemap.js" in html
    assert '"basemap":{"name":"english"' in html
    for _, path in page_config.BASEMAP_JS:
        assert mapping.serve(mapping.WEB_DIR + path) is not None, path
    # The standalone export keeps its embedded raster tiles and loads no vector script.
    assert "basemap.js" not in folium_page.build_map(embedded_tiles=True).get_root().render()


# -- the build ---------------------------------------------------------------------------------


def test_latin_script_check() -> None:
    assert build.is_latin("Vladivostok") and build.is_latin("Artëm")
    assert build.is_latin("Kaech’ŏn") and build.is_latin("ʻEwa Beach")
    assert not build.is_latin("Владивосток") and not build.is_latin("中国")
    assert not build.is_latin(" ")


def test_rings_across_the_antimeridian_are_cut_there() -> None:
    # A square from 170°E to 170°W, its longitudes made continuous (170..190).
    square = [(170.0, 60.0), (190.0, 60.0), (190.0, 70.0), (170.0, 70.0)]
    pieces = build.split_polygon([square])
    assert len(pieces) == 2
    for piece in pieces:
        xs = [p[0] for p in piece[0]]
        assert min(xs) >= -180 and max(xs) <= 180 and max(xs) - min(xs) <= 10 + 1e-9


def test_land_polygons_never_span_the_world() -> None:
    import json

    topology = json.loads(build.source_topology().read_text(encoding="utf-8"))
    land = build.land_features(topology)
    assert len(land) > 1000
    for feature in land:
        for ring in feature["geometry"]["coordinates"]:
            assert ring[0] == ring[-1]
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                along_the_pole = y0 == y1 and y0 <= -89  # Antarctica's edge, off the map
                assert -180 <= x0 <= 180 and (abs(x1 - x0) < 180 or along_the_pole)


def test_city_ranks_put_big_cities_first() -> None:
    cities = {f["properties"]["name"]: f for f in build.city_features()
              if f["properties"]["name"] in ("Beijing", "Vladivostok", "Ussuriysk")}
    zoom = {name: f["tippecanoe"]["minzoom"] for name, f in cities.items()}
    assert zoom["Beijing"] == 3 and zoom["Vladivostok"] <= 6 < zoom["Ussuriysk"] <= 8


def test_gzip_tiles_are_inflated(tmp_path: Path) -> None:
    assert vector_basemap.VectorBasemap._inflate(
        gzip.compress(b"mvt"), vector_basemap.Compression.GZIP) == b"mvt"
