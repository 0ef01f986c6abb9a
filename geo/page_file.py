"""The desktop map page's HTML, as a file built once per version of its builder.

folium (geo.folium_page) builds the page; importing folium and rendering take 0.4 s that the
window need not wait. `make setup` writes the page to resources/prebuilt/ (``python -m
geo.page_file``), so that even the app's very first start reads it; without it (another checkout,
a changed builder) the first start builds it and keeps it in the cache folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from geo import vector_basemap
from store.settings import cache_dir, resources_dir


def prebuilt_dir() -> Path:
    """Where `make setup` writes the page."""
    return resources_dir() / "prebuilt"


@lru_cache(maxsize=1)
def page_bytes() -> bytes:
    """The desktop page: prebuilt, cached, or built now (and cached)."""
    return page_from((prebuilt_dir(), cache_dir()))


def page_from(folders: tuple[Path, ...]) -> bytes:
    """The page from the first of `folders` that holds it for the current builder; else built
    with folium and written to the last one."""
    name = page_name()
    for folder in folders:
        try:
            return (folder / name).read_bytes()
        except OSError:
            continue
    from geo.folium_page import page_html

    data = page_html().encode("utf-8")
    _write_quietly(folders[-1] / name, data)
    return data


def page_name() -> str:
    return f"map-page-{page_key()}.html"


def page_key() -> str:
    """What the desktop page depends on: its builder's code, folium's version, whether the
    English basemap was built. A change to any of them builds the page anew."""
    digest = hashlib.sha256()
    for module in ("folium_page.py", "page_config.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    digest.update(metadata.version("folium").encode())
    digest.update(b"vector" if vector_basemap.default_output().is_file() else b"raster")
    return digest.hexdigest()[:16]


def build_prebuilt(folder: Path | None = None) -> Path:
    """Write the page to `folder` (the prebuilt folder), dropping the pages of other builders
    there."""
    from geo.folium_page import page_html

    folder = folder or prebuilt_dir()
    path = folder / page_name()
    for old in folder.glob("map-page-*.html"):
        if old != path:
            old.unlink()
    _write_whole(path, page_html().encode("utf-8"))
    return path


def _write_quietly(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all; a read-only or full disk only costs speed."""
    with contextlib.suppress(OSError):
        _write_whole(path, data)


def _write_whole(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a part file of this process, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, path)


if __name__ == "__main__":
    print(f"wrote {build_prebuilt()}")
