"""The report as Markdown for a pull-request comment: summary, options table, verdict, sources in <details>."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from costcalc.render.numbers import money, share, tokens, top_lines
from costcalc.report.result import Result

if TYPE_CHECKING:
    from costcalc.report.guardrails import Outcome


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(result: Result, *, outcomes: Sequence[Outcome] = ()) -> str:
    """GitHub-flavoured Markdown text; guardrail results when given."""
    wl = result.workload
    cheapest = result.option(result.cheapest)
    out = [
        f"### LLM cost report: {_cell(result.scenario)}",
        "",
        f"**Cheapest now: {_cell(cheapest.name)}** at {money(cheapest.monthly_cost, result.currency)}/month"
        f" for {tokens(wl.tokens_per_month)} tokens/month ({wl.requests_per_month:,.0f} requests).",
        "",
        f"| Option | Kind | Monthly ({result.currency}) | {result.currency}/1M tokens | Largest cost lines | Replicas / GPUs / util. | Break-even vs API |",
        "|---|---|---:|---:|---|---:|---:|",
    ]
    for o in sorted(result.options, key=lambda o: o.monthly_cost):
        be = result.headline_break_even(o.name)
        if be is None:
            be_text = "-"
        elif be.tokens_per_month is None:
            be_text = "never"
        else:
            be_text = f"{tokens(be.tokens_per_month)} tok/mo"
            if be.payback_months is not None:
                be_text += f", payback month {be.payback_months}"
        sizing = f"{o.replicas} / {o.gpus} / {share(o.utilisation)}" if o.kind == "self_hosted" else "-"
        name = f"**{_cell(o.name)}**" if o.name == result.cheapest else _cell(o.name)
        out.append(
            f"| {name} | {o.kind} | {money(o.monthly_cost, result.currency)} | {money(o.cost_per_million_tokens, result.currency)} |"
            f" {_cell(top_lines(o.breakdown, currency=result.currency))} | {sizing} | {be_text} |"
        )
    out += ["", "**Verdict**", ""]
    out += [f"- {_cell(line)}" for line in result.verdict]
    if outcomes:
        tripped = sum(o.tripped for o in outcomes)
        out += ["", f"**Guardrails**: {tripped} of {len(outcomes)} tripped", ""]
        out += [f"- {':x:' if o.tripped else ':white_check_mark:'} {_cell(o.describe())}" for o in outcomes]
    if result.warnings:
        out += ["", "**Warnings**", ""]
        out += [f"- :warning: {_cell(w)}" for w in result.warnings]
    out += ["", "<details><summary>Assumptions, sources and dates</summary>", ""]
    out += [f"- {_cell(line)}" for line in result.assumptions]
    out += ["", "</details>", ""]
    return "\n".join(out)
