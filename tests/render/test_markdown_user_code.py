"""A backtick in user text (a scenario's or an option's name) makes no code in the Markdown a PR comment shows, while
costcalc's own code spans ('`costcalc measure`') stay code (qa10 finding 2; GitHub's cmark-gfm made `code` of it)."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt  # CommonMark, as GitHub's cmark-gfm parses it (markdown-it-py comes with rich)

from costcalc.render.escape import markdown, user_markdown
from tests.support.cli import invoke

PARSER = MarkdownIt("commonmark").enable("table")
SCENARIO = "Team <A> | costs & *bold* `code`"
OPTION = "Rented `GPUs`"
TODAY = "2026-09-01"


def _codes(text: str) -> list[str]:
    """The text of every code span the Markdown renders."""
    return [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", PARSER.render(text))]


def _shown(text: str) -> str:
    return html.unescape(re.sub("<[^>]+>", "", PARSER.render(text))).replace("\u2060", "")


def test_a_name_is_escaped_with_its_backticks_and_costcalc_code_stays_code() -> None:
    sentence = f"{OPTION} is cheapest; measure it with `costcalc measure`."
    out = markdown(sentence, names=[OPTION])
    assert _codes(out) == ["costcalc measure"]
    assert _shown(out).strip() == sentence.replace("`costcalc measure`", "costcalc measure")
    assert _codes(user_markdown(SCENARIO)) == [] and _shown(user_markdown(SCENARIO)).strip() == SCENARIO
    assert _codes(markdown(sentence)) == ["GPUs", "costcalc measure"]  # without names: as before, the name is code


def _named(base: dict[str, Any]) -> dict[str, Any]:
    s = copy.deepcopy(base)
    s["name"] = SCENARIO
    s["options"][1]["name"] = OPTION  # the rented option: cheapest in the base scenario
    return s


def _no_user_code(text: str) -> None:
    """No piece of a name became a code span (a changed input's path is costcalc's own span, its ` written ')."""
    codes = _codes(text)
    assert "code" not in codes and "GPUs" not in codes, codes


def test_report_markdown_shows_user_backticks_as_written(write_yaml: Any, base_scenario: dict[str, Any]) -> None:
    path = write_yaml(_named(base_scenario))
    code, out, err = invoke(
        "report", str(path), "-f", "markdown", "--today", TODAY, "--fail-if", f"monthly_cost[{OPTION}] > 1"
    )
    assert code == 1, err
    _no_user_code(out)
    shown = _shown(out)
    assert f"LLM cost report: {SCENARIO}" in shown
    assert shown.count(OPTION) >= 3  # the table, the answer, the guardrail line


def test_diff_markdown_shows_user_backticks_as_written(write_yaml: Any, base_scenario: dict[str, Any]) -> None:
    base = _named(base_scenario)
    head = copy.deepcopy(base)
    head["options"][1]["hardware"]["hourly_usd"] = 3.0
    pair = [str(write_yaml(base, "base.yaml")), str(write_yaml(head, "head.yaml"))]
    code, out, err = invoke("diff", *pair, "-f", "markdown", "--today", TODAY)
    assert code == 0, err
    _no_user_code(out)
    shown = _shown(out)
    assert f"LLM cost diff: {SCENARIO}" in shown and shown.count(OPTION) >= 3


@pytest.mark.parametrize("name", ["plain.yaml", "back`tick`.yaml"])
def test_ci_heading_of_a_file_name_makes_no_code(tmp_path: Path, name: str) -> None:
    from costcalc.cli.ci import _md_name

    assert _codes(_md_name(name)) == [] and _shown(_md_name(name)).strip() == name
