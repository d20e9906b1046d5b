"""`costcalc report`: analyze a scenario and print or write the report in one format."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from costcalc.cli.diff import FAIL_IF_HELP
from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import (
    AllowOutsideOpt,
    OutputOpt,
    PricingLockOpt,
    PricingOpt,
    ScenarioArg,
    SetOpt,
    TodayOpt,
    WorkloadOpt,
    parse_day,
    terminal_width,
)
from costcalc.render import ReportFormat

MIN_CHART_COLUMNS = 60  # with --details, the cost chart is drawn under the report from this width
# diff's own examples less its diff.* metric, which report refuses ('diff.* metrics apply only to `costcalc diff`')
REPORT_FAIL_IF_HELP = FAIL_IF_HELP.replace(", 'diff.monthly_cost_pct > 10'", "")


def register(app: typer.Typer) -> None:
    """Add the report command to the root app."""
    app.command("report", help="Cost every option of a scenario: monthly cost, $/1M tokens, break-even, payback.")(
        report
    )


def report(
    scenario: ScenarioArg,
    format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    set_: SetOpt = None,
    workload: WorkloadOpt = None,
    pricing: PricingOpt = None,
    pricing_lock: PricingLockOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="stale or missing prices are errors (exit 2)")] = False,
    today: TodayOpt = None,
    fail_if: Annotated[list[str] | None, typer.Option("--fail-if", metavar="EXPR", help=REPORT_FAIL_IF_HELP)] = None,
    fail_if_env: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-if-env", metavar="EXPR", hidden=True, help="costcalc ci: a guardrail of $COSTCALC_FAIL_IF"
        ),
    ] = None,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            "-v",
            help="also the money over the horizon (capex, cash, accrual, NPV), the sources, price dates,"
            " assumptions and a cost-versus-volume chart",
        ),
    ] = False,
    no_chart: Annotated[bool, typer.Option("--no-chart", help="with --details: leave out the chart")] = False,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity",
            help="add the sensitivity tornado (numbers ±20%, replicas ±1, an estimated throughput across its range) to the HTML report",
        ),
    ] = False,
    allow_outside: AllowOutsideOpt = False,
    recommend: Annotated[
        bool,
        typer.Option(
            "--recommend",
            help="add the cheapest configurations (as `costcalc recommend` finds them) to the HTML report",
        ),
    ] = False,
) -> None:
    """Wiring only: load → analyze → render → write; warnings go to stderr."""
    from costcalc.scenario.references import set_allow_outside

    set_allow_outside(allow_outside)
    from costcalc.analysis.run import evaluate
    from costcalc.cli.diff import enforce
    from costcalc.cli.output import check_writable, emit, to_stderr
    from costcalc.errors import InputError, PricingError
    from costcalc.models.guardrails import parse_all
    from costcalc.report.guardrails import check_report, scenario_guardrails
    from costcalc.resolve.book import PriceSource
    from costcalc.scenario.loaders import ScenarioSource

    check_writable(output)
    format = pick_format(format, output, ReportFormat.table)
    day = parse_day(today)
    parse_all(fail_if or (), env=fail_if_env or ())  # syntax errors before any work
    if (details or no_chart) and format is not ReportFormat.table:
        flag = "--details" if details else "--no-chart"
        why = f"only the terminal table takes it; --format {format.value} already carries all it can, so drop {flag}"
        raise InputError(why, field=flag)
    if no_chart and not details:
        raise InputError(
            "the cost chart is drawn only with --details: add --details, or drop --no-chart", field="--no-chart"
        )
    if sensitivity and format is not ReportFormat.html:
        raise InputError("--sensitivity draws a tornado in the HTML report: add --format html", field="--sensitivity")
    if format is ReportFormat.xlsx and output in (None, "-") and sys.stdout.isatty():
        raise InputError("xlsx is a binary workbook: write it to a file with -o report.xlsx", field="--format")
    if recommend and format is not ReportFormat.html:
        raise InputError(
            "--recommend adds a section to the HTML report: add --format html (or costcalc recommend for the others)",
            field="--recommend",
        )
    source = ScenarioSource.load(scenario, overrides=set_ or (), workload_file=workload)
    scenario_model = source.build()
    prices = PriceSource(tuple(pricing or ()), pricing_lock, today=day)
    guards = scenario_guardrails(scenario_model, scenario) + parse_all(fail_if or (), env=fail_if_env or ())
    tty = output is None and sys.stdout.isatty()
    width = terminal_width()
    terminal_chart = format is ReportFormat.table and details and not no_chart and width >= MIN_CHART_COLUMNS
    done = evaluate(scenario_model, prices, today=day)
    result = done.result
    curves = done.curves() if format is ReportFormat.html or terminal_chart else None
    outcomes = check_report(guards, result)
    if strict and result.stale_prices:
        from costcalc.pricing.freshness import stale_summary

        stale = list(result.stale_prices)
        fix = (  # pricing update refreshes the API table only
            "refresh them (costcalc pricing update) or pass --pricing with newer rows"
            if any(p.table == "api" for p in stale)
            else "pass --pricing with newer rows"
        )
        raise PricingError(f"--strict: {stale_summary(stale, scenario_model.stale_after_days)}; {fix}")
    if strict and result.missing_prices:
        raise PricingError(f"--strict: {result.missing_prices[0]}; give the price in the option's prices")
    text: str | bytes
    if format is ReportFormat.table:
        text = format.render_text(result, width=width, color=tty, details=details)
        if curves is not None:
            from costcalc.render.terminal_chart import render as render_chart

            text += render_chart(curves, result, width=width)
    elif format is ReportFormat.html:
        extra: dict[str, object] = {}
        if sensitivity:
            from costcalc.analysis.sensitivity import tornado as sensitivity_tornado

            tornado = sensitivity_tornado(source, prices=prices, today=day)
            extra = {
                "sensitivity": tornado.rows,
                "sensitivity_base": tornado.base,
                "sensitivity_metric": tornado.metric,
                "sensitivity_savings": tornado.savings,
            }
        if recommend:
            from costcalc.analysis.recommend.run import recommend as search
            from costcalc.pricing.cache import cache_dir
            from costcalc.render import recommend_html

            found = search(scenario_model, prices, today=day, cache=cache_dir()).recommendation
            extra["sections"] = [recommend_html.render(found)]
        text = format.render(result, curves=curves, outcomes=outcomes, **extra)
    elif format in (ReportFormat.markdown, ReportFormat.json):
        text = format.render(result, outcomes=outcomes)
    else:
        text = format.render(result)
    if scenario_model.variants and isinstance(text, str) and format in (ReportFormat.table, ReportFormat.markdown):
        from costcalc.analysis.variants import analyze_variants
        from costcalc.render import variants as render_variants

        results = analyze_variants(source, prices=prices, today=day)
        text += (
            render_variants.render_table(results, width=width)
            if format is ReportFormat.table
            else render_variants.render_markdown(results)
        )
    emit(text, output)
    for line in format.warnings(result, details=details):
        to_stderr(f"warning: {line}")
    enforce(outcomes)
