"""The real spaCy pipeline with the gazetteer, shared by the tests of a module."""

from __future__ import annotations

import pytest

from extraction.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()
