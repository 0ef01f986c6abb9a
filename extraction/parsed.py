"""The spaCy Docs of analysed articles: parsed in batches, held live or compressed until finish().

Paragraphs are parsed in batches of at most BATCH_CHARS characters, taken across articles
(`parse_stream`): spaCy's working memory while parsing a batch grows with the batch's tokens
(about 10 kB each), so small batches keep the peak bounded whatever the article's length; and
batches that span articles run as fast as nlp.pipe over all the paragraphs at once, where
batches of one short article each cost about a fifth more (measured on the development
corpora: 706 articles, 2,267 paragraphs). The batching does not change the parse.

A live Doc without its tensor costs about 30 bytes per character of text (with the tensor, more
than 100), and an ingest holds a whole chunk of analysed articles before it finishes any of
them. So an analysis keeps its Docs live up to a budget of characters (LIVE_TEXT for a chunk in
one process: no rebuilding, nothing copied), and compressed beyond it and for other processes:
as DocBin bytes (tokens, tags, the dependency parse, entities, sentence starts; no tensor, no
user data) a paragraph costs about 2.5 bytes per character, and it is rebuilt, with its parse,
in a few per cent of the time parsing took. Live or rebuilt, a Doc gives the same results.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol, TypeVar

import numpy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from extraction.cleaning import Paragraph


class _HasText(Protocol):
    text: str


T = TypeVar("T", bound=_HasText)

BATCH_CHARS = 20_000  # characters of paragraphs parsed together (and compressed together)
LIVE_TEXT = 2_000_000  # characters whose Docs a chunk's analyses hold live (about 60 MB)


def text_bounded(items: Iterable[T], limit: int) -> Iterator[list[T]]:
    """Consecutive items (each with a `text`), grouped so that a group's text stays within
    `limit` characters (a longer item goes alone)."""
    group: list[T] = []
    size = 0
    for item in items:
        if group and size + len(item.text) > limit:
            yield group
            group, size = [], 0
        group.append(item)
        size += len(item.text)
    if group:
        yield group


def batches(body: Sequence[Paragraph], limit: int = BATCH_CHARS) -> Iterator[list[Paragraph]]:
    """Consecutive paragraphs, grouped so that a group's text stays within `limit` characters
    (a longer paragraph, at most cleaning.MAX_PARAGRAPH, goes alone)."""
    return text_bounded(body, limit)


def parse_stream(nlp: Language, texts: Iterable[str], limit: int = BATCH_CHARS
                 ) -> Iterator[Doc]:
    """The texts' Docs, in order, parsed in batches of at most `limit` characters (a longer
    text goes alone). Lazy: it reads a batch of texts ahead of the Docs it yields. Each Doc
    loses its tensor, which nothing after the pipeline reads."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and size + len(text) > limit:
            yield from _parsed(nlp, group)
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield from _parsed(nlp, group)


def _parsed(nlp: Language, texts: list[str]) -> Iterator[Doc]:
    for doc in nlp.pipe(texts, batch_size=len(texts)):
        doc.tensor = numpy.zeros((0,), dtype="float32")  # as a Doc rebuilt from a DocBin
        yield doc


def parse(nlp: Language, group: Sequence[Paragraph]) -> list[Doc]:
    """The group's paragraphs through the language pipeline, in one batch."""
    return list(_parsed(nlp, [p.text for p in group]))


class ParsedDocs(Mapping[int, Doc]):
    """id(paragraph) -> its spaCy Doc, for the body paragraphs of an article.

    Docs are stored by group, each group live (its Docs) or compressed (DocBin bytes, rebuilt
    on access); the last group rebuilt is cached, so that reading the paragraphs in order
    rebuilds each group once.
    """

    def __init__(self, nlp: Language):
        self._vocab = nlp.vocab
        self._groups: list[bytes | list[Doc]] = []
        self._where: dict[int, tuple[int, int]] = {}  # id(paragraph) -> (group, position)
        self._cached: tuple[int, list[Doc]] | None = None

    def add(self, group: Sequence[Paragraph], docs: Iterable[Doc], *, live: bool = False
            ) -> None:
        """Store a parsed group: its Docs as they are (`live`), or compressed (each Doc then
        loses its tensor and user data)."""
        kept = list(docs)
        if len(kept) != len(group):
            raise ValueError(f"{len(group)} paragraphs but {len(kept)} Docs")
        if not kept:
            return
        for position, para in enumerate(group):
            self._where[id(para)] = (len(self._groups), position)
        self._groups.append(kept if live else _compressed(kept))

    @property
    def nbytes(self) -> int:
        """Bytes of the compressed groups (live ones hold about 30 bytes per character)."""
        return sum(len(g) for g in self._groups if isinstance(g, bytes))

    @property
    def live(self) -> bool:
        """Whether any group is held live."""
        return any(isinstance(g, list) for g in self._groups)

    def __getitem__(self, key: int) -> Doc:
        group, position = self._where[key]
        stored = self._groups[group]
        if isinstance(stored, list):
            return stored[position]
        if self._cached is None or self._cached[0] != group:
            docbin = DocBin(store_user_data=False).from_bytes(stored)
            self._cached = (group, list(docbin.get_docs(self._vocab)))
        return self._cached[1][position]

    def __iter__(self) -> Iterator[int]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def portable(self, paragraphs: Sequence[Paragraph]) -> tuple[list[bytes], dict[int, tuple]]:
        """The stored groups, compressed, keyed by each paragraph's index in `paragraphs`, not
        its id: what another process rebuilds them from (`restored`). A DocBin carries its own
        strings."""
        index = {id(p): i for i, p in enumerate(paragraphs)}
        blobs = [g if isinstance(g, bytes) else _compressed(g) for g in self._groups]
        return blobs, {index[k]: where for k, where in self._where.items()}

    @classmethod
    def restored(cls, nlp: Language, paragraphs: Sequence[Paragraph],
                 portable: tuple[list[bytes], dict[int, tuple]]) -> ParsedDocs:
        """ParsedDocs for this process's copy of `paragraphs`, from `portable`."""
        docs = cls(nlp)
        blobs, where = portable
        docs._groups = list(blobs)
        docs._where = {id(paragraphs[i]): tuple(w) for i, w in where.items()}
        return docs

    def release(self) -> None:
        """Drop the cached group (its Docs stay valid for whoever holds them)."""
        self._cached = None


def _compressed(docs: Sequence[Doc]) -> bytes:
    docbin = DocBin(store_user_data=False)
    for doc in docs:
        docbin.add(doc)
    return docbin.to_bytes()
