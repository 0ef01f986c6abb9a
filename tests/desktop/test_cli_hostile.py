"""The command line on hostile input: bad manifests, file names with escape sequences or bytes
that are not UTF-8, bad --max-size values. No traceback, every problem said on one line, and
nothing a terminal would act on is printed raw."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from desktop.cli import _print_guessed_dates, build_parser, main
from desktop.terminal import safe, safe_json, safe_lines
from tests.conftest import REPO, SEEDS

ESCAPE_NAME = "\x1b]0;pwned\x07\x1b[2J\u202eevil.txt"
LATIN1_NAME = b"caf\xe9 \xff.txt"  # not UTF-8: os.fsdecode gives lone surrogates
FRENCH = ("Réunion à Zürich\n\nLe président s'est rendu à Moscou le 5 septembre 2023, où il a "
          "rencontré des élus de Vladivostok.\n")


# -- terminal safety -------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
    ("\x1b[2J", "\\x1b[2J"),
    ("a\x9b31mb\x7f", "a\\x9b31mb\\x7f"),  # C1 CSI and DEL
    ("\u202eevil\u2066x\u2069", "\\u202eevil\\u2066x\\u2069"),
    ("caf\udce9", "caf\\xe9"),  # a byte that was not UTF-8, from os.fsdecode
    ("line\nbreak\ttab\r", "line\\nbreak\\ttab\\r"),
    ("Zürich, Владивосток, 東京 🌏", "Zürich, Владивосток, 東京 🌏"),
])
def test_safe_escapes_what_a_terminal_acts_on(raw: str, shown: str) -> None:
    assert safe(raw) == shown
    assert safe_lines(raw) == shown.replace("\\n", "\n").replace("\\t", "\t")


def test_safe_json_is_the_same_json_value() -> None:
    value = {"file": "caf\udce9\u202e.txt", "text": "\x1b[2J\x85 Zürich"}
    line = safe_json(json.dumps(value, ensure_ascii=False))
    assert json.loads(line) == value
    assert "Zürich" in line and safe(line) == line  # nothing left to escape


# -- arguments -------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "-inf", "ten", "1e999"])
def test_bad_max_size_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(SEEDS), f"--max-size={value}"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "not a positive number of MB" in err and "Traceback" not in err


def test_max_size_and_edge_dates_are_accepted() -> None:
    args = build_parser().parse_args(
        ["ingest", "x", "--max-size", "0.5", "--published", "0001-01-01"])
    assert (args.max_size, args.published) == (0.5, "0001-01-01")
    args = build_parser().parse_args(["ingest", "x", "--published", "9999-12-31"])
    assert args.published == "9999-12-31"


def test_guessed_dates_are_counted(capsys: pytest.CaptureFixture[str]) -> None:
    _print_guessed_dates(SimpleNamespace(guessed_dates=["a.txt", "b.txt"]))
    _print_guessed_dates(SimpleNamespace(guessed_dates=[]))
    _print_guessed_dates(SimpleNamespace())  # a report from before the field existed
    assert capsys.readouterr().err == (
        "2 documents have a guessed date (the file's time): give --published YYYY-MM-DD or a "
        "manifest.json to set them\n")


# -- a real ingest ---------------------------------------------------------------------------
def _hostile_folders(root: Path) -> tuple[Path, Path, Path]:
    bad_fields = root / "bad-fields"
    shutil.copytree(SEEDS, bad_fields)
    entries = json.loads((SEEDS / "manifest.json").read_text())["documents"]
    entries[0]["outlet"] = ["Correspondent.net", "republished"]
    entries[1]["title"] = {"text": "an object"}
    entries[2]["published"] = 20230905
    entries[3]["published"] = "HUGE"
    text = json.dumps({"documents": entries})
    text = text.replace('"HUGE"', "9" * 5000)  # Python refuses to convert over 4,300 digits
    (bad_fields / "manifest.json").write_text(text)
    (bad_fields / ESCAPE_NAME).write_text("  \n")  # empty: skipped, and its name printed
    with open(os.path.join(os.fsencode(bad_fields), LATIN1_NAME), "wb") as f:
        f.write(FRENCH.encode("latin-1"))

    deep = root / "deep"
    deep.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):  # other texts, so that they are not duplicates
        (deep / seed.name).write_text(seed.read_text() + "\nRepublished.\n")
    (deep / "manifest.json").write_text('{"documents": ' + "[" * 100_000 + "]" * 100_000 + "}")

    empty = root / "empty"
    empty.mkdir()
    return bad_fields, deep, empty


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, with a UTF-8 locale but not Python's UTF-8 mode, so that printing a
    lone surrogate would fail as it does for a user."""
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONUTF8": "0"}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, errors="surrogateescape", timeout=600)


