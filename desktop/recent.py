"""Values computed for the last few lists a view was given, found again by the list's identity.

Clearing a search or a filter gives back a list the views had a moment ago (every event, or the
events before the filter): its counts, date ranges and histograms are found here instead of
being computed again over 100,000 events. The most recently used are kept longest: a list found
again moves to the front (a search, cleared, searched again and cleared again finds every event's
values still there).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """At most `size` values, each for an object (by identity) and an optional further key."""

    def __init__(self, size: int) -> None:
        self.size = size
        # (id of the object, key...) -> (the object, kept so that its id stays its own; value)
        self._memo: dict[tuple, tuple[object, V]] = {}

    def get(self, of: object, make: Callable[[], V], *key: Hashable) -> V:
        """The value for `of` (and `key`), made by `make()` when it is not kept."""
        slot = (id(of), *key)
        entry = self._memo.pop(slot, None)
        if entry is None:
            entry = (of, make())
        self._keep(slot, entry)
        return entry[1]

    def put(self, of: object, value: V, *key: Hashable) -> None:
        """Keep `value` for `of` (and `key`), as the most recent."""
        slot = (id(of), *key)
        self._memo.pop(slot, None)
        self._keep(slot, (of, value))

    def clear(self) -> None:
        self._memo.clear()

    def __len__(self) -> int:
        return len(self._memo)

    def _keep(self, slot: tuple, entry: tuple[object, V]) -> None:
        self._memo[slot] = entry  # the most recent last
        while len(self._memo) > self.size:
            del self._memo[next(iter(self._memo))]
