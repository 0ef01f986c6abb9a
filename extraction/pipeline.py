"""The pipeline: text -> passages, place mentions, dates and the events each sentence reports."""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from extraction.actor_keys import ActorNormaliser
from extraction.chunks import CHUNK, chunk_bounds
from extraction.cleaning import Paragraph, paragraphs
from extraction.dates import find_dates
from extraction.happenings import extract_events
from extraction.nlp import DEFAULT_MODEL, build_nlp, find_toponyms, surnames
from extraction.parsed import LIVE_TEXT, ParsedDocs, batches, parse_stream
from extraction.reading import RawArticle
from extraction.toponym_cues import defined_abbreviations
from geo.gazetteer import Gazetteer
from geo.geocoders import CachedGeocoder
from geo.outlets import Home, OutletHomes
from geo.resolve import Toponym, resolve_toponyms
from store.models import Document, Mention, Passage

log = logging.getLogger(__name__)


@dataclass
class Analysis:
    """An article read by the language pipeline, its toponyms found but not yet resolved.

    Kept apart from resolution so that a batch can first learn where each outlet reports
    (geo.outlets) from the names all its articles use, then resolve them. Its Docs are held
    live up to a budget of text, compressed beyond it (extraction.parsed), so that a chunk of
    analysed articles holds a few MB per MB of text, not hundreds.
    """

    article: RawArticle
    paragraphs: list[Paragraph]
    # id(paragraph) -> its spaCy Doc (with the parse), for paragraphs not boilerplate
    docs: ParsedDocs
    toponyms: list[Toponym]

    @property
    def names(self) -> list[str]:
        return [t.text for t in self.toponyms]


