"""Reading files: encodings, HTML, bad input, publication dates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extraction.reading import collect_files, decode, load_manifest, read_article
from store.errors import InputError

RUSSIAN = "Владивосток принимает Восточный экономический форум в сентябре. " * 5


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(InputError, match="empty file"):
        read_article(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError, match="binary"):
        read_article(path)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-16"])
def test_non_utf8_text_is_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    article = read_article(path, published="2023-09-05")
    assert "Владивосток" in article.text


def test_latin1_text(tmp_path: Path) -> None:
    text = "Le président s'est rendu à Montréal et à Québec, où il a rencontré des élus. " * 4
    assert decode(text.encode("latin-1"))[0].startswith("Le président")


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Kim visits Vladivostok. " * 1000)
    with pytest.raises(InputError, match="too large"):
        read_article(path, max_bytes=1000)


def test_missing_paths_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    files, failed = collect_files([tmp_path / "absent", tmp_path / "dangling.txt"])
    assert files == []
    assert [reason for _, reason in failed] == ["no such file or folder"] * 2


def test_folders_are_walked_for_articles_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<html></html>")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    files, failed = collect_files([tmp_path])
    assert [f.name for f in files] == ["a.txt", "b.html"] and failed == []


def test_html_article_text_and_metadata(tmp_path: Path) -> None:
    body = " ".join(["Kim Jong Un will travel to Vladivostok to meet Vladimir Putin."] * 6)
    html = f"""<!doctype html><html><head><title>Kim to visit Putin</title>
    <meta property="og:site_name" content="Example News">
    <meta property="article:published_time" content="2023-09-05T10:00:00Z">
    <script>alert('x')</script></head><body><nav>Home | World</nav>
    <article><h1>Kim to visit Putin</h1><p>{body}</p><p>{body}</p></article>
    <footer>Copyright Example</footer></body></html>"""
    path = tmp_path / "kim.html"
    path.write_text(html)
    article = read_article(path)
    assert "Vladivostok" in article.text
    assert "alert(" not in article.text
    assert article.title == "Kim to visit Putin"
    assert (article.published, article.published_source) == ("2023-09-05", "html")


def test_publication_date_sources(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Headline\n\nKim will visit Russia this month.")
    os.utime(path, (1_700_000_000, 1_700_000_000))  # 2023-11-14
    assert read_article(path).published_source == "file time"
    assert read_article(path).published == "2023-11-14"
    assert read_article(path, published="2023-09-01").published_source == "user"
    path.write_text("Headline\n\nKaterina Chernovol21:53, 09/04/23\n\nKim will visit Russia.")
    assert (read_article(path).published, read_article(path).published_source) == (
        "2023-09-04", "text")


def test_manifest_gives_title_outlet_and_date(tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    manifest = load_manifest(seeds)
    entry = manifest["001_eb9b14a5ef02d3b3.txt"]
    article = read_article(seeds / "001_eb9b14a5ef02d3b3.txt", manifest=entry)
    assert (article.outlet, article.published, article.published_source) == (
        "UNIAN", "2023-09-04", "manifest")
