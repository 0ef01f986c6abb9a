"""How an ingest cuts its articles into chunks: the articles of a chunk are analysed, their
place names teach where each outlet reports (geo.outlets), and only then is each of them
resolved and finished, in order. `eventmap geoparse` and the benchmarks cut them the same way,
so that they measure what an ingest does.

The last articles go in smaller chunks, halving down to TAIL_CHUNK: the last chunk is finished
(in order, on one core) after every analysis is done, so with worker processes the other cores
idle meanwhile; a chunk of 100 left them idle 1.2 s of a 31 s ingest.
"""

from __future__ import annotations

from collections.abc import Iterator

CHUNK = 100  # articles analysed before their outlets' homes are learned (about 0.4 MB each held)
TAIL_CHUNK = 10


def chunk_size(remaining: int, chunk: int = CHUNK) -> int:
    """How many of the `remaining` articles the next chunk takes: `chunk`, and over the last two
    chunks' worth, half of what remains (at least TAIL_CHUNK, at most `chunk`)."""
    if remaining >= 2 * chunk:
        return chunk
    return min(remaining, chunk, max(TAIL_CHUNK, (remaining + 1) // 2))


def chunk_bounds(total: int, chunk: int = CHUNK) -> Iterator[tuple[int, int]]:
    """(first, end) of each chunk of `total` articles, in order."""
    first = 0
    while first < total:
        end = first + chunk_size(total - first, chunk)
        yield first, end
        first = end
