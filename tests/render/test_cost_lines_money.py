"""The largest cost lines read the same in every report format: one money spelling, HTML's cell extends the others'."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from costcalc.api import analyze, load_scenario
from costcalc.render import ReportFormat
from costcalc.report.result import Result

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"


@pytest.fixture(scope="module")
def result() -> Result:
    return analyze(load_scenario(str(EXAMPLE)), today=dt.date(2026, 12, 5))


def _html_cells(result: Result) -> dict[str, str]:
    html = ReportFormat.html.render(result)
    assert isinstance(html, str)
    rows = re.findall(r"data-option='([^']*)'.*?data-label='Largest cost lines'>(.*?)</td>", html)
    return {name: cell.replace("<br>", ", ").replace("&nbsp;", " ") for name, cell in rows}  # one line each in HTML


def _markdown_cells(result: Result) -> dict[str, str]:
    text = ReportFormat.markdown.render(result)
    assert isinstance(text, str)
    header = next(line for line in text.splitlines() if line.startswith("| Option |"))
    column = [c.strip() for c in header.strip("|").split("|")].index("Largest costs")
    cells = {}
    for line in text.splitlines():
        parts = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and len(parts) > column and not line.startswith(("| Option", "|---")):
            cells[parts[0].strip("*")] = parts[column].replace("<br>", ", ").replace("&nbsp;", " ")  # a line each
    return cells


def test_html_cost_lines_spell_money_as_the_markdown_and_terminal_do(result: Result) -> None:
    # qa8 finding 1: the HTML cell said 'output $152 · uncached input $73.00 · cached input $7.30' where the terminal
    # and Markdown say 'output $152, uncached input $73'; Claude's 'output $3,042' where they say 'output $3.04k'
    html, markdown = _html_cells(result), _markdown_cells(result)
    assert set(html) == {o.name for o in result.options} and set(markdown) <= set(html)
    for name, cell in markdown.items():
        assert cell and html[name].startswith(cell), (name, html[name], cell)
    assert html["GPT-6 Luna"] == "output $152, uncached input $73, cached input $7.30"
    assert html["Claude Sonnet 5.5"].startswith("output $3.04k, uncached input $1.46k")
