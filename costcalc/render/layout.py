"""Tables that fit a terminal width: headers fold at spaces, then low-priority columns go, names wrap at spaces, ids
are never split.

Each column says what it holds: an `id` or a `number` is shown whole or not at all; `text` (a name, a
list of cost lines) wraps at spaces and folds only a word longer than the column. A header wider than its cells
('Break-even vs API' over 'never') folds onto lines of its own before any column gives way. When even the
columns that must stay (drop=0) are too wide, rows are stacked: the first cell on its own line, then
`header: value` lines under it. Every column that gave way is named under the table by `render` itself ('Not shown
at 80 columns: Sizing; a wider terminal shows it, as does --format json.'), so no table drops one unsaid.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from costcalc.render.escape import terminal
from costcalc.render.wrapping import linked, wrap

if TYPE_CHECKING:
    from rich.text import Text

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
    minor: bool = False  # gives way before any header folds (a kind, a list of cost lines); named like any other
    name: str | None = None  # what the note calls the column when it gives way (default: its header on one line)

    @property
    def label(self) -> str:
        """The column's name in a sentence: `name`, else its header's lines joined."""
        return self.name or " ".join(self.header.split())

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
    def compact(self) -> int:
        """`comfortable`, with a header wider than the cells folded at its spaces ('Break-even' over 'vs API')."""
        if self.kind == "text" and self.wrap_at is not None:
            return self.comfortable
        return max(self.narrowest, self._widest_cell, self._header_word)

    @property
    def narrowest(self) -> int:
        """Width below which the column is not shown: whole ids and numbers, a text's longest word (within limits),
        and every word of the header whole."""
        if self.kind == "text":
            longest_word = max((len(w) for c in self.cells for w in c.split()), default=0)
            whole = max(self._widest_cell, self._header_word)  # every cell whole, the header folded
            return max(self._header_word, min(whole, max(MIN_TEXT_WIDTH, min(longest_word, 2 * MIN_TEXT_WIDTH))))
        return max(self._widest_cell, self._header_word)  # ids and numbers whole; the header may fold at spaces

    @property
    def _widest_cell(self) -> int:
        return max((_widest_line(c) for c in self.cells), default=0)

    @property
    def _header_word(self) -> int:
        return max((len(w) for line in self.header.split("\n") for w in _header_words(line)), default=0)


def _widest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def fit(columns: Sequence[Column], width: int) -> list[Column] | None:
    """The columns that fit `width`, in their order: optional ones (highest `drop` first, the rightmost of a tie)
    go until the rest fit at their compact widths (comfortable, headers folded), minor ones first while the rest
    do not fit with their headers whole; None when even the columns that must stay do not fit."""
    kept = list(columns)
    while _needed(kept, comfortable=True) > width and (minor := [c for c in kept if c.minor and c.drop > 0]):
        kept.remove(max(minor, key=lambda c: (c.drop, kept.index(c))))
    while _needed(kept, compact=True) > width:
        optional = [c for c in kept if c.drop > 0]
        if not optional:
            break
        kept.remove(max(optional, key=lambda c: (c.drop, kept.index(c))))
    return kept if _needed(kept) <= width else None


def dropped(columns: Sequence[Column], width: int) -> list[Column]:
    """The columns `render` leaves out at `width` (none when it stacks the rows, which shows every column)."""
    kept = fit(columns, max(width, MIN_WIDTH))
    return [] if kept is None else [c for c in columns if c not in kept]


def hidden_note(columns: Sequence[Column], width: int, elsewhere: str = "") -> str:
    """'Not shown at 80 columns: Sizing, Break-even vs API; a wider terminal shows them[, ELSEWHERE].' for the
    columns that gave way at `width`, or '' when none did: the one wording of every table's note."""
    return _note(dropped(columns, width), width, elsewhere)


def _note(gone: Sequence[Column], width: int, elsewhere: str) -> str:
    names = [c.label for c in gone]
    if not names:
        return ""
    them = "it" if len(names) == 1 else "them"
    return f"Not shown at {width} columns: {', '.join(names)}; a wider terminal shows {them}" + (
        f", {elsewhere}." if elsewhere else "."
    )


def _needed(columns: Sequence[Column], *, compact: bool = False, comfortable: bool = False) -> int:
    each = (c.comfortable if comfortable else c.compact if compact else c.narrowest for c in columns)
    return sum(each) + GAP * max(0, len(columns) - 1)


