"""The last files of an ingest go in smaller chunks and groups, so that the finishing of the
last chunk (in order, on one core) and the last analyses (on the workers) are short."""

from __future__ import annotations

from extraction.chunks import CHUNK, TAIL_CHUNK, chunk_bounds, chunk_size
from extraction.parallel import GROUP_TEXT, MIN_GROUP_TEXT, shared_groups
from extraction.reading import RawArticle


def sizes(files: int) -> list[int]:
    out = []
    while files:
        out.append(chunk_size(files))
        files -= out[-1]
    return out


def test_chunks_take_every_file_and_shrink_at_the_end() -> None:
    for files in (1, 7, TAIL_CHUNK, 2 * CHUNK - 1, 2 * CHUNK, 706, 5000):
        chunks = sizes(files)
        assert sum(chunks) == files
        assert all(0 < n <= CHUNK for n in chunks)
        assert chunks == sorted(chunks, reverse=True)  # never growing again
        assert chunks[-1] <= max(TAIL_CHUNK, files % TAIL_CHUNK or TAIL_CHUNK)
    assert sizes(706) == [100] * 6 + [53, 27, 13, 10, 3]
    assert sizes(5000)[:48] == [100] * 48  # the bulk keeps full chunks
    assert sizes(7) == [7]
    assert [end - first for first, end in chunk_bounds(706)] == sizes(706)
    assert [end - first for first, end in chunk_bounds(30, chunk=5)] == [5] * 6  # never above


def article(n: int, chars: int) -> RawArticle:
    return RawArticle(text="x" * chars, path=f"{n}.txt")


def test_a_small_chunk_is_shared_among_the_workers() -> None:
    small = [article(i, 2_000) for i in range(13)]  # 26,000 characters: one group before
    groups = shared_groups(small, 2)
    assert [a for g in groups for a in g] == small
    assert len(groups) >= 2  # each worker has a part of it
    assert max(sum(len(a.text) for a in g) for g in groups) <= 13_000
    large = [article(i, 2_000) for i in range(100)]
    groups = shared_groups(large, 2)
    assert all(sum(len(a.text) for a in g) <= GROUP_TEXT for g in groups)
    assert len(groups) == -(-200_000 // GROUP_TEXT)
    tiny = [article(i, 1_000) for i in range(4)]  # below MIN_GROUP_TEXT: kept together
    assert MIN_GROUP_TEXT > 4_000 and shared_groups(tiny, 2) == [tiny]
