"""Progress on stderr for commands that can run over a second: a bar that knows its length; nothing in a pipe."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Update = Callable[[int, int], None]


@contextmanager
def progress_bar(label: str, *, unit: str = "", stream: TextIO | None = None) -> Iterator[Update | None]:
    """A rich bar on stderr (done/total, elapsed) when stderr is a terminal; yields its update(done, total), or None.

    Until the first update it pulses and says 'starting'; the bar is gone when the block ends.
    """
    from rich.console import Console

    console = Console(file=stream or sys.stderr)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class Count(ProgressColumn):
        """'12,000/100,000 samples' once the length is known, 'starting' before."""

        def render(self, task: Task) -> Text:
            if task.total is None:
                return Text("starting", style="dim")
            return Text(f"{int(task.completed):,}/{int(task.total):,} {unit}".rstrip(), style="green")

    with Progress(
        SpinnerColumn(),
        TextColumn(label, markup=False),
        BarColumn(),
        Count(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
