"""Ingesting a local paper: its articles teach where it reports, and a bare "Paris" goes there.

Real spaCy pipeline, real gazetteer, real SQLite workspaces under tmp_path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import extraction.ingest
from extraction.ingest import ingest_paths, outlet_homes
from extraction.pipeline import Pipeline
from geo.gazetteer import Gazetteer, haversine_km, index_name
from geo.normalise import normalise
from store.workspace import Workspace

pytestmark = [pytest.mark.model, pytest.mark.slow]

PARIS_TX = (33.66, -95.55)
PARIS_FR = (48.857, 2.352)
OUTLET = "The Paris News"

# Local news of Lamar County, Texas; the model finds at least the names listed with each.
LOCAL_ARTICLES = {
    "01_commissioners.txt": (
        "Commissioners approve road plan\n\n"
        "The Lamar County commissioners met in Paris on Monday and approved a plan to repave "
        "county roads. Crews from Reno and Paris will start work next month.\n",
        {"Lamar County", "Reno"}),
    "02_storm.txt": (
        "Storm damages homes\n\n"
        "The tornado touched down west of Detroit and moved toward Clarksville on Sunday "
        "night. The hospital in Sulphur Springs treated two people.\n",
        {"Detroit", "Clarksville", "Sulphur Springs"}),
    "03_fire.txt": (
        "Barn lost to grass fire\n\n"
        "A fire destroyed a barn near Deport on Sunday. Crews from Reno and Paris fought the "
        "grass fire for three hours before it was under control.\n",
        {"Deport", "Reno"}),
    "04_rodeo.txt": (
        "Rodeo returns this weekend\n\n"
        "The rodeo returns to Clarksville this weekend. The announcer grew up in Honey Grove "
        "and now lives in Clarksville, where he has called the event for twenty years.\n",
        {"Clarksville", "Honey Grove"}),
    "05_bank.txt": (
        "Bank robbed, festival goes on\n\n"
        "A bank in Cooper was robbed on Friday. The festival in Ladonia drew a crowd of 500 "
        "the next day.\n",
        {"Cooper", "Ladonia"}),
}
ARREST = "09_arrest.txt"  # sorts after the local articles
ARREST_TEXT = (
    "Man arrested after downtown chase\n\n"
    "Paris police arrested a man on Main Street on Tuesday after a short foot chase. Officers "
    "said the man was wanted on a warrant and was taken to the jail.\n")


@pytest.fixture(scope="module")
def pipeline(index_cache: Path) -> Pipeline:
    return Pipeline(gazetteer=Gazetteer.open(index_cache / index_name()))


def write_folder(folder: Path, files: dict[str, str], outlet: str | None = OUTLET,
                 unlisted: dict[str, str] | None = None) -> Path:
    """Article files and a manifest giving each the outlet (no manifest when outlet is None);
    `unlisted` files go in the folder but not in its manifest."""
    folder.mkdir(parents=True)
    for name, text in {**files, **(unlisted or {})}.items():
        (folder / name).write_text(text, encoding="utf-8")
    if outlet is not None:
        docs = [{"file": name, "outlet": outlet, "published": f"2024-03-{i:02d}"}
                for i, name in enumerate(files, start=1)]
        (folder / "manifest.json").write_text(json.dumps({"documents": docs}), encoding="utf-8")
    return folder


def local_files(*, arrest: bool) -> dict[str, str]:
    files = {name: text for name, (text, _) in LOCAL_ARTICLES.items()}
    if arrest:
        files[ARREST] = ARREST_TEXT
    return files


def document_id(report: extraction.ingest.IngestReport, name: str) -> int:
    ids = [doc_id for path, doc_id in report.added if Path(path).name == name]
    assert len(ids) == 1, report
    return ids[0]


def paris_mentions(ws: Workspace, doc_id: int) -> list:
    """The document's mentions resolved to a place named Paris."""
    assert "Paris" in {m[2] for m in ws.mentions_in_document(doc_id)}
    found = [m for m in ws.placed_mentions(doc_id) if m.name == "Paris"]
    assert found, ws.placed_mentions(doc_id)
    return found


def km(mention, point: tuple[float, float]) -> float:
    return haversine_km(mention.lat, mention.lon, *point)


def assert_in_texas(mentions: list) -> None:
    for m in mentions:
        assert m.country == "US" and km(m, PARIS_TX) < 50, m


def assert_in_france(mentions: list) -> None:
    for m in mentions:
        assert m.country == "FR" and km(m, PARIS_FR) < 50, m


def test_a_bare_paris_of_a_local_paper_is_its_town(tmp_path: Path, pipeline: Pipeline) -> None:
    folder = write_folder(tmp_path / "paper", local_files(arrest=True))
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_paths([folder], ws, pipeline)
        assert report.ok and not report.duplicates
        assert len(report.added) == len(LOCAL_ARTICLES) + 1
        arrest = document_id(report, ARREST)
        paris = paris_mentions(ws, arrest)
        assert_in_texas(paris)
        assert {m.outlet for m in paris} == {OUTLET}
        local = [m for name in LOCAL_ARTICLES
                 for m in ws.placed_mentions(document_id(report, name))]
        assert local and all(km(e, PARIS_TX) < 150 for e in local), local