def widths(columns: Sequence[Column], width: int) -> list[int]:
    """Each column's width: its narrowest, then the spare room handed out (up to compact, comfortable, then widest),
    most important column first."""
    out = [c.narrowest for c in columns]
    spare = width - _needed(columns)
    order = sorted(range(len(columns)), key=lambda i: (columns[i].drop, i))
    goals: tuple[Callable[[Column], int], ...] = (lambda c: c.compact, lambda c: c.comfortable, lambda c: c.widest)
    for goal in goals:
        for i in order:
            extra = min(spare, goal(columns[i]) - out[i])
            if extra > 0 and (columns[i].kind == "text" or extra == goal(columns[i]) - out[i]):
                out[i] += extra  # an id or a number takes room only to unfold its header whole, a text any room
                spare -= extra
    return out


def render(
    columns: Sequence[Column],
    width: int,
    *,
    title: str | None = None,
    row_styles: Sequence[str | None] = (),
    color: bool = False,
    elsewhere: str = "",
) -> str:
    """The table as text no wider than `width` (ANSI styles only when `color`), then the line naming the columns it
    had no room for (`hidden_note`; `elsewhere` says which other formats show them: 'as does --format json')."""
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
            Text("\n".join(terminal(line) for line in _folded(column.header, w))),  # a name is never rich markup
            justify="right" if column.kind == "number" else "left",
            width=w,
            no_wrap=column.kind != "text",
            overflow="fold",
        )
    rows = len(kept[0].cells) if kept else 0
    cell_widths = widths(kept, width)
    for r in range(rows):
        cells = (
            _text_cell(c.cells[r], w, color) if c.kind == "text" else Text(_lines(c.cells[r]))
            for c, w in zip(kept, cell_widths, strict=True)
        )
        table.add_row(*cells, style=row_styles[r] if r < len(row_styles) else None)
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
    if note := _note([c for c in columns if c not in kept], width, elsewhere):
        for line in wrap(note, width):
            console.print(Text(terminal(line), style="dim"), soft_wrap=True)
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


def _text_cell(cell: str, width: int, color: bool) -> Text:
    """A text cell broken as every message is (wrapping.wrap: at spaces, never inside a hyphenated id; a URL longer than
    the column folded after a '/', not cut mid-word), each piece of a URL linked to the whole address on a terminal."""
    from rich.style import Style
    from rich.text import Text

    text = Text()
    for n, raw in enumerate(cell.split("\n")):
        lines: list[list[tuple[str, str | None]]] = linked(terminal(raw), width) or [[("", None)]]
        for i, pieces in enumerate(lines):
            if n or i:
                text.append("\n")
            for piece, url in pieces:
                text.append(piece, style=Style(link=url) if url and color else None)
    return text


def linked_note(text: str, width: int, *, color: bool = False, first: str = "", rest: str = "") -> str:
    """A note wrapped as every message is (wrapping.wrap), ending in a newline; on a terminal (color) each piece of a
    folded URL links (OSC 8) to the whole address, as a table's text cell and the report's sources do."""
    if not color:
        return "\n".join(wrap(text, width, first=first, rest=rest)) + "\n"
    from rich.console import Console
    from rich.style import Style
    from rich.text import Text

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=True, color_system="standard", highlight=False, emoji=False)
    for pieces in linked(terminal(text), width, first=first, rest=rest):
        line = Text()
        for piece, url in pieces:
            line.append(piece, style=Style(link=url) if url else None)
        console.print(line, soft_wrap=True)
    return buf.getvalue()


def _lines(cell: str) -> str:
    """A cell for the terminal, its own line breaks kept (each line cleaned; `terminal` makes a newline a space)."""
    return "\n".join(terminal(line) for line in cell.split("\n"))


def _header_words(line: str) -> list[str]:
    """A header line's words, a number kept with the word after it ('Cash', '36 mo')."""
    return re.findall(r"[0-9][0-9,.]* \S+|\S+", line)


def _folded(header: str, width: int) -> list[str]:
    """The header's lines, each folded between its words to `width` (a word is never split)."""
    out: list[str] = []
    for line in header.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        current = ""
        for word in _header_words(line):
            if current and len(current) + 1 + len(word) > width:
                out.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        out.append(current)
    return out


def _rstrip_lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))
