"""The SVG canvas: chart sizes and fonts, coordinates as stable text, the root element, text, the plot frame."""

from __future__ import annotations

from costcalc.render.escape import xml as escape
from costcalc.render.text_metrics import text_box

WIDTH, HEIGHT = 720.0, 380.0
PHONE_WIDTH = 360.0  # the HTML report's second drawing of each chart, shown on screens up to 600 px wide
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 72.0, 16.0, 16.0, 48.0
TICK_SIZE, LABEL_SIZE, NAME_SIZE = 11, 11, 12  # font sizes (px) of tick labels, marker labels, option names
LABEL_GAP = 3.0  # px kept clear around every label
FONT = "font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\""


def fmt(x: float) -> str:
    """A coordinate with at most 2 decimals and no trailing zeros (stable text)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def data_num(x: float) -> str:
    """A value for a data-* attribute: full precision, repr-stable."""
    return repr(float(x))


Box = tuple[float, float, float, float]  # left, top, right, bottom


def open_svg(kind: str, title: str, width: float = WIDTH, height: float = HEIGHT, extra: str = "") -> list[str]:
    """The root <svg> element (its size, aria label and data-* `extra`) and its <title>."""
    return [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}"'
            f' viewBox="0 0 {fmt(width)} {fmt(height)}" width="{fmt(width)}" height="{fmt(height)}" role="img"'
            f' aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet"{extra}>'
        ),
        f"<title>{escape(title)}</title>",
    ]


def axes_frame(x0: float, x1: float, y0: float, y1: float) -> str:
    """The grey frame around the plot area."""
    return (
        f'<rect class="plot-area" x="{fmt(x0)}" y="{fmt(y1)}" width="{fmt(x1 - x0)}" height="{fmt(y0 - y1)}"'
        ' fill="none" stroke="#bbb"/>'
    )


def axis_break(x: float, y: float) -> str:
    """Two short slanted strokes across the y axis at `y`: the axis is broken there (a $0 line under a log axis)."""
    strokes = " ".join(f"M{fmt(x - 5)},{fmt(y + dy + 2)} L{fmt(x + 5)},{fmt(y + dy - 2)}" for dy in (-2.5, 2.5))
    return (
        f'<rect class="axis-break" x="{fmt(x - 6)}" y="{fmt(y - 3)}" width="12" height="6" fill="#fff"/>'
        f'<path class="axis-break" d="{strokes}" stroke="#888" stroke-width="1.2" fill="none"/>'
    )


def text_element(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "middle",
    size: int = 12,
    cls: str = "",
    fill: str = "#333",
    halo: bool = False,
    attrs: str = "",
) -> str:
    """A <text> element; with `halo`, a white panel under it for a label drawn over lines."""
    klass = f' class="{cls}"' if cls else ""
    klass += f" {attrs}" if attrs else ""
    where = f'x="{fmt(x)}" y="{fmt(y)}" text-anchor="{anchor}" font-size="{size}"'
    under = ""
    if halo:  # a white panel under a label drawn over lines
        left, top, right, bottom = text_box(x, y, text, size, anchor)
        under = (
            f'<rect class="halo" x="{fmt(left - 2)}" y="{fmt(top + 1)}" width="{fmt(right - left + 4)}"'
            f' height="{fmt(bottom - top - 2)}" rx="2" fill="#fff" fill-opacity="0.85"/>'
        )
    return f'{under}<text{klass} {where} fill="{fill}" {FONT}>{escape(text)}</text>'


OVERLAP_DASH = "9 7"  # a line drawn over an earlier one: dashed, so the earlier colour shows in its gaps


def curve(name_attr: str, points: str, color: str, drawn: set[str]) -> str:
    """One option's polyline; dashed where the same points were drawn already (two options of equal cost: the second
    line hid the first, so a legend entry had no line; qa23). `drawn` collects the points of the lines so far."""
    dash = f' stroke-dasharray="{OVERLAP_DASH}"' if points in drawn else ""
    drawn.add(points)
    return (
        f'<polyline class="curve" data-option="{name_attr}" points="{points}" fill="none" stroke="{color}"'
        f' stroke-width="2.2" stroke-linejoin="round"{dash}/>'
    )