def test_the_same_article_alone_and_without_an_outlet_is_paris_france(
        tmp_path: Path, pipeline: Pipeline) -> None:
    folder = write_folder(tmp_path / "alone", {ARREST: ARREST_TEXT}, outlet=None)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_paths([folder], ws, pipeline)
        assert report.ok and len(report.added) == 1
        assert_in_france(paris_mentions(ws, document_id(report, ARREST)))
        assert list(ws.outlet_names()) == []


def test_local_articles_without_an_outlet_teach_nothing(tmp_path: Path,
                                                         pipeline: Pipeline) -> None:
    folder = write_folder(tmp_path / "paper", local_files(arrest=True), outlet=None)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_paths([folder], ws, pipeline)
        assert report.ok and len(report.added) == len(LOCAL_ARTICLES) + 1
        assert_in_france(paris_mentions(ws, document_id(report, ARREST)))


def test_the_home_comes_from_documents_stored_by_an_earlier_ingest(
        tmp_path: Path, pipeline: Pipeline) -> None:
    unlisted = {"06_wire.txt": "Leaders met in Tokyo on Monday to discuss trade.\n"}
    first = write_folder(tmp_path / "march", local_files(arrest=False), unlisted=unlisted)
    second = write_folder(tmp_path / "april", {ARREST: ARREST_TEXT})
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_paths([first], ws, pipeline)
        assert report.ok and len(report.added) == len(LOCAL_ARTICLES) + 1

        stored = list(ws.outlet_names())
        assert len(stored) == len(LOCAL_ARTICLES)  # one per document with an outlet
        assert {outlet for outlet, _ in stored} == {OUTLET}
        for (_, names), (_, expected) in zip(stored, LOCAL_ARTICLES.values(), strict=True):
            # in document order; the surface as written ("The Lamar County")
            assert {normalise(n) for n in expected} <= {normalise(n) for n in names}, names
        assert "Tokyo" not in {n for _, names in stored for n in names}
        assert list(ws.outlet_names(2)) == stored[-2:]  # an outlet's latest documents only
        home = outlet_homes(ws, pipeline).home(OUTLET)
        assert home is not None and home.country == "US"
        assert haversine_km(home.lat, home.lon, *PARIS_TX) < 100

        report = ingest_paths([second], ws, pipeline)
        assert report.ok and len(report.added) == 1
        assert_in_texas(paris_mentions(ws, document_id(report, ARREST)))
        assert len(list(ws.outlet_names())) == len(LOCAL_ARTICLES) + 1


def test_identical_files_in_one_call_are_one_document(tmp_path: Path,
                                                       pipeline: Pipeline) -> None:
    folder = write_folder(tmp_path / "copies", {"a.txt": ARREST_TEXT, "b.txt": ARREST_TEXT})
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_paths([folder], ws, pipeline)
        assert [Path(p).name for p, _ in report.added] == ["a.txt"]
        assert report.duplicates == [str(folder / "b.txt")]
        assert report.skipped == [] and report.ok
        assert len(ws.documents()) == 1


def test_chunks_of_one_file_store_every_file_and_still_learn_the_home(
        tmp_path: Path, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction.ingest, "CHUNK", 1)
    files = local_files(arrest=True)
    files["04_rodeo_copy.txt"] = files["04_rodeo.txt"]  # a duplicate in a later chunk
    folder = write_folder(tmp_path / "paper", files)
    done: list[tuple[int, int]] = []
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_paths([folder], ws, pipeline,
                              progress=lambda i, total, _: done.append((i, total)))
        assert report.ok
        assert sorted(Path(p).name for p, _ in report.added) == sorted(
            n for n in files if n != "04_rodeo_copy.txt")
        assert report.duplicates == [str(folder / "04_rodeo_copy.txt")]
        assert len(ws.documents()) == len(files) - 1
        assert_in_texas(paris_mentions(ws, document_id(report, ARREST)))
    assert done == [(i, len(files)) for i in range(len(files) + 1)]


def test_eventmap_geoparse_learns_the_outlet_from_the_files_it_is_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main

    folder = write_folder(tmp_path / "paper", local_files(arrest=True))
    files = [str(p) for p in sorted(folder.glob("*.txt"))]
    assert main(["geoparse", *files, str(tmp_path / "absent.txt")]) == 1  # one file skipped
    out = capsys.readouterr()
    assert "absent.txt" in out.err
    rows = [json.loads(line) for line in out.out.splitlines()]
    paris = [r for r in rows if r["file"].endswith(ARREST) and r["text"] == "Paris"]
    assert paris and all(haversine_km(r["lat"], r["lon"], *PARIS_TX) < 50 for r in paris)
    assert main(["geoparse", str(folder / ARREST)]) == 0  # alone, nothing to learn from
    alone = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any(r["text"] == "Paris" and r["country"] == "FR" for r in alone)
