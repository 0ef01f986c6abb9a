"""Articles analysed together (one parse stream, Docs live up to a budget) give what each
gives alone; an article that fails does not stop the ones after it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from spacy.tokens import Doc

from extraction.actor_keys import ActorNormaliser
from extraction.pipeline import Analyses, Pipeline
from extraction.reading import RawArticle, read_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = [pytest.mark.model, pytest.mark.slow]


def _seeds() -> list[RawArticle]:
    return [read_article(path) for path in sorted(SEEDS.glob("*.txt"))]


def test_analyses_together_are_those_of_each_article_alone(pipeline: Pipeline) -> None:
    raws = _seeds()
    budget = len(raws[0].text) + len(raws[1].text)  # the first two (at most) live
    together = list(pipeline.analyse_many(raws, live_text=budget))
    assert [a.docs.live for a in together][:1] == [True] and not together[-1].docs.live
    for raw, analysis in zip(raws, together, strict=True):
        alone = pipeline.analyse(raw)
        assert not alone.docs.live
        assert analysis.toponyms == alone.toponyms and analysis.paragraphs == alone.paragraphs
        pipeline.normaliser = ActorNormaliser(pipeline.gazetteer)
        from_stream = pipeline.finish(analysis)
        pipeline.normaliser = ActorNormaliser(pipeline.gazetteer)
        assert from_stream == pipeline.finish(alone), raw.path
        assert sum(len(p.events) for p in from_stream.passages) > 0


class _Failing:
    """The real pipeline, failing on any batch that holds `marker`."""

    def __init__(self, pipeline: Pipeline, marker: str) -> None:
        self._nlp, self.vocab, self.marker = pipeline.nlp, pipeline.nlp.vocab, marker

    def pipe(self, texts: Iterable[str], batch_size: int = 1) -> Iterator[Doc]:
        batch = list(texts)
        if any(self.marker in t for t in batch):
            raise RuntimeError("the parser failed")
        return self._nlp.pipe(batch, batch_size=batch_size)


def test_an_article_that_fails_does_not_stop_the_others(pipeline: Pipeline) -> None:
    raws = _seeds()[:3]
    raws.insert(1, RawArticle(text="Kim met Putin. XYZZY\n", path="bad.txt"))
    failing = Pipeline(nlp=_Failing(pipeline, "XYZZY"), gazetteer=pipeline.gazetteer)
    analyses = Analyses(failing, raws, live_text=10_000_000)
    # the first shares a parse batch with the bad one: it fails there, then goes alone
    assert analyses.next().toponyms == pipeline.analyse(raws[0]).toponyms
    with pytest.raises(RuntimeError):
        analyses.next()
    rest = [analyses.next() for _ in raws[2:]]
    assert [a.article.path for a in rest] == [r.path for r in raws[2:]]
    assert [a.toponyms for a in rest] == [pipeline.analyse(r).toponyms for r in raws[2:]]
