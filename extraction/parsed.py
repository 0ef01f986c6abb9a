"""The spaCy Docs of an analysed article, kept compressed between analyse() and finish().

A live Doc costs about 40 MB per MB of text (more while the tagger's features are attached),
and an ingest holds a whole chunk of analysed articles before it finishes any of them. Kept as
DocBin bytes (tokens, tags, the dependency parse, entities, sentence starts; no tensor, no
user data) a paragraph costs about 2.5 MB per MB of text, and it is rebuilt, with its parse,
in a few per cent of the time parsing took.

Paragraphs are parsed in groups of at most BATCH_CHARS characters: spaCy's working memory
while parsing a batch grows with the batch's tokens (about 10 kB each), so small batches keep
the peak bounded whatever the article's length, and they are faster here, not slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from extraction.cleaning import Paragraph

BATCH_CHARS = 20_000  # characters of paragraphs parsed together (one DocBin each)


def batches(body: Sequence[Paragraph], limit: int = BATCH_CHARS) -> Iterator[list[Paragraph]]:
    """Consecutive paragraphs, grouped so that a group's text stays within `limit` characters
    (a longer paragraph, at most cleaning.MAX_PARAGRAPH, goes alone)."""
    group: list[Paragraph] = []
    size = 0
    for para in body:
        if group and size + len(para.text) > limit:
            yield group
            group, size = [], 0
        group.append(para)
        size += len(para.text)
    if group:
        yield group


def parse(nlp: Language, group: Sequence[Paragraph]) -> list[Doc]:
    """The group's paragraphs through the language pipeline, in one batch."""
    return list(nlp.pipe((p.text for p in group), batch_size=max(1, len(group))))


class ParsedDocs(Mapping[int, Doc]):
    """id(paragraph) -> its spaCy Doc, for the body paragraphs of an article.

    The Docs are stored one compressed DocBin per group and rebuilt on access; the last group
    rebuilt is cached, so that reading the paragraphs in order rebuilds each group once.
    """

    def __init__(self, nlp: Language):
        self._vocab = nlp.vocab
        self._blobs: list[bytes] = []
        self._where: dict[int, tuple[int, int]] = {}  # id(paragraph) -> (group, position)
        self._cached: tuple[int, list[Doc]] | None = None

    def add(self, group: Sequence[Paragraph], docs: Iterable[Doc]) -> None:
        """Store a parsed group (each Doc loses its tensor and user data)."""
        docbin = DocBin(store_user_data=False)
        count = 0
        for count, (para, doc) in enumerate(zip(group, docs, strict=True), start=1):
            docbin.add(doc)
            self._where[id(para)] = (len(self._blobs), count - 1)
        if count:
            self._blobs.append(docbin.to_bytes())

    @property
    def nbytes(self) -> int:
        """Bytes of the stored groups."""
        return sum(len(b) for b in self._blobs)

    def __getitem__(self, key: int) -> Doc:
        group, position = self._where[key]
        if self._cached is None or self._cached[0] != group:
            docbin = DocBin(store_user_data=False).from_bytes(self._blobs[group])
            self._cached = (group, list(docbin.get_docs(self._vocab)))
        return self._cached[1][position]

    def __iter__(self) -> Iterator[int]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def portable(self, paragraphs: Sequence[Paragraph]) -> tuple[list[bytes], dict[int, tuple]]:
        """The stored groups keyed by each paragraph's index in `paragraphs`, not its id: what
        another process rebuilds them from (`restored`). A DocBin carries its own strings."""
        index = {id(p): i for i, p in enumerate(paragraphs)}
        return list(self._blobs), {index[k]: where for k, where in self._where.items()}

    @classmethod
    def restored(cls, nlp: Language, paragraphs: Sequence[Paragraph],
                 portable: tuple[list[bytes], dict[int, tuple]]) -> ParsedDocs:
        """ParsedDocs for this process's copy of `paragraphs`, from `portable`."""
        docs = cls(nlp)
        blobs, where = portable
        docs._blobs = list(blobs)
        docs._where = {id(paragraphs[i]): tuple(w) for i, w in where.items()}
        return docs

    def release(self) -> None:
        """Drop the cached group (its Docs stay valid for whoever holds them)."""
        self._cached = None
