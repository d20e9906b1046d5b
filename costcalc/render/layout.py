"""Tables that fit a terminal width: low-priority columns go first, names wrap at spaces, ids are never split.

Each column says what it holds: an `id` or a `number` is shown whole or not at all; `text` (a name, a
list of cost lines) wraps at spaces and folds only a word longer than the column. When even the
columns that must stay (drop=0) are too wide, rows are stacked: the first cell on its own line, then
`header: value` lines under it.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from costcalc.render.escape import terminal

GAP = 2  # characters between two columns (one of padding, one of the box's blank divider)
MIN_TEXT_WIDTH = 12  # a text column is never squeezed below this (or its widest cell, when narrower)
MIN_WIDTH = 40  # narrower terminals are treated as this wide

Kind = Literal["id", "number", "text"]


@dataclass(frozen=True)
class Column:
    """One column: its header (lines split by newlines), its cells as text, what they are, and how soon it may be
    dropped (0 = never)."""

    header: str
    cells: Sequence[str]
    kind: Kind = "text"
    drop: int = 0
    wrap_at: int | None = None  # text: the width it is comfortable at (wrapping longer names); default its widest

    @property
    def widest(self) -> int:
        """Width that shows every cell and every line of the header whole."""
        return max([_widest_line(self.header), *(_widest_line(c) for c in self.cells)])

    @property
    def comfortable(self) -> int:
        """Width at which the column reads well: a text at `wrap_at` (when given), anything else whole."""
        if self.kind == "text" and self.wrap_at is not None:
            return max(self.narrowest, min(self.widest, self.wrap_at))
        return self.widest

    @property
    def narrowest(self) -> int:
        """Width below which the column is not shown: whole ids and numbers, a text's longest word (within limits)."""
        if self.kind == "text":
            header_word = max((len(w) for w in self.header.split()), default=0)
            longest_word = max((len(w) for c in self.cells for w in c.split()), default=0)
            return max(header_word, min(self.widest, max(MIN_TEXT_WIDTH, min(longest_word, 2 * MIN_TEXT_WIDTH))))
        return self.widest  # ids and numbers whole, and each header line whole


def _widest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def fit(columns: Sequence[Column], width: int) -> list[Column] | None:
    """The columns that fit `width`, in their order: optional ones (highest `drop` first, the rightmost of a tie)
    go until the rest fit at their comfortable widths; None when even the columns that must stay do not fit."""
    kept = list(columns)
    while _needed(kept, comfortable=True) > width:
        optional = [c for c in kept if c.drop > 0]
        if not optional:
            break
        kept.remove(max(optional, key=lambda c: (c.drop, kept.index(c))))
    return kept if _needed(kept) <= width else None


def _needed(columns: Sequence[Column], *, comfortable: bool = False) -> int:
    return sum(c.comfortable if comfortable else c.narrowest for c in columns) + GAP * max(0, len(columns) - 1)


def widths(columns: Sequence[Column], width: int) -> list[int]:
    """Each column's width: its narrowest, then the spare room handed out (up to comfortable, then up to widest),
    most important column first."""
    out = [c.narrowest for c in columns]
    spare = width - _needed(columns)
    order = sorted(range(len(columns)), key=lambda i: (columns[i].drop, i))
    goals: tuple[Callable[[Column], int], ...] = (lambda c: c.comfortable, lambda c: c.widest)
    for goal in goals:
        for i in order:
            extra = min(spare, goal(columns[i]) - out[i])
            if extra > 0:
                out[i] += extra
                spare -= extra
    return out


def render(
    columns: Sequence[Column],
    width: int,
    *,
    title: str | None = None,
    row_styles: Sequence[str | None] = (),
    color: bool = False,
) -> str:
    """The table as text no wider than `width` (ANSI styles only when `color`)."""
    width = max(width, MIN_WIDTH)
    kept = fit(columns, width)
    if kept is None:
        return stacked(columns, width, title=title)
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        header_style="bold",
    )
    for column, w in zip(kept, widths(kept, width)):
        table.add_column(
            Text("\n".join(map(terminal, column.header.split("\n")))),  # a name is never rich markup
            justify="right" if column.kind == "number" else "left",
            width=w,
            no_wrap=column.kind != "text",
            overflow="fold",
        )
    rows = len(kept[0].cells) if kept else 0
    for r in range(rows):
        table.add_row(*(Text(terminal(c.cells[r])) for c in kept), style=row_styles[r] if r < len(row_styles) else None)
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )
    if title:
        console.print(Text(terminal(title), style="bold"), overflow="fold")  # a path longer than the width folds
    console.print(table)
    return _rstrip_lines(buf.getvalue())


def stacked(columns: Sequence[Column], width: int, *, title: str | None = None) -> str:
    """Rows one under another: the first cell, then `header: value` lines (for terminals too narrow for a table)."""
    lines = [title] if title else []
    rows = len(columns[0].cells) if columns else 0
    for r in range(rows):
        lines.append(columns[0].cells[r])
        for c in columns[1:]:
            value = " ".join(c.cells[r].split())
            if value:
                lines += textwrap.wrap(
                    f"{' '.join(c.header.split())}: {value}",
                    width=width,
                    initial_indent="  ",
                    subsequent_indent="    ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
    return "\n".join(lines) + "\n"


def _rstrip_lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))