class Pipeline:
    """Holds the loaded spaCy pipeline and gazetteer; build one and reuse it for many files."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        nlp: Language | None = None,
        gazetteer: Gazetteer | None = None,
        geocoder: CachedGeocoder | None = None,
    ):
        self.model = None if nlp is not None else model  # what a worker process loads
        self.nlp = nlp or build_nlp(model)
        self.gazetteer = gazetteer or Gazetteer.open()
        self.geocoder = geocoder
        # links the actors of every document this pipeline processes (extraction.actor_keys)
        self.normaliser = ActorNormaliser(self.gazetteer)
        self.with_events = True  # False: passages without events (to measure what they cost)

    def process(self, article: RawArticle, home: Home | None = None) -> Document:
        """`home`: where the article's outlet usually reports, when known (geo.outlets)."""
        return self.finish(next(self.analyse_many([article], live_text=LIVE_TEXT)), home)

    def analyse(self, article: RawArticle) -> Analysis:
        """The article read by the language pipeline, its Docs compressed."""
        return next(self.analyse_many([article]))

    def analyse_many(self, articles: Iterable[RawArticle], live_text: int = 0
                     ) -> Iterator[Analysis]:
        """The articles' analyses, in order, their paragraphs parsed in batches that span
        articles (extraction.parsed.parse_stream). An article's Docs stay live while the
        articles so far hold at most `live_text` characters of story paragraphs; the others'
        are compressed. Lazy: it parses at most a batch ahead of the analysis it yields."""
        articles = list(articles)
        split = [paragraphs(a.text) for a in articles]
        bodies = [[p for p in paras if not p.boilerplate] for paras in split]
        docs = parse_stream(self.nlp, (p.text for body in bodies for p in body))
        budget = live_text
        for article, paras, body in zip(articles, split, bodies, strict=True):
            size = sum(len(p.text) for p in body)
            live = size <= budget
            budget -= size if live else 0
            yield self._analysed(article, paras, body, docs, live)

    def _analysed(self, article: RawArticle, paras: list[Paragraph], body: list[Paragraph],
                  parsed: Iterator[Doc], live: bool) -> Analysis:
        """The analysis of an article whose story paragraphs' Docs are the next of `parsed`."""
        docs = ParsedDocs(self.nlp)
        people: frozenset[str] = frozenset()
        defined: dict[str, str] = {}  # abbreviations of places the article defines
        for group in batches(body):  # bounded groups: bounded memory, whatever the length
            group_docs = [next(parsed) for _ in group]
            people |= surnames(group_docs, self.gazetteer)
            defined |= defined_abbreviations(group_docs, self.gazetteer)
            docs.add(group, group_docs, live=live)
        # The surnames of the whole article first: then its toponyms, from the stored Docs.
        toponyms: list[Toponym] = []
        for p in body:
            toponyms.extend(find_toponyms(docs[id(p)], self.gazetteer, offset=p.start,
                                          people=people, defined=defined))
        docs.release()
        return Analysis(article, paras, docs, toponyms)

    def finish(self, analysis: Analysis, home: Home | None = None) -> Document:
        """Resolve an analysed article's toponyms and build its passages and their events."""
        article, paras, docs = analysis.article, analysis.paragraphs, analysis.docs
        text = article.text
        published = _parse_date(article.published)
        mentions = resolve_toponyms(text, analysis.toponyms, self.gazetteer, self.geocoder,
                                    home=home)
        self.normaliser.start_document()
        passages: list[Passage] = []
        starts = [m.start for m in mentions]  # in text order, as the toponyms are
        for p in paras:
            if p.boilerplate:
                passages.append(Passage(p.start, p.end, p.text, boilerplate=True))
            else:
                inside = mentions[bisect_left(starts, p.start):bisect_left(starts, p.end)]
                passages.extend(self._passages(p, docs[id(p)], inside, published))
        docs.release()
        return Document(
            text=text, path=article.path, title=article.title, outlet=article.outlet,
            published=article.published, published_source=article.published_source,
            sha256=article.sha256, passages=passages, encoding=article.encoding,
            replaced_bytes=article.replaced,
        )

    def _passages(self, para: Paragraph, doc: Doc, mentions: list[Mention],
                  published: date | None) -> list[Passage]:
        dates = find_dates(para.text, published, offset=para.start)
        out = []
        for sent in doc.sents:
            start, end = para.start + sent.start_char, para.start + sent.end_char
            text = para.text[sent.start_char:sent.end_char]  # sent.text, without joining tokens
            if not text.strip():
                continue
            inside = [m for m in mentions if start <= m.start < end]
            sent_dates = [d for d in dates if start <= d.start < end]
            passage = Passage(start, end, text, mentions=inside, dates=sent_dates)
            if self.with_events:
                passage.events = extract_events(sent, inside, sent_dates, para.start,
                                                self.normaliser, published)
            out.append(passage)
        return out

    def process_many(self, articles: Sequence[RawArticle], homes: OutletHomes | None = None,
                     chunk: int = CHUNK) -> Iterator[Document]:
        """Documents in order, made as an ingest makes them: the names of each chunk's articles
        go to `homes` (where each outlet usually reports) before any of them is resolved."""
        for _, document in self.analysed_many(articles, homes, chunk):
            yield document

    def analysed_many(self, articles: Sequence[RawArticle], homes: OutletHomes | None = None,
                      chunk: int = CHUNK) -> Iterator[tuple[Analysis, Document]]:
        """process_many, each document with the analysis it was finished from; the articles
        cut into chunks as an ingest cuts them (extraction.chunks)."""
        for first, end in chunk_bounds(len(articles), chunk):
            analysed = list(self.analyse_many(articles[first:end], LIVE_TEXT))
            if homes is not None:
                for analysis in analysed:
                    homes.add(analysis.article.outlet, analysis.names)
            for analysis in analysed:
                home = homes.home(analysis.article.outlet) if homes is not None else None
                yield analysis, self.finish(analysis, home)


def resolved_mentions(document: Document) -> list[Mention]:
    """The document's mentions that found a place, in text order."""
    return [m for p in document.passages for m in p.mentions if m.place is not None]


class Analyses:
    """Pipeline.analyse_many, one article at a time: `next` gives the next article's analysis
    or raises what analysing it raised. When the stream fails, the article is analysed again
    alone (the failure may be another article's of the same parse batch) and the articles
    after it in a new stream."""

    def __init__(self, pipeline: Pipeline, articles: Sequence[RawArticle], live_text: int = 0):
        self._pipeline = pipeline
        self._articles = articles
        self._live_text = live_text
        self._done = 0
        self._stream = pipeline.analyse_many(articles, live_text)

    def next(self) -> Analysis:
        article = self._articles[self._done]
        self._done += 1
        try:
            return next(self._stream)
        except Exception:
            rest = self._articles[self._done:]
            self._stream = self._pipeline.analyse_many(rest, self._live_text)
        return next(self._pipeline.analyse_many([article], self._live_text))


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
