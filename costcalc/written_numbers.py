"""A number written as people write it ('$2,49', '50,000', '5 000', '1.234,56', '40k') read as its value and unit."""

from __future__ import annotations

import re

_WRITTEN = re.compile(
    r"\s*\$?\s*([+-]?(?:\d[\d,._ \u00a0\u202f]*)?\.?\d+(?:[eE][+-]?\d+)?)\s*([A-Za-z%]*)\s*"
)  # a number (digits with separators) and a unit or suffix after it: '1,5', '40k', '1.5 s', '$2.49'
_SPACES = (" ", "\u00a0", "\u202f")  # thousands separators: a space, a no-break space, a narrow no-break space


def _thousands(sep: str) -> str:
    """A pattern of digits grouped in threes by `sep` (a regex): 50,000 / 1.500.000 / 5 000."""
    return r"[+-]?\d{1,3}(?:" + sep + r"\d{3})+"


def read_written(text: str) -> tuple[float, str] | None:
    """(the number, the unit or suffix written after it) of text such as '50,000' (50000, ''), '1,5' (1.5: a decimal
    comma), '$2,49' (2.49, ''), '5 000' (5000), '1.234,56' (1234.56), '1,234.5' (1234.5),
    '40k' (40, 'k'), '1.5s' (1.5, 's'); None where the digits read no one way ('1,2,3', '1 5')."""
    m = _WRITTEN.fullmatch(text)
    if m is None:
        return None
    value = _plain(m.group(1).replace("_", ""))
    return None if value is None else (value, m.group(2))


def _plain(number: str) -> float | None:
    """The value of digits written with separators, or None: a comma is a decimal point unless it groups thousands
    (50,000) or a point follows it (1,234.5); a point groups thousands where a comma follows it (1.234,56) or where
    there are several (1.500.000); spaces only group thousands."""
    for space in _SPACES:
        if space in number:
            if not re.fullmatch(_thousands(re.escape(space)) + r"(?:[.,]\d+)?", number):
                return None
            number = number.replace(space, "")
    if "," in number and "." in number:
        if number.rfind(",") > number.rfind("."):  # 1.234,56
            number = number.replace(".", "").replace(",", ".")
        else:  # 1,234.56
            number = number.replace(",", "")
    elif "," in number:
        if re.fullmatch(_thousands(","), number):  # 50,000
            number = number.replace(",", "")
        elif number.count(",") == 1:  # 1,5 / 0,95 / 2,49: a decimal comma
            number = number.replace(",", ".")
        else:
            return None
    elif number.count(".") > 1:
        if not re.fullmatch(_thousands(r"\."), number):  # 1.500.000
            return None
        number = number.replace(".", "")
    try:
        return float(number)
    except ValueError:
        return None
