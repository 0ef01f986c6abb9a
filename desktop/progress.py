"""A progress bar for long command-line runs (on standard error, only when it is a terminal).

The current file's name is shown escaped (desktop.terminal) and not as rich markup: a name may
hold escape sequences or brackets."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from desktop.terminal import safe


@contextmanager
def console_progress(min_files: int = 3) -> Iterator[Callable[[int, int, str], None] | None]:
    if not sys.stderr.isatty():
        yield None
        return
    bar = Progress(
        TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False), transient=True,
        console=Console(stderr=True),
    )
    task = None

    def update(done: int, total: int, current: str) -> None:
        nonlocal task
        if total < min_files:
            return
        if task is None:
            bar.start()
            task = bar.add_task("", total=total)
        bar.update(task, completed=done, description=safe(Path(current).name) if current else "")

    try:
        yield update
    finally:
        bar.stop()
