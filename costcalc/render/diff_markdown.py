"""The diff as one pull-request comment: summary, options table, changes, guardrails, sources in <details>."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.render.diff_common import (
    GUARDRAILS_ON_BASE,
    change_money,
    maybe_money,
    month,
    shown_variants,
    signed_pct,
    status_word,
    summary_line,
    transition,
    value_text,
    variants_unchanged_line,
    volume,
)
from costcalc.render.escape import markdown, no_mentions, terminal, user_markdown
from costcalc.render.numbers import money
from costcalc.render.report_cells import KINDS
from costcalc.render.report_markdown import guardrail_lines, user_names
from costcalc.render.warning_places import placed
from costcalc.report.diff import Diff
from costcalc.report.guardrails import Outcome
from costcalc.report.result import Result
from costcalc.words import counted

WORSE_USD = 0.5  # the cheapest bill rose by more than this (half a currency unit): no ✅ on the headline
MARKER = "<!-- costcalc-report -->"  # CI finds and updates the one comment carrying this marker


def got_worse(diff: Diff) -> bool:
    """True when the headline's bill rose: the cheapest option now costs more a month than the cheapest before."""
    b = next((o for o in diff.options if o.name == diff.cheapest_before), None)
    a = next((o for o in diff.options if o.name == diff.cheapest_after), None)
    if b is None or a is None or b.monthly_cost_before is None or a.monthly_cost_after is None:
        return False
    return a.monthly_cost_after > b.monthly_cost_before + WORSE_USD


def _cell(text: str, names: Sequence[str] = ()) -> str:
    """User-visible text in a Markdown line or table cell: escaped (no links, HTML, mentions; the user's `names` in
    it make no code), on one line."""
    return markdown(text, names).replace("\n", " ")


def _name(text: str) -> str:
    """A piece of user text (a name, a field's value) in a Markdown line or table cell: escaped, backticks too."""
    return user_markdown(text).replace("\n", " ")


def _code(text: str) -> str:
    """Text inside a `code span` (backslashes show there): no backticks, pipes escaped for tables."""
    code = terminal(text).replace("`", "'").replace("|", "\\|").replace("\n", " ")
    return no_mentions(code)  # GitHub does not mention inside code, other renderers might


