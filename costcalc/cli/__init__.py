"""The costcalc command line: one Typer app composed from one module per command group (wiring only)."""

from __future__ import annotations

from typing import Annotated

import typer

from costcalc.cli.errors import CostcalcGroup

app = typer.Typer(
    cls=CostcalcGroup,
    name="costcalc",
    help="Self-host an open-weight LLM, pay an API per token, or buy seats? Break-even analysis from YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    """--version: print `costcalc X.Y.Z` and exit before any command is needed."""
    if value:
        from costcalc import __version__

        typer.echo(f"costcalc {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_print_version),
    ] = False,
) -> None:
    """Self-host an open-weight LLM, pay an API per token, or buy seats? Break-even analysis from YAML."""


def _register() -> None:
    from costcalc.cli import (
        catalog,
        chart,
        ci,
        diff,
        estimate,
        ingest,
        measure,
        pricing,
        recommend,
        report,
        scenario_tools,
        sensitivity,
        simulate,
        sweep,
    )

    report.register(app)
    recommend.register(app)
    scenario_tools.register(app)
    pricing.register(app)
    catalog.register(app)
    estimate.register(app)
    ingest.register(app)
    measure.register(app)
    diff.register(app)
    chart.register(app)
    sweep.register(app)
    sensitivity.register(app)
    simulate.register(app)
    ci.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()
