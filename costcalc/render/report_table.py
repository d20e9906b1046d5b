"""The report for a terminal: the answer first (three sentences), the options table, then the details.

The table shows each option's monthly cost, and its capex, opex and horizon totals where they tell something (read
from the Result, never recomputed). Everything fits `width` columns: the table drops its optional columns first (kind,
cost lines, accrual, sizing, cost per token, break-even, opex, capex, cash) and wraps option names at spaces; sentences
wrap at spaces and never inside an id such as `gpt-oss-120b`. Sources, price dates and assumptions follow only with
`details`."""

from __future__ import annotations

import io
from collections.abc import Sequence

from costcalc.render.escape import terminal
from costcalc.render.horizon import capex_cell, horizon_headers, horizon_note, horizon_rows
from costcalc.render.layout import Column
from costcalc.render.layout import render as render_columns
from costcalc.render.numbers import money, tokens
from costcalc.render.report_cells import KINDS, break_even, largest_costs, sizing, versus
from costcalc.render.wrapping import linked, wrap
from costcalc.report.result import OptionResult, Result
from costcalc.words import counted

NAME_WIDTH = 28  # option names longer than this wrap when room is short, before optional columns give way
DETAILS_HINT = "Sources, price dates and a cost chart: add --details."
SOURCES_TITLE = "Sources and assumptions"  # the --details section that holds the price dates
# where a column the terminal had no room for is shown: HTML has every column of the options table (Markdown has no
# Kind), Markdown and HTML every column of the money table
ELSEWHERE = "as does --format html"
MONEY_ELSEWHERE = "as do --format markdown and html"


def render(result: Result, *, width: int = 120, color: bool = False, details: bool = False) -> str:
    """Text for a terminal (ANSI styles only when `color`); `details` adds sources, dates and assumptions."""
    from rich.console import Console
    from rich.style import Style
    from rich.text import Text

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )

    def say(text: str, style: str | None = None, indent: str = "", bullet: str = "") -> None:
        for line in wrap(text, width, first=indent + bullet, rest=indent + " " * len(bullet)):
            console.print(Text(terminal(line), style=style or ""), soft_wrap=True)

    say(result.scenario, style="bold")
    say(workload_line(result))
    console.print()
    for i, line in enumerate(result.headline):
        say(line, style="bold" if i == 0 else None)
    console.print()
    buf.write(options_table(result, width=width, color=color))
    if result.verdict:
        console.print()
        for line in result.verdict:
            say(line, bullet="• ")
    if details:
        console.print()
        say(f"Money over {counted(result.horizon_months, 'month')}", style="bold")
        buf.write(money_table(result, width=width, color=color))
        say(horizon_note(result))
        console.print()
        say(SOURCES_TITLE, style="bold")

        def bulleted(line: str, indent: str = "") -> None:
            if not color:
                say(line, indent=indent, bullet="- ")
                return
            for pieces in linked(terminal(line), width, first=indent + "- ", rest=indent + "  "):  # a URL links whole
                text = Text()
                for piece, url in pieces:
                    text.append(piece, style=Style(link=url) if url else None)
                console.print(text, soft_wrap=True)

        shared, by_option = per_option(result)
        for line in shared:
            bulleted(line)
        for name, lines in by_option:
            if len(lines) == 1:  # a name over one line would add a line, not save one
                bulleted(f"{name}: {lines[0]}")
                continue
            say(name)
            for line in lines:
                bulleted(line, indent="  ")
        if result.pricing_as_of:
            say(f"Oldest price used is as of {result.pricing_as_of.isoformat()}.")
    else:
        say(DETAILS_HINT, style="dim")
    return buf.getvalue()


def dates_where(*, details: bool = False) -> str:
    """Where a terminal shows the price dates (the warnings follow the report on stderr)."""
    return f"under {SOURCES_TITLE} above" if details else "add --details to see them"


