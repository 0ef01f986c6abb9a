"""`eventmap events`: one JSON line per event, in the documented shape."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from store.settings import seeds_dir

KEYS = {"file", "start", "end", "trigger", "type", "status", "sources", "targets", "place",
        "date_start", "date_end", "title", "confidence"}


@pytest.mark.model
def test_events_lines(capsys: pytest.CaptureFixture[str]) -> None:
    path = seeds_dir() / "000_abffbace6357c7d6.txt"
    assert main(["events", str(path)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines and all(set(line) == KEYS for line in lines)
    text = path.read_text(encoding="utf-8")
    for line in lines:
        assert text[line["start"]:line["end"]] == line["trigger"]
        assert line["status"] in {"reported", "planned", "hypothetical", "denied"}
        for actor in line["sources"] + line["targets"]:
            assert set(actor) == {"text", "start", "end", "actor"}
            assert text[actor["start"]:actor["end"]] == actor["text"]
        assert line["place"] is None or set(line["place"]) == {"name", "lat", "lon", "kind"}
    assert any(line["place"] and line["place"]["name"] == "Vladivostok"
               and line["type"] == "CONSULT" for line in lines)


@pytest.mark.model
def test_events_published_option(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The ministers met in Vienna yesterday.", encoding="utf-8")
    assert main(["events", str(article), "--published", "2024-03-05"]) == 0
    line = json.loads(capsys.readouterr().out.splitlines()[0])
    assert line["date_start"] == "2024-03-04" and line["status"] == "reported"
