"""The online geocoder against a real local HTTP server speaking Nominatim's /search API
(tests/geo/fake_nominatim.py). Every request goes to 127.0.0.1."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, haversine_km, index_name
from geo.geocoders import MAX_TRIES, STOP_AFTER_FAILURES
from geo.nominatim import (
    DEFAULT_URL,
    OnlineGeocoding,
    configured_geocoder,
    load_settings,
    online_geocoder,
    parse_geocoder_option,
    save_settings,
    settings_path,
    user_agent,
)
from geo.resolve import Toponym, resolve_toponyms
from store.errors import SettingsError
from store.workspace import Workspace
from tests.geo.fake_nominatim import CONTACT, TOWN, Answer, FakeNominatim, running


@pytest.fixture()
def server() -> Iterator[FakeNominatim]:
    with running() as srv:
        yield srv


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "ws.sqlite") as workspace:
        yield workspace


def fast(server: FakeNominatim, ws: Workspace, **options):
    """An online geocoder without the one-second spacing, for tests that are not about it."""
    options.setdefault("min_delay_seconds", 0)
    options.setdefault("backoff_seconds", 0.05)
    return online_geocoder(server.url, CONTACT, ws, **options)


# -- the User-Agent, the option and the setting ----------------------------------------------

def test_user_agent_names_eventmap_and_the_contact() -> None:
    agent = user_agent(CONTACT)
    assert agent.startswith("Eventmap/") and agent.endswith(f"(+{CONTACT})")
    assert user_agent("https://example.org/team").endswith("(+https://example.org/team)")
    assert user_agent("AcmeDesk/2.1 (ops@acme.example)") == "AcmeDesk/2.1 (ops@acme.example)"
    for bad, says in (("", "contact"), ("   ", "contact"), ("geopy/2.5.0", "refuses"),
                      ("my laptop", "e-mail"), ("a@b.org\r\nX-Evil: 1", "one line")):
        with pytest.raises(SettingsError, match=says):
            user_agent(bad)


def test_geocoder_option() -> None:
    assert parse_geocoder_option("offline") is None
    assert parse_geocoder_option("nominatim") == DEFAULT_URL
    assert parse_geocoder_option("nominatim:http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    assert parse_geocoder_option("Nominatim:https://geo.example.org/nominatim/search") == (
        "https://geo.example.org/nominatim")
    assert parse_geocoder_option("nominatim:geo.example.org") == "https://geo.example.org"
    for bad in ("google", "nominatim:ftp://geo.example.org", "nominatim:http://", "offline:x"):
        with pytest.raises(SettingsError):
            parse_geocoder_option(bad)


def test_setting_saved_and_read_back(tmp_path: Path) -> None:
    assert load_settings() == OnlineGeocoding()  # nothing saved: offline
    on = OnlineGeocoding(enabled=True, url="http://127.0.0.1:9", contact=CONTACT)
    path = save_settings(on)
    assert path == settings_path() and path.is_file()
    assert load_settings() == on
    with pytest.raises(SettingsError, match="contact"):
        save_settings(OnlineGeocoding(enabled=True, contact=""))
    assert load_settings() == on  # the refused one was not written
    save_settings(OnlineGeocoding(enabled=False, contact=""))  # off needs no contact
    assert load_settings().enabled is False
    path.write_text("{not json", encoding="utf-8")
    assert load_settings() == OnlineGeocoding()
    path.write_text('{"enabled": "yes", "url": 7, "contact": ["x"]}', encoding="utf-8")
    assert load_settings() == OnlineGeocoding()


def test_the_saved_setting_makes_the_geocoder(server: FakeNominatim, ws: Workspace) -> None:
    assert configured_geocoder(ws) is None  # offline by default
    save_settings(OnlineGeocoding(enabled=True, url=server.url, contact=CONTACT))
    geocoder = configured_geocoder(ws)
    assert geocoder is not None and geocoder.provider == f"nominatim@127.0.0.1:{server.server_port}"
    settings_path().write_text(json.dumps({"enabled": True, "url": server.url, "contact": ""}))
    assert configured_geocoder(ws) is None  # unusable: logged, and the run stays offline


# -- answers -----------------------------------------------------------------------------------

def test_a_good_answer(server: FakeNominatim, ws: Workspace) -> None:
    server.script["Bolshoy Kamen"] = [Answer(body=[TOWN])]
    place = fast(server, ws).geocode("Bolshoy Kamen")
    assert place is not None and place.source == "online" and place.country == "RU"
    assert haversine_km(place.lat, place.lon, 43.1112, 132.3502) < 0.1
    assert place.kind == "town" and place.source_id.endswith("relation/5678")
    [asked] = server.asked
    assert "Eventmap/" in asked.agent and CONTACT in asked.agent
    assert fast(server, ws).geocode("Bolshoy Kamen") == place  # next run: from the workspace
    assert len(server.asked) == 1


MALFORMED = {
    "lat not a number": [dict(TOWN, lat="abc")],
    "lat out of range": [dict(TOWN, lat="95.5")],
    "lon out of range": [dict(TOWN, lon="190")],
    "lat missing": [{k: v for k, v in TOWN.items() if k != "lat"}],
    "lat null": [dict(TOWN, lat=None)],
    "lat not finite": [dict(TOWN, lat="nan")],
    "lat a list": [dict(TOWN, lat=["43"])],
    "name not text": [dict(TOWN, name=7, display_name={"x": 1}, address="ru")],
    "places not objects": ["Bolshoy Kamen", 43.1],
    "an object": {"lat": 1},
    "a string": "Bolshoy Kamen",
    "an error object": {"error": "Internal problem"},
    "not JSON": b"{'lat': 43.1",
    "an HTML page": b"<!DOCTYPE html><html><body><h1>Bad Gateway</h1></body></html>",
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_answer_is_no_result(case: str, server: FakeNominatim,
                                         ws: Workspace) -> None:
    server.script["Bolshoy Kamen"] = [Answer(body=MALFORMED[case])]
    geocoder = fast(server, ws)
    place = geocoder.geocode("Bolshoy Kamen")
    if case == "name not text":  # the coordinates are good: the name comes from the query
        assert place is not None and place.name == "Bolshoy Kamen" and place.country is None
        return
    assert place is None
    assert geocoder.geocode("Bolshoy Kamen") is None
    assert server.queries() == ["Bolshoy Kamen"]  # a malformed answer is not asked for again
    assert ws.cached_geocode(geocoder.provider, "Bolshoy Kamen") is None  # next run may ask
    assert geocoder.stopped is None


def test_an_html_error_page_and_a_timeout(server: FakeNominatim, ws: Workspace) -> None:
    server.script["Slow"] = [Answer(body=[TOWN], delay=3)]
    server.script["Broken"] = [Answer(500, b"<html><body>Internal Server Error</body></html>")]
    geocoder = fast(server, ws, timeout=0.5, max_tries=1)
    assert geocoder.geocode("Slow") is None
    assert geocoder.geocode("Broken") is None
    assert server.queries() == ["Slow", "Broken"]


@pytest.mark.slow
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds_is_honoured(status: int, server: FakeNominatim,
                                            ws: Workspace) -> None:
    server.script["Bolshoy Kamen"] = [Answer(status, {"error": "slow down"}, {"Retry-After": "1"}),
                                      Answer(body=[TOWN])]
    place = fast(server, ws).geocode("Bolshoy Kamen")
    assert place is not None and place.country == "RU"
    first, second = server.asked
    assert second.at - first.at >= 0.9  # the wait the server asked for (a lower bound only)


@pytest.mark.slow
def test_retry_after_as_an_http_date_is_honoured(server: FakeNominatim, ws: Workspace) -> None:
    later = formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1 to 2 s from now
    server.script["Bolshoy Kamen"] = [Answer(429, {}, {"Retry-After": later}), Answer(body=[TOWN])]
    assert fast(server, ws).geocode("Bolshoy Kamen") is not None
    first, second = server.asked
    assert second.at - first.at >= 0.9


def test_a_failing_server_gets_bounded_tries(server: FakeNominatim, ws: Workspace) -> None:
    server.script["Bolshoy Kamen"] = [Answer(500, {"error": "down"})]
    geocoder = fast(server, ws)
    assert geocoder.geocode("Bolshoy Kamen") is None
    assert server.queries() == ["Bolshoy Kamen"] * MAX_TRIES
    assert geocoder.geocode("Bolshoy Kamen") is None  # failed once: not asked again this run
    assert len(server.asked) == MAX_TRIES
    assert ws.cached_geocode(geocoder.provider, "Bolshoy Kamen") is None


def test_a_long_retry_after_stops_the_run(server: FakeNominatim, ws: Workspace,
                                          caplog: pytest.LogCaptureFixture) -> None:
    server.script["Bolshoy Kamen"] = [Answer(429, {}, {"Retry-After": "3600"})]
    geocoder = fast(server, ws)
    with caplog.at_level(logging.WARNING, logger="geo.geocoders"):
        assert geocoder.geocode("Bolshoy Kamen") is None
        assert geocoder.geocode("Somewhere Else") is None
    assert server.queries() == ["Bolshoy Kamen"]  # no retry, and nothing more this run
    assert "3600" in (geocoder.stopped or "")
    assert sum("stopped" in r.getMessage() for r in caplog.records) == 1


def test_refusal_and_repeated_failures_stop_the_run(server: FakeNominatim,
                                                    ws: Workspace) -> None:
    server.script["Banned"] = [Answer(403, b"<html>Access blocked</html>")]
    geocoder = fast(server, ws)
    assert geocoder.geocode("Banned") is None and geocoder.stopped
    assert geocoder.geocode("Other") is None
    assert server.queries() == ["Banned"]
    for name in ("A", "B", "C", "D", "E"):
        server.script[name] = [Answer(502, {"error": "bad gateway"})]
    geocoder = fast(server, ws, max_tries=1)
    assert [geocoder.geocode(n) for n in ("A", "B", "C", "D", "E")] == [None] * 5
    assert server.queries()[1:] == ["A", "B", "C", "D", "E"][:STOP_AFTER_FAILURES]
    assert geocoder.stopped


def test_an_unreachable_server_is_given_up_once(ws: Workspace,
                                                caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    geocoder = online_geocoder(f"http://127.0.0.1:{port}", CONTACT, ws, min_delay_seconds=0)
    with caplog.at_level(logging.WARNING, logger="geo.geocoders"):
        assert [geocoder.geocode(n) for n in ("A", "B", "C", "D")] == [None] * 4
    assert geocoder.stopped
    warnings = [r for r in caplog.records
                if r.levelno >= logging.WARNING and r.name == "geo.geocoders"]
    assert len(warnings) == 1 and "cannot be reached" in warnings[0].getMessage()


def test_a_wrong_server_address_stops_the_run(server: FakeNominatim, ws: Workspace) -> None:
    geocoder = online_geocoder(server.url + "/nothing-here", CONTACT, ws, min_delay_seconds=0)
    assert geocoder.geocode("A") is None and geocoder.geocode("B") is None
    assert len(server.asked) == 1 and geocoder.stopped


@pytest.mark.slow
def test_requests_are_a_second_apart(server: FakeNominatim, ws: Workspace) -> None:
    geocoder = online_geocoder(server.url, CONTACT, ws)  # the policy's one per second
    other_run = online_geocoder(server.url, CONTACT, ws)  # the limit holds across instances
    for name in ("A", "B"):
        geocoder.geocode(name)
    other_run.geocode("C")
    times = [a.at for a in server.asked]
    assert len(times) == 3
    assert all(b - a >= 0.95 for a, b in zip(times, times[1:], strict=False))


# -- in the resolver and the pipeline --------------------------------------------------------

@pytest.fixture(scope="module")
def gaz(index_cache: Path) -> Gazetteer:
    return Gazetteer.open(index_cache / index_name())


@pytest.mark.parametrize("answer", [Answer(body=[dict(TOWN, lat="abc")]),
                                    Answer(500, {"error": "down"})])
def test_one_request_per_name_however_often_it_is_mentioned(
        answer: Answer, server: FakeNominatim, ws: Workspace, gaz: Gazetteer) -> None:
    sentence = "Kim toured Bolshoy Kamenovsk. "
    text = sentence * 12
    spans = [Toponym(i * len(sentence) + 11, i * len(sentence) + 28, "Bolshoy Kamenovsk")
             for i in range(12)]
    assert {text[t.start:t.end] for t in spans} == {"Bolshoy Kamenovsk"}
    server.script["Bolshoy Kamenovsk"] = [answer]
    mentions = resolve_toponyms(text, spans, gaz, fast(server, ws))
    assert len(mentions) == 12 and all(m.place is None for m in mentions)
    expected = 1 if answer.status == 200 else MAX_TRIES
    assert server.queries() == ["Bolshoy Kamenovsk"] * expected


@pytest.mark.model
@pytest.mark.slow
def test_a_malformed_answer_does_not_kill_the_article(server: FakeNominatim,
                                                      tmp_path: Path) -> None:
    from extraction.ingest import ingest_paths
    from extraction.pipeline import Pipeline

    article = tmp_path / "articles" / "visit.txt"
    article.parent.mkdir()
    article.write_text(
        "Kim toured a shipyard in Bolshoy Kamenovsk and then flew to Moscow. Putin met him in "
        "Bolshoy Kamenovsk. Workers in Bolshoy Kamenovsk cheered.\n", encoding="utf-8")
    server.script["Bolshoy Kamenovsk"] = [Answer(body=[dict(TOWN, lat="abc", lon="")])]
    with Workspace(tmp_path / "ws.sqlite") as ws:
        pipeline = Pipeline(geocoder=online_geocoder(server.url, CONTACT, ws))
        report = ingest_paths([article.parent], ws, pipeline, published="2023-09-12")
        names = [name for *_, name in ws.mentions_in_document(report.added[0][1])]
    assert report.ok and len(report.added) == 1, report.skipped
    assert "Moscow" in names  # the offline places are there
    assert server.queries() == ["Bolshoy Kamenovsk"]
    assert CONTACT in server.asked[0].agent