def per_option(result: Result) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The assumptions (in their order) that name no option, and those that start with an option's name ('gpt-oss-20b
    on a rented L40S: labour ...'), grouped under that option in the options' order with the name cut, so a terminal
    says each name once rather than on every line of its own."""
    names = sorted((o.name for o in result.options), key=len, reverse=True)  # 'A B: ...' is A B's, not A's
    shared: list[str] = []
    grouped: dict[str, list[str]] = {o.name: [] for o in result.options}
    for line in result.assumptions:
        name = next((n for n in names if line.startswith(f"{n}: ")), None)
        if name is None:
            shared.append(line)
        else:
            grouped[name].append(line.removeprefix(f"{name}: "))
    return shared, [(name, lines) for name, lines in grouped.items() if lines]


def workload_line(result: Result) -> str:
    """'109B tokens/month (107B in, 2.56B out) · 1.83M requests · 300 users · growth 5%/month · USD'."""
    wl = result.workload
    parts = [
        f"{tokens(wl.tokens_per_month)} tokens/month ({tokens(wl.input_tokens_per_month)} in,"
        f" {tokens(wl.output_tokens_per_month)} out)",
        f"{tokens(wl.requests_per_month)} requests",
    ]
    if wl.users:
        parts.append(counted(wl.users, "user"))
    parts += [f"growth {wl.growth_per_month:.1%}/month", result.currency]
    return " · ".join(parts)


def options_table(result: Result, *, width: int, color: bool = False) -> str:
    """One row per option, cheapest first; the columns that fit `width`, most important first."""
    ranked = result.ranked
    tied = set(result.tie.options) if result.tie else {result.cheapest}
    styles = [("bold green" if o.name == result.cheapest else "bold") if o.name in tied else None for o in ranked]
    return render_columns(option_columns(result), width, row_styles=styles, color=color, elsewhere=ELSEWHERE)


def option_columns(result: Result) -> list[Column]:
    """The options table's columns, one row per option, cheapest first, most important column first."""
    ranked = result.ranked
    cur = result.currency
    return [
        Column("Option", [o.name for o in ranked], kind="text", wrap_at=NAME_WIDTH),
        Column(f"Monthly {cur}", [money(o.monthly_cost, cur) for o in ranked], kind="number"),
        Column("vs cheapest", [versus(result, o) for o in ranked], kind="number", drop=1),
        Column(f"{cur}/1M tok", [money(o.cost_per_million_tokens, cur) for o in ranked], kind="number", drop=4),
        *money_columns(result, ranked),
        Column("Break-even vs API", [break_even(result, o) for o in ranked], kind="text", drop=5),
        Column("Sizing", [sizing(o, instances_below=True) for o in ranked], kind="text", drop=7),
        Column("Largest costs", [largest_costs(o, cur) for o in ranked], kind="text", drop=9, minor=True),
        Column("Kind", [KINDS[o.kind] for o in ranked], kind="id", drop=10, minor=True),
    ]


def money_columns(result: Result, ranked: Sequence[OptionResult]) -> list[Column]:
    """Capex, opex a month, and cash and accrual over the horizon, each read from the Result and shown only when it
    tells something the monthly cost does not: capex when an option buys or leases hardware, opex when it differs
    from the monthly cost (bought hardware's depreciation), accrual when it differs from cash."""
    cur, months = result.currency, result.horizon_months
    capex = [capex_cell(o, cur, units=False) for o in ranked]
    opex = [money(o.opex_monthly, cur) for o in ranked]
    cash = [money(o.horizon_cash_total, cur) for o in ranked]
    accrual = [money(o.horizon_accrual_total, cur) for o in ranked]
    columns = []
    if any(cell != "-" for cell in capex):
        columns.append(Column("Capex", capex, kind="number", drop=3))
    if opex != [money(o.monthly_cost, cur) for o in ranked]:
        columns.append(Column("Opex/mo", opex, kind="number", drop=6))
    columns.append(Column(f"Cash {months} mo", cash, kind="number", drop=2))
    if accrual != cash:
        columns.append(Column(f"Accrual {months} mo", accrual, kind="number", drop=8, minor=True))
    return columns


MONEY_DROP = {"Accrual": 1, "Prepaid": 2, "NPV": 3, "Opex/mo": 4}  # which money column gives way first


def money_table(result: Result, *, width: int, color: bool = False) -> str:
    """Up-front cash, monthly opex, horizon totals and NPV per option, cheapest now first (fitted to `width`)."""
    return render_columns(money_columns_of(result), width, color=color, elsewhere=MONEY_ELSEWHERE)


def money_columns_of(result: Result) -> list[Column]:
    """The money table's columns: option, kind, up-front cash, opex, horizon totals, NPV."""
    rows = horizon_rows(result)
    return [
        Column(
            header,
            [row[i] for row in rows],
            kind="text" if i in (0, 1) else "number",
            drop=next((d for key, d in MONEY_DROP.items() if header.startswith(key)), 0),
            wrap_at=NAME_WIDTH if i == 0 else None,
        )
        for i, header in enumerate(horizon_headers(result))
    ]
