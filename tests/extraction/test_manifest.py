"""Manifests: a bad field costs that field, a bad entry that entry, an unreadable manifest is
ignored with one warning; never an exception."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from extraction.manifest import ManifestEntry, iso_date, load_manifest
from extraction.reading import load_manifest as reexported
from extraction.reading import read_article
from tests.conftest import SEEDS


def _write(folder: Path, data: object | str) -> Path:
    text = data if isinstance(data, str) else json.dumps(data)
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    return folder


def test_the_seed_manifest_has_no_warnings() -> None:
    manifest = load_manifest(SEEDS)
    assert reexported is load_manifest
    assert len(manifest) == 5 and manifest.warnings == []
    assert manifest["001_eb9b14a5ef02d3b3.txt"] == ManifestEntry(
        "Kim Jong-un goes to Putin in Russia: NYT found out the details", "UNIAN", "2023-09-04")
    assert manifest.get("002_74ebc9373f883c4c.txt").outlet is None  # null is no outlet


def test_a_folder_without_a_manifest(tmp_path: Path) -> None:
    manifest = load_manifest(tmp_path)
    assert len(manifest) == 0 and manifest.warnings == [] and manifest.get("a.txt") is None


def test_bad_fields_are_dropped_with_a_warning_each(tmp_path: Path) -> None:
    _write(tmp_path, {"documents": [
        {"file": "a.txt", "title": ["a", "list"], "outlet": "Reuters", "published": 20230905},
        {"file": "b.txt", "title": {"an": "object"}, "outlet": ["A", "B"],
         "published": "2023-02-30"},
        {"file": "c.txt", "title": "  Kim\n to   visit ", "published": "5 September 2023"},
        {"file": "d.txt", "published": "2023-09-05T10:00:00Z", "outlet": True},
        {"file": 7, "title": "no name"},
        "just text",
        {"title": "no file"},
        {"file": "a.txt", "title": "twice"},
    ]})
    manifest = load_manifest(tmp_path)
    assert manifest["a.txt"] == ManifestEntry(None, "Reuters", None)
    assert manifest["b.txt"] == ManifestEntry(None, None, None)
    assert manifest["c.txt"] == ManifestEntry("Kim to visit", None, None)
    assert manifest["d.txt"] == ManifestEntry(None, None, "2023-09-05")
    assert set(manifest) == {"a.txt", "b.txt", "c.txt", "d.txt"}
    warnings = manifest.warnings
    assert len(warnings) == 11, warnings
    assert 'entry 1 (\'a.txt\'): "title" is a list, not text; left out' in warnings
    assert any('"published" is a number, not a date' in w for w in warnings)
    assert any('"published" is \'2023-02-30\', not a date' in w for w in warnings)
    assert any('"outlet" is a list' in w for w in warnings)
    assert any('"title" is an object' in w for w in warnings)
    assert any("entry 6 is text, not an object" in w for w in warnings)
    assert any('entry 7 has no "file" name' in w for w in warnings)
    assert any("listed twice" in w for w in warnings)


@pytest.mark.parametrize(("text", "reason"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deep"),
    ("{not json", "not valid JSON"),
    ('{"about": "no documents"}', "no list of documents"),
    ("42", "no list of documents"),
])
def test_an_unusable_manifest_is_ignored_with_one_warning(
    tmp_path: Path, text: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path, text)
    with caplog.at_level(logging.WARNING, logger="extraction.manifest"):
        manifest = load_manifest(tmp_path)
    assert len(manifest) == 0
    assert len(manifest.warnings) == 1 and reason in manifest.warnings[0]
    assert len(caplog.records) == 1


def test_a_huge_number_costs_its_field_only(tmp_path: Path) -> None:
    digits = "9" * 5000  # Python refuses to convert more than 4,300 digits
    _write(tmp_path, '{"documents": [{"file": "a.txt", "title": "Kept", "published": '
           + digits + '}, {"file": "b.txt", "outlet": -' + digits + "}]}")
    manifest = load_manifest(tmp_path)
    assert manifest["a.txt"] == ManifestEntry("Kept", None, None)
    assert manifest["b.txt"] == ManifestEntry(None, None, None)
    assert len(manifest.warnings) == 2


def test_a_manifest_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_bytes(b'[{"file": "a.txt", "title": "R\xe9union"}]')
    manifest = load_manifest(tmp_path)
    assert len(manifest) == 0 and "not UTF-8" in manifest.warnings[0]


def test_many_problems_log_one_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _write(tmp_path, [{"file": f"{i}.txt", "title": [i]} for i in range(50)])
    with caplog.at_level(logging.WARNING, logger="extraction.manifest"):
        manifest = load_manifest(tmp_path)
    assert len(manifest.warnings) == 50
    assert len(caplog.records) == 1 and "49 more" in caplog.records[0].getMessage()


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-09-05", "2023-09-05"), ("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"),
    ("2023-09-05 10:00", "2023-09-05"), ("2023-09-05T23:30:00+02:00", "2023-09-05"),
    ("0000-01-01", None), ("10000-01-01", None), ("2023-13-01", None), ("2023-02-29", None),
    ("05/09/2023", None), ("20230905", None), ("2023-09-05garbage", None), ("", None),
])
def test_iso_dates_within_the_calendar(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_a_dropped_date_falls_back_to_the_next_source(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nKaterina Chernovol21:53, 09/04/23\n\nKim.")
    _write(tmp_path, [{"file": "a.txt", "published": "yesterday", "title": 3}])
    manifest = load_manifest(tmp_path)
    article = read_article(tmp_path / "a.txt", manifest=manifest.get("a.txt"))
    assert (article.published, article.published_source) == ("2023-09-04", "text")
    assert article.title == "Headline"
