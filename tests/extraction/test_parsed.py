"""Parsing in batches across articles, and Docs held live or compressed until finish()."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extraction.cleaning import paragraphs
from extraction.parallel import groups
from extraction.parsed import ParsedDocs, parse_stream
from extraction.reading import RawArticle


class Recording:
    """A blank English pipeline that records the batches nlp.pipe is given."""

    def __init__(self) -> None:
        self.nlp = spacy.blank("en")
        self.vocab = self.nlp.vocab
        self.batches: list[list[str]] = []

    def pipe(self, texts: Iterable[str], batch_size: int = 1) -> Iterator[Doc]:
        batch = list(texts)
        self.batches.append(batch)
        assert batch_size == len(batch)
        for doc in self.nlp.pipe(batch):
            doc.tensor = numpy.ones((len(doc), 4), dtype="float32")  # as tok2vec leaves it
            yield doc


def test_batches_span_texts_and_stay_within_the_limit() -> None:
    nlp = Recording()
    texts = [f"Paragraph {i} names Vladivostok." * (1 + i % 3) for i in range(40)]
    docs = list(parse_stream(nlp, iter(texts), limit=200))
    assert [d.text for d in docs] == texts
    assert [t for batch in nlp.batches for t in batch] == texts
    assert len(nlp.batches) < len(texts) / 2  # several texts in most batches
    assert all(sum(map(len, b)) <= 200 for b in nlp.batches)
    assert all(d.tensor.shape == (0,) for d in docs)  # nothing after the pipeline reads it


def test_a_text_longer_than_the_limit_goes_alone() -> None:
    nlp = Recording()
    texts = ["Short one.", "A long one. " * 30, "Short two."]
    assert [d.text for d in parse_stream(nlp, texts, limit=100)] == texts
    assert nlp.batches == [[texts[0]], [texts[1]], [texts[2]]]


def test_the_stream_reads_at_most_a_batch_ahead() -> None:
    nlp = Recording()
    read: list[str] = []

    def texts() -> Iterator[str]:
        for i in range(10):
            read.append(f"Text {i}.")
            yield read[-1]

    docs = parse_stream(nlp, texts(), limit=20)  # two texts a batch
    next(docs)
    assert len(read) <= 3


def _docs(nlp: Language, text: str) -> tuple[list, list[Doc]]:
    body = paragraphs(text)
    return body, list(nlp.pipe(p.text for p in body))


def test_live_and_compressed_groups_give_the_same_docs() -> None:
    nlp = spacy.blank("en")
    body, docs = _docs(nlp, "Kim met Putin.\nThey talked in Vladivostok.\nShoigu went home.")
    held = ParsedDocs(nlp)
    held.add(body[:2], docs[:2], live=True)
    held.add(body[2:], docs[2:])
    assert held.live and held.nbytes > 0
    assert held[id(body[0])] is docs[0]  # live: the Doc itself, nothing rebuilt
    assert [held[id(p)].text for p in body] == [d.text for d in docs]
    blobs, where = held.portable(body)  # live groups are compressed to travel
    assert all(isinstance(b, bytes) for b in blobs) and len(blobs) == 2
    copy = paragraphs(body[0].text + "\n" + body[1].text + "\n" + body[2].text)
    restored = ParsedDocs.restored(nlp, copy, (blobs, where))
    assert not restored.live
    assert [restored[id(p)].text for p in copy] == [d.text for d in docs]


def test_article_groups_for_the_workers() -> None:
    articles = [RawArticle(text="x" * size, path=str(i))
                for i, size in enumerate([10, 20, 30, 100, 5, 5])]
    assert [[a.path for a in g] for g in groups(articles, limit=60)] == [
        ["0", "1", "2"], ["3"], ["4", "5"]]
    assert list(groups([], limit=60)) == []
