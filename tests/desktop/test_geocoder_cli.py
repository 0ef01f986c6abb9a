"""`eventmap ingest --geocoder nominatim[:URL] --user-agent CONTACT` against a local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from geo.nominatim import OnlineGeocoding, save_settings
from store.workspace import Workspace
from tests.geo.fake_nominatim import CONTACT, TOWN, Answer, running


def test_the_online_geocoder_needs_a_contact(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Kim flew to Moscow.\n", encoding="utf-8")
    db = tmp_path / "ws.sqlite"
    assert main(["ingest", str(article), "--db", str(db), "--geocoder", "nominatim"]) == 1
    err = capsys.readouterr().err
    assert "contact" in err and "--user-agent" in err and "usage policy" in err
    assert not db.exists()  # refused before anything was read or loaded


@pytest.mark.parametrize("value", ["google", "nominatim:ftp://example.org"])
def test_an_unknown_geocoder_is_a_usage_error(value: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["ingest", "x.txt", "--geocoder", value, "--user-agent", CONTACT])
    assert exit_.value.code == 2 and "--geocoder" in capsys.readouterr().err


@pytest.mark.model
@pytest.mark.slow
def test_ingest_asks_the_given_server(tmp_path: Path) -> None:
    article = tmp_path / "visit.txt"
    article.write_text("Kim toured a shipyard in Bolshoy Kamenovsk and then flew to Moscow. "
                       "Putin met him in Bolshoy Kamenovsk.\n", encoding="utf-8")
    db = tmp_path / "ws.sqlite"
    save_settings(OnlineGeocoding(False, "http://127.0.0.1:9", "saved@example.org"))
    with running() as server:
        server.script["Bolshoy Kamenovsk"] = [Answer(body=[dict(TOWN, name="Kamenovsk")])]
        status = main(["ingest", str(article), "--db", str(db), "--published", "2023-09-12",
                       "--geocoder", f"nominatim:{server.url}"])  # the saved contact
    assert status == 0
    assert [a.query for a in server.asked] == ["Bolshoy Kamenovsk"]
    assert "saved@example.org" in server.asked[0].agent
    with Workspace(db) as ws:
        [(doc_id, *_)] = [(d.id,) for d in ws.documents()]
        names = {name for *_, name in ws.mentions_in_document(doc_id)}
    assert {"Kamenovsk", "Moscow"} <= names


def test_the_user_agent_option_comes_before_the_saved_contact(tmp_path: Path) -> None:
    from desktop.cli import _online_geocoding, build_parser

    save_settings(OnlineGeocoding(False, "http://127.0.0.1:9", "saved@example.org"))
    argv = ["ingest", "x.txt", "--geocoder", "nominatim:http://127.0.0.1:9"]
    with Workspace(tmp_path / "ws.sqlite") as ws:
        given = _online_geocoding(build_parser().parse_args([*argv, "--user-agent", CONTACT]))(ws)
        saved = _online_geocoding(build_parser().parse_args(argv))(ws)
        offline = _online_geocoding(build_parser().parse_args(["ingest", "x.txt"]))
    assert given.geocoder.headers["User-Agent"].endswith(f"(+{CONTACT})")
    assert saved.geocoder.headers["User-Agent"].endswith("(+saved@example.org)")
    assert offline is None
