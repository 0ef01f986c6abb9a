"""desktop.recent: values kept for the last few lists, by identity, most recently used last."""

from __future__ import annotations

from desktop.recent import Recent


def test_values_are_found_by_identity_not_equality() -> None:
    kept: Recent[int] = Recent(4)
    a, b = [1, 2], [1, 2]
    made: list[int] = []
    assert kept.get(a, lambda: made.append(1) or 10) == 10
    assert kept.get(b, lambda: made.append(2) or 20) == 20  # equal, not the same list
    assert kept.get(a, lambda: made.append(3) or 30) == 10  # found again
    assert made == [1, 2]


def test_a_value_found_again_is_kept_longest() -> None:
    kept: Recent[str] = Recent(2)
    every, first, second = [0], [1], [2]
    kept.get(every, lambda: "every")
    kept.get(first, lambda: "first")
    assert kept.get(every, lambda: "again") == "every"  # used: now the most recent
    kept.get(second, lambda: "second")  # drops `first`, the least recently used
    assert kept.get(every, lambda: "again") == "every"
    assert kept.get(first, lambda: "made anew") == "made anew"
    assert len(kept) == 2


def test_further_keys_and_put_and_clear() -> None:
    kept: Recent[str] = Recent(3)
    ranges = [0]
    kept.get(ranges, lambda: "2021 by month", 2021, "month")
    assert kept.get(ranges, lambda: "2022 by month", 2022, "month") == "2022 by month"
    assert kept.get(ranges, lambda: "anew", 2021, "month") == "2021 by month"
    kept.put(ranges, "given", 2020, "year")
    assert kept.get(ranges, lambda: "anew", 2020, "year") == "given"
    kept.clear()
    assert len(kept) == 0
    assert kept.get(ranges, lambda: "anew", 2020, "year") == "anew"


def test_a_kept_object_keeps_its_identity() -> None:
    """The object is held with its value: its id cannot be reused by another list meanwhile."""
    kept: Recent[str] = Recent(2)
    kept.get([1, 2, 3], lambda: "a temporary list")
    other = [4, 5, 6]
    assert kept.get(other, lambda: "other") == "other"
