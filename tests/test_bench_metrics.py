"""The benchmark's metrics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from bench.metrics import auc, distance_scores, great_circle_km, match_spans, prf


def test_great_circle_distance() -> None:
    assert great_circle_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.1)
    moscow_vladivostok = great_circle_km(55.7558, 37.6173, 43.1155, 131.8855)
    assert moscow_vladivostok == pytest.approx(6430, rel=0.01)


def test_auc_bounds() -> None:
    assert auc([0, 0, 0]) == 0
    assert auc([20039, 20039]) == pytest.approx(1, abs=1e-4)
    mid = auc([0, 20039])
    assert mid == pytest.approx(0.5, abs=1e-4)
    assert auc([10, 100]) == pytest.approx(
        (math.log(11) + math.log(101)) / 2 / math.log(20039))


def test_distance_scores() -> None:
    s = distance_scores([0, 100, 200, 1000])
    assert (s.n, s.acc161, s.median_km, s.mean_km) == (4, 0.5, 150, 325)


def test_spans_match_by_midpoint_one_to_one() -> None:
    gold = [(0, 6), (20, 30), (100, 110)]
    predicted = [(0, 6), (2, 8), (22, 34), (60, 70)]
    assert sorted(match_spans(gold, predicted)) == [(0, 0), (1, 2)]


def test_prf() -> None:
    assert prf(8, 2, 8) == pytest.approx((0.8, 0.5, 8 / 13))
    assert prf(0, 0, 5) == (0.0, 0.0, 0.0)
