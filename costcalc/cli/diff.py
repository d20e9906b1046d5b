"""`costcalc diff`: compare two scenarios or saved JSON reports and check guardrails (exit 1 when tripped)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import AllowOutsideOpt, OutputOpt, PricingLockOpt, PricingOpt, TodayOpt, parse_day

if TYPE_CHECKING:
    from costcalc.report.guardrails import Outcome

FAIL_IF_HELP = (
    "fail (exit 1, output still written) when EXPR holds, e.g. 'monthly_cost[My option] > 40000', "
    "'payback_months > 18', 'cheapest != My option', 'diff.monthly_cost_pct > 10' (repeatable)"
)


class DiffFormat(str, Enum):
    """Formats of `costcalc diff`."""

    table = "table"
    json = "json"
    markdown = "markdown"

    def render(self, diff: object, **options: object) -> str:
        """Render a Diff in this format."""
        import importlib

        module = importlib.import_module(f"costcalc.render.diff_{self.value}")
        text: str = module.render(diff, **options)
        return text


def register(app: typer.Typer) -> None:
    """Add the diff command to the root app."""
    app.command(
        "diff",
        help="Compare BASE and HEAD (scenario YAML files or `report -f json` outputs): cost per option before and "
        "after, cheapest, break-even, payback, and the inputs that changed.",
    )(diff)


def diff(
    base: Annotated[
        str,
        typer.Argument(
            metavar="BASE", help="BASE: a scenario, or a saved `report -f json` (any file name; - for stdin)"
        ),
    ],
    head: Annotated[
        str,
        typer.Argument(
            metavar="HEAD", help="HEAD: a scenario, or a saved `report -f json` (any file name; - for stdin)"
        ),
    ],
    format: Annotated[
        DiffFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    fail_if: Annotated[list[str] | None, typer.Option("--fail-if", metavar="EXPR", help=FAIL_IF_HELP)] = None,
    fail_if_env: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-if-env", metavar="EXPR", hidden=True, help="costcalc ci: a guardrail of $COSTCALC_FAIL_IF"
        ),
    ] = None,
    pricing: PricingOpt = None,
    pricing_lock: PricingLockOpt = None,
    base_pricing_lock: Annotated[
        str | None,
        typer.Option(
            "--base-pricing-lock",
            metavar="FILE",
            hidden=True,
            help="costcalc ci: the lock file as it was at the base, which BASE is priced with (default --pricing-lock)",
        ),
    ] = None,
    today: TodayOpt = None,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Wiring only: load both sides → compare → check guardrails → render → write → exit 1 if tripped."""
    from costcalc.scenario.references import set_allow_outside

    set_allow_outside(allow_outside)
    from costcalc.analysis.sides import load_side
    from costcalc.cli.options import terminal_width
    from costcalc.cli.output import check_writable, emit
    from costcalc.models.guardrails import parse, parse_all
    from costcalc.report.diff import compare
    from costcalc.report.guardrails import check_diff
    from costcalc.resolve.book import PriceSource

    check_writable(output)
    format = pick_format(format, output, DiffFormat.table)
    day = parse_day(today)
    guards = parse_all(fail_if or (), env=fail_if_env or ())  # syntax errors before any work
    # one base book for both sides (a lock pins it); each side's own `pricing:` is applied once on it
    prices = PriceSource(tuple(pricing or ()), pricing_lock, today=day)
    base_prices = PriceSource(tuple(pricing or ()), base_pricing_lock, today=day) if base_pricing_lock else prices
    before = load_side(base, prices=base_prices, today=day)
    after = load_side(head, prices=prices, today=day)
    guards = parse_all(fail_if or (), after.guardrails, scenario_origin=f"{head}: guardrails", env=fail_if_env or ())
    if after.guardrail_origins:  # a scenario: each of its guardrails named by its line, as `report` names them
        own = [parse(t, origin=o) for t, o in zip(after.guardrails, after.guardrail_origins, strict=True)]
        guards = own + guards[len(own) :]
    result = compare(before, after)
    outcomes = check_diff(guards, before.report, after.report)
    if format is DiffFormat.table:
        text = format.render(
            result,
            outcomes=outcomes,
            width=terminal_width(),
            color=output is None and sys.stdout.isatty(),
        )
    else:
        text = format.render(result, outcomes=outcomes)
    emit(text, output)
    enforce(outcomes)


def enforce(outcomes: Sequence[Outcome]) -> None:
    """Print each tripped guardrail with its value to stderr and exit 1; silent when none tripped."""
    from costcalc.cli.output import to_stderr

    tripped = [o for o in outcomes if o.tripped]
    for o in tripped:
        to_stderr(f"guardrail failed: {o.describe()}")
    if tripped:
        raise typer.Exit(1)
