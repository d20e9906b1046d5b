"""written_numbers: a number written with separators, a decimal comma or a unit read as the value meant (qa18)."""

from __future__ import annotations

import pytest

from costcalc.written_numbers import read_written


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("50,000", (50000.0, "")),  # a comma grouping thousands
        ("1,500,000", (1500000.0, "")),
        ("1,5", (1.5, "")),  # a decimal comma: was read as 15 ('did you mean 15?')
        ("0,95", (0.95, "")),  # was 95
        ("$2,49", (2.49, "")),  # was 249
        ("1.234,56", (1234.56, "")),
        ("1,234.5", (1234.5, "")),
        ("1.500.000", (1500000.0, "")),
        ("5 000", (5000.0, "")),  # a space grouping thousands (and a no-break one)
        ("5\u00a0000", (5000.0, "")),
        ("12,5%", (12.5, "%")),
        ("40k", (40.0, "k")),
        ("1.5 s", (1.5, "s")),
        ("$2.49", (2.49, "")),
        ("1e5", (100000.0, "")),
        (".5", (0.5, "")),
        (".25", (0.25, "")),  # more than one digit after a leading point
        ("-3", (-3.0, "")),
        ("1,2,3", None),  # no one reading
        ("1 5", None),
        ("1.2.3", None),
        ("lots", None),
    ],
)
def test_what_a_written_number_reads_as(text: str, read: tuple[float, str] | None) -> None:
    assert read_written(text) == read