def render(diff: Diff, *, outcomes: Sequence[Outcome] = ()) -> str:
    """GitHub-flavoured Markdown text, starting with a hidden marker line."""
    tripped = [o for o in outcomes if o.tripped]
    icon = ":x:" if tripped else (":warning:" if got_worse(diff) else ":white_check_mark:")
    head = diff.head
    cur = head.currency
    names = user_names(diff.base, head)
    out = [
        MARKER,
        f"### LLM cost diff: {_name(head.scenario or diff.head_label)}",
        "",
        f"{icon} {_cell(summary_line(diff), names)}"
        + (f" **{counted(len(tripped), 'guardrail')} failed.**" if tripped else ""),
        "",
        f"| Option | Kind | Monthly before ({cur}) | Monthly after ({cur}) | Change ({cur}) | % | Break-even vs API |"
        " Payback |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for o in diff.options:
        name = f"**{_name(o.name)}**" if o.name == diff.cheapest_after else _name(o.name)
        if status_word(o):
            name += f" _({status_word(o)})_"
        out.append(
            f"| {name} | {KINDS.get(o.kind, o.kind)} | {maybe_money(o.monthly_cost_before, cur)} | {maybe_money(o.monthly_cost_after, cur)} |"
            f" {change_money(o, cur)} | {signed_pct(o.monthly_cost_change_pct)} |"
            f" {transition(volume(o.break_even_tokens_before), volume(o.break_even_tokens_after))} |"
            f" {transition(month(o.payback_months_before), month(o.payback_months_after))} |"
        )
    if diff.variants:
        out += _variants(diff, names)
    if outcomes:
        out += ["", *guardrail_lines(outcomes)]
        if diff.variants:
            out += ["", f"_Guardrails are {GUARDRAILS_ON_BASE}._"]
    if head.warnings:  # stale prices, idle replicas, a missed SLO: in sight, not only in the folded sources
        warnings = placed(head.warnings, f"under {SOURCES_TITLE} below")
        out += ["", "**Warnings**", "", *(f"- :warning: {_cell(w, names)}" for w in warnings)]
    out += ["", f"<details><summary>Changed inputs ({len(diff.inputs)})</summary>", ""]
    if diff.inputs:
        out += ["| Input | Before | After | Source | As of |", "|---|---|---|---|---|"]
        for c in diff.inputs:
            out.append(
                f"| `{_code(c.path)}` | {_name(value_text(c.before))} | {_name(value_text(c.after))} |"
                f" {_name(c.source or '')} | {c.as_of or ''} |"
            )
    else:
        out.append("No scenario field or price changed.")
    out += ["", "</details>", ""]
    out += [
        "<details><summary>Options now (HEAD)</summary>",
        "",
        f"| Option | Kind | Monthly ({cur}) | {cur}/1M tokens |",
        "|---|---|---:|---:|",
    ]
    for now in head.ranked:
        out.append(
            f"| {_name(now.name)} | {KINDS.get(now.kind, now.kind)} | {money(now.monthly_cost, cur)} |"
            f" {money(now.cost_per_million_tokens, cur)} |"
        )
    out += [""]
    out += [f"- {_cell(line, names)}" for line in (*head.headline, *head.verdict)]
    out += ["", "</details>", ""]
    out += [f"<details><summary>{SOURCES_TITLE}</summary>", ""]
    out += [f"- {_source_line(line, head, names)}" for line in head.assumptions]
    if head.pricing_as_of:
        out.append(f"- Oldest price used: {head.pricing_as_of.isoformat()}")
    out += ["", "</details>", ""]
    return "\n".join(out)


def _variants(diff: Diff, names: Sequence[str]) -> list[str]:
    """'**Variants** (monthly cost)': each variant's option whose cost moved, then those unchanged (qa24: a change to a
    variant alone read '+0.0%, unchanged')."""
    cur, shown = diff.head.currency, shown_variants(diff)
    out = ["", "**Variants** (monthly cost)", ""]
    if shown:
        out += [f"| Variant | Option | Before ({cur}) | After ({cur}) | % |", "|---|---|---:|---:|---:|"]
        for v in shown:
            status = f" _({v.status})_" if v.status != "changed" else ""
            out.append(
                f"| {_name(v.variant)}{status} | {_name(v.option)} | {maybe_money(v.monthly_cost_before, cur)} |"
                f" {maybe_money(v.monthly_cost_after, cur)} | {signed_pct(v.monthly_cost_change_pct)} |"
            )
    if line := variants_unchanged_line(diff):
        out += ["", _cell(line, names)]
    return out


SOURCES_TITLE = "Sources, price dates and assumptions (HEAD)"  # the folded section the warnings point to
STALE_SUFFIX = ": stale"  # how analysis.assumptions ends a stale row's line that no recorded reason keeps


def _source_line(line: str, head: Result, names: Sequence[str]) -> str:
    """One of the report's assumption lines (the one list the report, HTML and markdown show) in the comment: a price
    row's line gives its id in a code span, so it pastes into `costcalc pricing show` as written, and flags it when
    stale; any other line (workload, unit prices, labour, power, the GPU catalog row, throughput) as the report's
    markdown writes it."""
    for p in head.cited_prices:
        said = f"{p.table} {p.id}: "  # how analysis.assumptions starts a price row's line
        if line.startswith(said):
            body, stale = line.removeprefix(said), ""
            if p.stale:  # the line's own ': stale' (a row kept for no recorded reason) becomes the flag
                body, stale = body.removesuffix(STALE_SUFFIX), " :warning: stale"
            return f"{p.table} `{_code(p.id)}`: {_cell(body, names)}{stale}"
    return _cell(line, names)
