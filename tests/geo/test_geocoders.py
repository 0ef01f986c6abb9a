"""Geocoders: the gazetteer through geopy's interface, and the workspace cache for online ones."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.exc import GeocoderServiceError
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import Gazetteer, haversine_km, index_name
from geo.geocoders import CachedGeocoder, OfflineGeocoder
from geo.resolve import Toponym, resolve_toponyms
from store.workspace import Workspace


@pytest.fixture(scope="module")
def gaz(index_cache: Path) -> Gazetteer:
    return Gazetteer.open(index_cache / index_name())


def test_offline_geocoder_speaks_geopy(gaz: Gazetteer) -> None:
    geocoder = OfflineGeocoder(gaz)
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Vladivostok")
    assert isinstance(location, Location)
    assert haversine_km(location.latitude, location.longitude, 43.1155, 131.8855) < 10
    assert location.address == "Vladivostok, Primorye, Russia"
    assert location.raw["key"] == "geonames:2013348" and location.raw["kind"] == "city"
    assert location.raw["source"] == "geonames" and location.raw["precision_km"] > 1
    assert geocoder.geocode("Xyzzyqwville") is None
    many = geocoder.geocode("Paris", exactly_one=False, limit=3)
    assert len(many) == 3 and many[0].raw["country"] == "FR"
    assert geocoder.geocode("Paris", country_codes="us").raw["country"] == "US"


def test_offline_geocoder_prefers_the_named_container(gaz: Gazetteer) -> None:
    geocoder = OfflineGeocoder(gaz)
    assert geocoder.geocode("Springfield").raw["admin1"] == "MO"  # the largest
    assert geocoder.geocode("Springfield, Illinois").raw["admin1"] == "IL"
    assert geocoder.geocode("Springfield, Massachusetts, USA").raw["admin1"] == "MA"
    assert geocoder.geocode("Paris, Texas").raw["admin1"] == "TX"
    berth = geocoder.geocode("Berth 33, Vladivostok")
    assert berth.raw["source"] == "curated" and berth.raw["within"] == "Vladivostok"
    assert geocoder.geocode("Washington, D.C.").raw["admin1"] == "DC"  # a name with a comma


def test_offline_geocoder_never_reaches_the_network(gaz: Gazetteer) -> None:
    geocoder = OfflineGeocoder(gaz)
    with pytest.raises(GeocoderServiceError):
        geocoder.adapter.get_json("http://example.org/", timeout=1, headers={})


class _FakeNominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim, knows one town, and counts the requests it gets."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        type(self).requests.append(query)
        body = []
        if url.path == "/search" and query.startswith("Bolshoy Kamen"):
            body = [{
                "place_id": 1234, "osm_type": "relation", "osm_id": 5678,
                "lat": "43.1112", "lon": "132.3502", "name": "Bolshoy Kamen",
                "display_name": "Bolshoy Kamen, Primorsky Krai, Russia",
                "addresstype": "town", "boundingbox": ["43.08", "43.15", "132.30", "132.42"],
                "address": {"town": "Bolshoy Kamen", "country_code": "ru"},
            }]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def nominatim() -> Iterator[Nominatim]:
    _FakeNominatim.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Nominatim(domain=f"127.0.0.1:{server.server_port}", scheme="http",
                        user_agent="eventmap-tests", timeout=5)
    finally:
        server.shutdown()
        server.server_close()


def test_cached_geocoder_asks_the_network_once(nominatim: Nominatim, tmp_path: Path) -> None:
    db = tmp_path / "workspace.sqlite"
    with Workspace(db) as ws:
        cached = CachedGeocoder(nominatim, ws, min_delay_seconds=0)
        first = cached.geocode("Bolshoy Kamen")
        assert _FakeNominatim.requests == ["Bolshoy Kamen"]
        assert first is not None and first.source == "online" and first.country == "RU"
        assert first.kind == "town" and first.source_id.endswith("relation/5678")
        assert haversine_km(first.lat, first.lon, 43.1112, 132.3502) < 0.1
        assert 1 < first.precision_km < 20
        assert cached.geocode("Bolshoy Kamen") == first
        assert cached.geocode("  Bolshoy   Kamen ") == first
        assert cached.geocode("Nowhere At All") is None
        assert cached.geocode("Nowhere At All") is None  # misses are cached too
        assert _FakeNominatim.requests == ["Bolshoy Kamen", "Nowhere At All"]
    with Workspace(db) as ws:  # the cache lives in the workspace file
        assert CachedGeocoder(nominatim, ws, min_delay_seconds=0).geocode("Bolshoy Kamen") == first
    assert len(_FakeNominatim.requests) == 2


def test_resolver_asks_the_online_geocoder_last(nominatim: Nominatim, gaz: Gazetteer,
                                                tmp_path: Path) -> None:
    text = "Kim toured a shipyard in Bolshoy Kamenovsk and then flew to Moscow."
    spans = [Toponym(25, 42, "Bolshoy Kamenovsk"), Toponym(60, 66, "Moscow")]
    assert [text[t.start:t.end] for t in spans] == ["Bolshoy Kamenovsk", "Moscow"]
    assert resolve_toponyms(text, spans, gaz)[0].place is None  # offline: not known
    with Workspace(tmp_path / "ws.sqlite") as ws:
        online = CachedGeocoder(nominatim, ws, min_delay_seconds=0)
        mentions = resolve_toponyms(text, spans, gaz, online)
    assert mentions[0].place is not None and mentions[0].place.source == "online"
    assert mentions[0].note.startswith("online:")
    assert mentions[1].place.source == "geonames"  # known names never go online
    assert _FakeNominatim.requests == ["Bolshoy Kamenovsk"]
