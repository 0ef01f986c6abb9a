"""Where every benchmark writes its figures: bench/results/<name>-<UTC time>.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write_results(name: str, result: dict) -> Path:
    """Write `result` as bench/results/<name>-<UTC time>.json and say where."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written {out}")
    return out
