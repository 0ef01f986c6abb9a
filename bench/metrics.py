"""Geoparsing metrics as the literature reports them (EUPEG; Gritta et al. 2018)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the largest possible error
MATCH_CHARS = 10  # EUPEG: spans match when their midpoints are less than 10 characters apart


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def auc(errors_km: list[float]) -> float:
    """Area under the curve of sorted, log-scaled errors (0 is perfect, 1 the worst)."""
    if not errors_km:
        return float("nan")
    scaled = sorted(math.log(1 + e) / math.log(MAX_ERROR_KM) for e in errors_km)
    if len(scaled) == 1:
        return scaled[0]
    width = 1 / (len(scaled) - 1)
    return sum((a + b) / 2 * width for a, b in zip(scaled, scaled[1:], strict=False))


@dataclass(frozen=True)
class DistanceScores:
    n: int
    acc161: float
    auc: float
    mean_km: float
    median_km: float


def distance_scores(errors_km: list[float]) -> DistanceScores:
    if not errors_km:
        nan = float("nan")
        return DistanceScores(0, nan, nan, nan, nan)
    return DistanceScores(
        n=len(errors_km),
        acc161=sum(e <= 161 for e in errors_km) / len(errors_km),
        auc=auc(errors_km),
        mean_km=statistics.fmean(errors_km),
        median_km=statistics.median(errors_km),
    )


def match_spans(
    gold: list[tuple[int, int]], predicted: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, nearest midpoints first."""
    pairs = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(predicted):
            distance = abs((gs + ge) / 2 - (ps + pe) / 2)
            if distance < MATCH_CHARS:
                pairs.append((distance, gi, pi))
    used_gold, used_pred, out = set(), set(), []
    for _, gi, pi in sorted(pairs):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            out.append((gi, pi))
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
