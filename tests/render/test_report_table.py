"""The terminal report: user text shown as written (no markup, no number colouring), fitted to any width."""

from __future__ import annotations

import re

import pytest

from costcalc.api import analyze
from costcalc.render import report_table

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LINK = re.compile(r"\x1b\]8;[^\x1b]*\x1b\\")  # a terminal hyperlink's start or end (OSC 8)


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


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("color", [False, True])
def test_the_sources_block_says_each_option_once_above_its_own_lines(width: int, color: bool) -> None:
    """qa13 item 4: `report --details` repeated an option's name on each of its lines ('gpt-oss-20b on a rented L40S:
    throughput ...', '...: GPU rental ...', '...: labour ...', apart from each other). An option with several lines now
    heads them once, its lines indented beneath it; an option with one line keeps it as one bullet. The lines are the
    report's assumptions, in order, none lost."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"
    result = analyze(str(example), today="2026-12-06")
    text = LINK.sub("", ANSI.sub("", report_table.render(result, width=width, details=True, color=color)))
    block = text.split("Sources and assumptions\n")[1].split("Oldest price used")[0].splitlines()
    assert max(len(line) for line in block) <= width
    name = "gpt-oss-20b on a rented L40S"
    assert sum(line.startswith(name) for line in block) == 1 and f"{name}:" not in " ".join(block)
    head = block.index(name)
    own = [i for i, line in enumerate(block) if line.startswith("  - ")]
    assert own[:3] == [head + 1, *own[1:3]] and all(i > head for i in own[:3])
    said = "".join("".join(line.split()) for line in block)  # a long URL folds without a space
    for line in result.assumptions:
        short = next((line.removeprefix(f"{o.name}: ") for o in result.options if line.startswith(f"{o.name}: ")), line)
        assert "".join(short.split()) in said, line  # every assumption, its option's name cut under its heading
    assert "- GPT-6 Luna: per 1M tokens $0.10 input" in " ".join(block)  # one line: one bullet with its name
