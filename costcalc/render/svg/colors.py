"""Colours: one per option (Okabe-Ito), one per cost line, and a darker shade for text in a colour."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.render.numbers import LINE_LABELS

# Okabe-Ito: distinguishable for colour-blind readers and in greyscale print
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
LINE_PALETTE = (  # cost lines: 15 distinct colours, as many as there are kinds of line (render.numbers.LINE_LABELS)
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#393B79",
    "#AD494A",
    "#637939",
    "#FFBB78",
    "#6B6ECF",
)


def line_colors(breakdowns: dict[str, dict[str, float]]) -> dict[str, str]:
    """A distinct colour per cost line drawn (positive in some option), in LINE_LABELS order."""
    order = list(LINE_LABELS)
    lines = sorted(
        {k for b in breakdowns.values() for k, v in b.items() if v > 0},
        key=lambda k: (order.index(k) if k in order else len(order), k),
    )
    return {k: LINE_PALETTE[i % len(LINE_PALETTE)] for i, k in enumerate(lines)}


def option_colors(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per option, by its position in the scenario."""
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}


def darker(color: str, factor: float = 0.75) -> str:
    """A darker shade of a #RRGGBB colour, for text in that colour on white."""
    if not (color.startswith("#") and len(color) == 7):
        return color
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * factor):02X}" for c in (r, g, b))
