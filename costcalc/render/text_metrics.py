"""Text widths in DejaVu Sans, so charts place labels without a browser or a font library at run time.

The advance widths come from DejaVuSans.ttf of Debian's fonts-dejavu-core 2.37 (units of 1/2048 em),
read with fontTools; tests/render/test_text_metrics.py checks them against the installed font. DejaVu
Sans is wider than the usual UI sans-serif fonts (Arial, Helvetica, Segoe UI, Roboto), so a label laid
out with these widths does not grow into its neighbour in those fonts either.
"""

from __future__ import annotations

UNITS_PER_EM = 2048
ASCENT_EM = 1901 / UNITS_PER_EM  # hhea ascent: a text box reaches this far above the baseline
DESCENT_EM = 483 / UNITS_PER_EM  # and this far below it
OTHER_EM = 1.0  # a character not in the table is taken as one em wide
ADVANCE = {
    " ": 651,
    "!": 821,
    '"': 942,
    "#": 1716,
    "$": 1303,
    "%": 1946,
    "&": 1597,
    "'": 563,
    "(": 799,
    ")": 799,
    "*": 1024,
    "+": 1716,
    ",": 651,
    "-": 739,
    ".": 651,
    "/": 690,
    "0": 1303,
    "1": 1303,
    "2": 1303,
    "3": 1303,
    "4": 1303,
    "5": 1303,
    "6": 1303,
    "7": 1303,
    "8": 1303,
    "9": 1303,
    ":": 690,
    ";": 690,
    "<": 1716,
    "=": 1716,
    ">": 1716,
    "?": 1087,
    "@": 2048,
    "A": 1401,
    "B": 1405,
    "C": 1430,
    "D": 1577,
    "E": 1294,
    "F": 1178,
    "G": 1587,
    "H": 1540,
    "I": 604,
    "J": 604,
    "K": 1343,
    "L": 1141,
    "M": 1767,
    "N": 1532,
    "O": 1612,
    "P": 1235,
    "Q": 1612,
    "R": 1423,
    "S": 1300,
    "T": 1251,
    "U": 1499,
    "V": 1401,
    "W": 2025,
    "X": 1403,
    "Y": 1251,
    "Z": 1403,
    "[": 799,
    "\\": 690,
    "]": 799,
    "^": 1716,
    "_": 1024,
    "`": 1024,
    "a": 1255,
    "b": 1300,
    "c": 1126,
    "d": 1300,
    "e": 1260,
    "f": 721,
    "g": 1300,
    "h": 1298,
    "i": 569,
    "j": 569,
    "k": 1186,
    "l": 569,
    "m": 1995,
    "n": 1298,
    "o": 1253,
    "p": 1300,
    "q": 1300,
    "r": 842,
    "s": 1067,
    "t": 803,
    "u": 1298,
    "v": 1212,
    "w": 1675,
    "x": 1212,
    "y": 1212,
    "z": 1075,
    "{": 1303,
    "|": 690,
    "}": 1303,
    "~": 1716,
    "…": 2048,
    "±": 1716,
    "×": 1716,
    "→": 1716,
    "€": 1303,
    "£": 1303,
    "·": 651,
    "–": 1024,
    "—": 2048,
}


def text_width(text: str, size: float) -> float:
    """Width in px of `text` at font size `size` px."""
    return sum(ADVANCE.get(ch, UNITS_PER_EM * OTHER_EM) for ch in text) * size / UNITS_PER_EM


def text_box(x: float, y: float, text: str, size: float, anchor: str = "start") -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of `text` drawn at (x, baseline y) with SVG's text-anchor."""
    width = text_width(text, size)
    left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    return (left, y - ASCENT_EM * size, left + width, y + DESCENT_EM * size)
