"""Reading the annotated corpora (TR-News, LGL) of ../shared/corpora."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpora"
FILES = {"tr-news": "tr-news/TR-News.xml", "lgl": "lgl/lgl.xml"}


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None  # None when the annotators linked no GeoNames entry
    lon: float | None
    geonameid: str | None


@dataclass(frozen=True)
class Article:
    docid: str
    text: str
    published: str | None
    toponyms: tuple[GoldToponym, ...]
    outlet: str | None = None  # the site's domain


def load(corpus: str, root: Path = DEFAULT_ROOT) -> list[Article]:
    tree = ET.parse(root / FILES[corpus])
    articles = []
    for node in tree.getroot().iter("article"):
        text = node.findtext("text") or ""
        gold = tuple(_toponym(t, text) for t in node.iter("toponym"))
        dltime = (node.findtext("dltime") or "").strip()[:10] or None
        outlet = (node.findtext("domain") or "").strip() or None
        articles.append(Article(node.get("docid", ""), text, dltime, gold, outlet))
    return articles


def _toponym(node: ET.Element, text: str) -> GoldToponym:
    phrase = (node.findtext("phrase") or "").strip()
    start, end = int(node.findtext("start")), int(node.findtext("end"))
    start, end = _realign(text, phrase, start, end)
    tag = node.find("gaztag")
    lat = lon = gid = None
    if tag is not None and tag.findtext("lat"):
        lat, lon = float(tag.findtext("lat")), float(tag.findtext("lon"))
        gid = tag.get("geonameid")
    return GoldToponym(start, end, phrase, lat, lon, gid)


def _realign(text: str, phrase: str, start: int, end: int, window: int = 12) -> tuple[int, int]:
    """TR-News has offsets up to 10 characters too large: find the phrase near its span."""
    if not phrase or text[start:end] == phrase:
        return start, end
    lo = max(0, start - window)
    at = text.find(phrase, lo, end + window + len(phrase))
    if at < 0:
        return start, end
    best = at
    while at >= 0:
        if abs(at - start) < abs(best - start):
            best = at
        at = text.find(phrase, at + 1, end + window + len(phrase))
    return best, best + len(phrase)
