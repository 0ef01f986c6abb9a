"""What a worker process sends back (extraction.parallel._analyse), run here: the analysis one
process makes, its Docs compressed once and never rebuilt in the worker."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from extraction import parallel, parsed
from extraction.parallel import Pending, restore
from extraction.parsed import LIVE_TEXT
from extraction.pipeline import Analyses, Pipeline
from extraction.reading import RawArticle
from tests.conftest import SEEDS

pytestmark = [pytest.mark.model, pytest.mark.slow]


class _NotRebuilt(DocBin):
    """A DocBin that refuses to rebuild Docs: the worker must find its toponyms on live ones."""

    def from_bytes(self, bytes_data: bytes) -> DocBin:
        raise AssertionError("a worker rebuilt Docs it had parsed")


def _articles() -> list[RawArticle]:
    return [RawArticle(text=p.read_text(encoding="utf-8"), path=p.name)
            for p in sorted(Path(SEEDS).glob("*.txt"))]


def test_a_worker_sends_the_analysis_one_process_makes(
        pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _articles()
    here = Analyses(pipeline, articles, LIVE_TEXT)
    expected = [here.next() for _ in articles]
    monkeypatch.setattr(parallel, "_WORKER", pipeline)
    with monkeypatch.context() as m:
        m.setattr(parsed, "DocBin", _NotRebuilt)
        sent = parallel._analyse(articles)
    assert not [s for s in sent if isinstance(s, Exception)]
    for article, mine, portable in zip(articles, expected, sent, strict=True):
        future: Future = Future()
        future.set_result([portable])
        theirs = restore(pipeline, article, Pending(future, 0))
        assert theirs.toponyms == mine.toponyms and theirs.toponyms
        assert theirs.paragraphs == mine.paragraphs
        for p, q in zip(mine.paragraphs, theirs.paragraphs, strict=True):
            if not p.boilerplate:
                assert theirs.docs[id(q)].to_json() == mine.docs[id(p)].to_json()
