"""The report as Markdown for a pull-request comment: the answer, the options table, details; sources in <details>."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from costcalc.render.escape import markdown, user_markdown
from costcalc.render.horizon import horizon_headers, horizon_note, horizon_rows
from costcalc.render.numbers import money
from costcalc.render.report_cells import break_even, cost_lines, sizing, versus
from costcalc.render.warning_places import placed
from costcalc.report.result import Result
from costcalc.words import counted

if TYPE_CHECKING:
    from costcalc.report.guardrails import Outcome

SOURCES_TITLE = "Sources, price dates and assumptions"  # the folded section under the warnings


def dates_where(*, details: bool = False) -> str:
    """Where the comment shows the price dates: its folded sources, below the warnings."""
    return f"under {SOURCES_TITLE} below"


def _cell(text: str, names: Sequence[str] = ()) -> str:
    """User-visible text in a Markdown line or table cell: escaped (no links, HTML, mentions; the user's `names` in
    it make no code), on one line."""
    return markdown(text, names).replace("\n", " ")


def _whole(text: str, last: int = 0) -> str:
    """A short figure of a table cell, put one a line with '<br>' between them as the HTML report's cells are, kept
    whole ('4x2&nbsp;GPUs'), or its `last` words whole ('uncached input&nbsp;$21.4k'): a narrow column then breaks
    between figures, not inside one ('4x2' over 'GPUs,', 'uncached input' over '$21.4k'). Escaped all the same."""
    words = text.split(" ")
    keep = len(words) if last == 0 else last
    head, tail = words[:-keep], words[-keep:]
    return " ".join([*(_cell(w) for w in head), "&nbsp;".join(_cell(w) for w in tail)])


_COUNTED = re.compile(r"(\d) (mo|servers?|workstations?|GPUs?)\b")


def _counted_whole(text: str) -> str:
    """costcalc's own cell or header with each count kept beside its unit ('36&nbsp;mo', '(1&nbsp;server)'), so a
    narrow column breaks before the count, not between it and its unit ('Cash 36' over 'mo')."""
    return _COUNTED.sub(r"\1&nbsp;\2", text)


def _name(text: str) -> str:
    """A piece of user text (a name) in a Markdown line or table cell: escaped, backticks too, on one line."""
    return user_markdown(text).replace("\n", " ")


def user_names(*results: Result) -> tuple[str, ...]:
    """The user's text that costcalc's sentences quote: each report's scenario and option names."""
    return tuple(n for r in results for n in (r.scenario, *(o.name for o in r.options)) if n)


def render(result: Result, *, outcomes: Sequence[Outcome] = ()) -> str:
    """GitHub-flavoured Markdown: the answer first, the options table, the details; sources folded in <details>."""
    cur = result.currency
    ranked = result.ranked
    tied = set(result.tie.options) if result.tie else {result.cheapest}
    names = user_names(result)
    out = [f"### LLM cost report: {_name(result.scenario)}", ""]
    if result.headline:
        first, *rest = result.headline
        out.append("\\\n".join([f"**{_cell(first, names)}**", *(_cell(line, names) for line in rest)]))
        out.append("")
    out += [
        f"| Option | Monthly ({cur}) | vs cheapest | {cur}/1M tokens | Break-even vs API | Sizing | Largest costs |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for o in ranked:
        name = f"**{_name(o.name)}**" if o.name in tied else _name(o.name)
        cells = [
            name,
            money(o.monthly_cost, cur),
            versus(result, o),
            money(o.cost_per_million_tokens, cur),
            break_even(result, o),
        ]
        size = "<br>".join(
            _whole(part)
            for part in sizing(o, instances_below=True, replicas_said=True).replace(", ", "\n").splitlines()
        )
        costs = "<br>".join(_whole(line, last=2) for line in cost_lines(o, cur))
        out.append("| " + " | ".join([cells[0], *(_cell(c, names) for c in cells[1:]), size or "-", costs]) + " |")
    out.append("")
    headers = [_counted_whole(h) for h in horizon_headers(result)]  # 'Cash 36&nbsp;mo', not 'Cash 36' over 'mo'
    out += [f"**Money over {counted(result.horizon_months, 'month')}**", "", "| " + " | ".join(headers) + " |"]
    out.append("|---|" + "---:|" * (len(headers) - 1))
    out += [
        "| " + " | ".join([_name(name), *(_counted_whole(_cell(c)) for c in cells)]) + " |"
        for name, *cells in horizon_rows(result)
    ]
    out += ["", horizon_note(result), ""]
    out += [f"- {_cell(line, names)}" for line in result.verdict]
    if outcomes:
        out += ["", *guardrail_lines(outcomes)]
    if result.warnings:
        out += ["", "**Warnings**", ""]
        out += [f"- :warning: {_cell(w, names)}" for w in placed(result.warnings, dates_where())]
    out += ["", f"<details><summary>{SOURCES_TITLE}</summary>", ""]
    out += [f"- {_cell(line, names)}" for line in result.assumptions]
    if result.pricing_as_of:
        out.append(f"- Oldest price used is as of {result.pricing_as_of.isoformat()}.")
    out += ["", "</details>", ""]
    return "\n".join(out)


def guardrail_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """'**Guardrails**: 1 of 2 failed' ('all 2 passed'; one alone: '**Guardrail**: failed') and one line per
    guardrail, each a pass or a fail of its stated limit."""
    failed = sum(o.tripped for o in outcomes)
    if len(outcomes) == 1:
        head = f"**Guardrail**: {'failed' if failed else 'passed'}"
    else:
        head = (
            f"**Guardrails**: {failed} of {len(outcomes)} failed"
            if failed
            else f"**Guardrails**: all {len(outcomes)} passed"
        )
    return [
        head,
        "",
        *(f"- {':x: fail' if o.tripped else ':white_check_mark: pass'}: {_name(o.describe())}" for o in outcomes),
    ]