@pytest.mark.model
@pytest.mark.slow
def test_ingest_of_hostile_folders(tmp_path: Path) -> None:
    bad_fields, deep, empty = _hostile_folders(tmp_path)
    db = tmp_path / "w.sqlite"
    result = _run("ingest", str(bad_fields), str(deep), str(empty), "--db", str(db))
    out, err = result.stdout, result.stderr
    assert "Traceback" not in err and "\x1b" not in err + out and "\u202e" not in err + out
    assert result.returncode == 1, err  # the empty file and the empty folder were skipped
    assert out.startswith("11 added, 0 already stored, 2 skipped."), out

    manifest = bad_fields / "manifest.json"
    lines = err.splitlines()
    for expected in [
        f"{manifest}: entry 1 ('000_abffbace6357c7d6.txt'): \"outlet\" is a list, not text; "
        "left out",
        f"{manifest}: entry 2 ('001_eb9b14a5ef02d3b3.txt'): \"title\" is an object, not text; "
        "left out",
        f"{manifest}: entry 3 ('002_74ebc9373f883c4c.txt'): \"published\" is a number, not a "
        "date (YYYY-MM-DD); left out",
        f"{manifest}: entry 4 ('003_b053cdbad01865e0.txt'): \"published\" is a number, not a "
        "date (YYYY-MM-DD); left out",
        f"{deep / 'manifest.json'}: ignored: nested too deep",
        f"{bad_fields}/caf\\xe9 \\xff.txt: decoded as cp1252",
        f"skipped {bad_fields}/\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil.txt: empty file",
        f"skipped {empty}: no article files in it",
    ]:
        assert expected in lines, f"{expected!r} not in {lines}"
    assert not any("extraction.manifest" in line for line in lines)  # said once, as notes

    with sqlite3.connect(db) as con:
        rows = {Path(p).name: (t, o, d, s) for p, t, o, d, s in con.execute(
            "SELECT path, title, outlet, published, published_source FROM documents "
            "WHERE path LIKE ?", (f"{bad_fields}%",))}
    assert rows["000_abffbace6357c7d6.txt"][1:3] == (None, "2023-09-05")  # outlet dropped only
    assert rows["001_eb9b14a5ef02d3b3.txt"][1:] == ("UNIAN", "2023-09-04", "manifest")
    assert rows["002_74ebc9373f883c4c.txt"][3] != "manifest"  # the next source of a date
    assert rows["004_e0f0b5de1e8e843f.txt"][1:] == (None, "2023-09-05", "manifest")
    assert rows["caf\\xe9 \\xff.txt"][0] == "Réunion à Zürich"


@pytest.mark.model
@pytest.mark.slow
def test_geoparse_prints_hostile_names_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    named = folder / ESCAPE_NAME
    named.write_text(FRENCH)
    undecodable = os.path.join(os.fsencode(folder), LATIN1_NAME)
    with open(undecodable, "wb") as f:
        f.write(FRENCH.encode("latin-1"))
    result = _run("geoparse", str(named), os.fsdecode(undecodable))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["file"] for r in rows} == {str(named), os.fsdecode(undecodable)}
    assert any(r["text"] == "Vladivostok" for r in rows)
    assert f"{folder}/caf\\xe9 \\xff.txt: decoded as cp1252" in result.stderr.splitlines()
