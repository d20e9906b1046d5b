"""The terminal report: user text shown as written (no markup, no number colouring), fitted to any width."""

from __future__ import annotations

import re

import pytest

from costcalc.api import analyze
from costcalc.render import report_table

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def result(base_scenario, write_yaml, today):  # type: ignore[no-untyped-def]
    base_scenario["options"][0]["name"] = "gpt-oss-120b [bold]API[/bold] 2026"
    return analyze(str(write_yaml(base_scenario)), today=today)


def test_names_keep_their_brackets_and_digits_stay_uncoloured(result) -> None:  # type: ignore[no-untyped-def]
    text = report_table.render(result, width=120, color=True)
    plain = ANSI.sub("", text)
    assert "gpt-oss-120b [bold]API[/bold] 2026" in plain  # markup in a name is text, not markup
    row = next(line for line in text.splitlines() if "gpt-oss-" in line and "$" in line)
    assert "\x1b" not in row.split("$", 1)[0]  # not the cheapest: no style at all on the name, digits included


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_every_line_fits_and_the_answer_comes_first(result, width: int) -> None:  # type: ignore[no-untyped-def]
    text = report_table.render(result, width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    answer = next(i for i, line in enumerate(lines) if line.startswith("Cheapest now:"))
    table = next(i for i, line in enumerate(lines) if line.startswith("Option "))
    assert answer < table < next(i for i, line in enumerate(lines) if line.startswith("• "))
    assert report_table.DETAILS_HINT in " ".join(lines) and "Sources and assumptions" not in text
    assert "Sources and assumptions" in report_table.render(result, width=width, details=True)
