"""The map's payload kept between reads of a workspace (desktop.map_cache): a reopened workspace
shows its map from the last read, and a payload that no longer matches is replaced."""

from __future__ import annotations

from pathlib import Path

from desktop.map_cache import _file, cached_payload, keep_payload, workspace_stamp
from desktop.workspace_data import read_workspace
from store.corrections import move_place
from store.workspace import Workspace


def read(db: Path) -> tuple[list[bytes], bytes]:
    ahead: list[bytes] = []
    data = read_workspace(db, on_map=ahead.append)
    return ahead, data.map_payload


def test_a_reopened_workspace_shows_the_map_of_its_last_read(seeds_db: Path) -> None:
    first_ahead, first = read(seeds_db)
    assert first_ahead == [first]
    with Workspace(seeds_db):  # as the window holds it while its reader reads
        assert cached_payload(seeds_db, workspace_stamp(seeds_db)) == first
        again_ahead, again = read(seeds_db)
    assert again_ahead == [first] and again is again_ahead[0]  # the kept bytes, sent once


def test_a_write_to_the_workspace_makes_its_kept_map_unused(seeds_db: Path) -> None:
    _, before = read(seeds_db)
    stamp = workspace_stamp(seeds_db)
    with Workspace(seeds_db) as ws:
        place_id = ws.events(with_sources=False)[0].place_id
        assert place_id is not None
        move_place(ws, place_id, 10.5, 20.5)
    assert workspace_stamp(seeds_db) != stamp
    assert cached_payload(seeds_db, workspace_stamp(seeds_db)) is None
    ahead, after = read(seeds_db)
    assert ahead == [after] and after != before


def test_a_stale_map_under_a_matching_stamp_is_replaced(seeds_db: Path) -> None:
    """A file system with coarse times may keep the stamp across a write: the map shown from
    the cache is replaced by the one read."""
    _, real = read(seeds_db)
    with Workspace.open_existing(seeds_db):
        keep_payload(seeds_db, workspace_stamp(seeds_db), b"stale")
    ahead, payload = read(seeds_db)
    assert ahead == [b"stale", real] and payload == real
    assert cached_payload(seeds_db, workspace_stamp(seeds_db)) == real  # kept again


def test_a_damaged_cache_is_ignored(seeds_db: Path) -> None:
    _, real = read(seeds_db)
    kept = _file(seeds_db)
    assert kept.exists()
    kept.write_bytes(b"\x00\xffnot a head\npayload")
    ahead, payload = read(seeds_db)
    assert ahead == [real] and payload == real
