"""`costcalc pricing list|show` (and update/validate from pricing_update): browse the price tables."""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import AllowOutsideOpt, OutputOpt, PricesOnOpt, PricingOpt, ScenarioArg, TodayOpt, parse_day

if TYPE_CHECKING:
    from costcalc.pricing.book import PriceBook

pricing_app = typer.Typer(no_args_is_help=True, help="Browse, validate and refresh the dated price tables.")

KIND_TO_TABLE = {
    "api": "api",
    "seat": "seats",
    "rental": "rental",
    "hardware": "hardware",
    "datacenter": "datacenter",
    "fx": "fx",
}


class Kind(str, Enum):
    """Kinds of price rows."""

    api = "api"
    seat = "seat"
    rental = "rental"
    hardware = "hardware"
    datacenter = "datacenter"
    fx = "fx"


class ListFormat(str, Enum):
    """Formats of `pricing list`."""

    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(str, Enum):
    """Formats of `pricing show`."""

    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add the pricing group to the root app."""
    from costcalc.cli import pricing_update

    pricing_update.register(pricing_app)
    app.add_typer(pricing_app, name="pricing")


@pricing_app.command("list", help="List price rows (shipped, refreshed cache, and --pricing files).")
def list_(
    provider: Annotated[str | None, typer.Option("--provider", help="only this provider (e.g. openai, aws)")] = None,
    kind: Annotated[Kind | None, typer.Option("--kind", help="only this kind of row")] = None,
    format: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    pricing: PricingOpt = None,
    history: Annotated[
        bool, typer.Option("--history", help="also API prices that ended before the day or start after it")
    ] = False,
    today: PricesOnOpt = None,
) -> None:
    """Wiring only."""
    from costcalc.cli.options import terminal_width
    from costcalc.cli.output import check_writable, emit
    from costcalc.pricing.schema import ApiPrice
    from costcalc.render import pricing as render
    from costcalc.resolve.book import PriceSource

    check_writable(output)
    format = pick_format(format, output, ListFormat.table)
    book = PriceSource(tuple(pricing or ()), today=parse_day(today)).tables()
    tables = [KIND_TO_TABLE[kind.value]] if kind else list(KIND_TO_TABLE.values())
    rows = [
        (t, p)
        for t in tables
        for p in book.rows(t)
        if (provider is None or getattr(p.row, "provider", None) == provider.lower())
        and (history or t != "api" or (isinstance(p.row, ApiPrice) and p.row.valid_on(book.on)))
    ]
    if not rows:
        _no_rows(book, tables, provider, kind)
    if format is ListFormat.json:
        text = render.render_json(rows)
    elif format is ListFormat.csv:
        text = render.render_csv(rows)
    else:
        text = render.render_table(rows, width=terminal_width(), on=book.on)
    emit(text, output)


def _no_rows(book: PriceBook, tables: list[str], provider: str | None, kind: Kind | None) -> None:
    """An unknown --provider is an error with the nearest names; an empty kind is said on stderr, not left blank."""
    from costcalc.cli.output import to_stderr
    from costcalc.errors import InputError, did_you_mean

    known = sorted({_provider(p) for t in tables for p in book.rows(t)} - {""})
    if provider is not None and provider.lower() not in known:
        elsewhere = [k for k, t in KIND_TO_TABLE.items() if any(_provider(p) == provider.lower() for p in book.rows(t))]
        if kind is not None and elsewhere:
            other = elsewhere[0]
            raise InputError(
                f"{provider!r} has no {kind.value} rows; it has {', '.join(elsewhere)} rows (--kind {other})",
                field="--provider",
            )
        where = f" among the {kind.value} rows" if kind else ""
        hint = did_you_mean(provider.lower(), known) or f"; providers: {', '.join(known)}"
        raise InputError(f"no provider {provider!r}{where}{hint}", field="--provider")
    which = " ".join(filter(None, [kind.value if kind else "", "price rows"]))
    to_stderr(f"note: no {which} match; add your own with --pricing FILE")


def _provider(p: object) -> str:
    return str(getattr(getattr(p, "row", None), "provider", "") or "")


@pricing_app.command("show", help="Every field of one price row, with its source and date.")
def show(
    row_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="a price id, e.g. openai/gpt-6-luna (the row valid on --today; ID@DATE for another)"
        ),
    ],
    format: Annotated[
        ShowFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    pricing: PricingOpt = None,
    today: PricesOnOpt = None,
) -> None:
    """Wiring only."""
    from costcalc.cli.options import terminal_width
    from costcalc.cli.output import check_writable, emit
    from costcalc.errors import CatalogError, did_you_mean
    from costcalc.pricing.book import retired_after
    from costcalc.render import pricing as render
    from costcalc.resolve.book import PriceSource

    check_writable(output)
    format = pick_format(format, output, ShowFormat.table)
    book = PriceSource(tuple(pricing or ()), today=parse_day(today)).tables()
    for table in KIND_TO_TABLE.values():
        found = book.layers[table].get(row_id)
        if table == "api" and "@" not in row_id and book.series(row_id):
            ended = retired_after(book.series(row_id))  # a retired model shows its last row (valid_until, successor)
            until = ended.row.valid_until if ended is not None else None
            retired = until is not None and book.on > until
            found = ended if retired else book.get("api", row_id)  # a series shows its row valid today
        if found is not None:
            if format is ShowFormat.json:
                emit(render.render_show_json(table, found), output)
            else:
                color = output is None and sys.stdout.isatty()  # a terminal: a folded source URL links whole
                emit(render.render_show(table, found, width=terminal_width(), on=book.on, color=color), output)
            return
    every = [k for t in KIND_TO_TABLE.values() for k in book.layers[t]]
    raise CatalogError(f"no price row {row_id!r}{did_you_mean(row_id, every)}; `costcalc pricing list` lists ids")


@pricing_app.command("lock", help="Pin the exact prices a scenario's report uses, for reproducible CI runs.")
def lock(
    scenario: ScenarioArg,
    output: Annotated[
        str, typer.Option("-o", "--output", metavar="FILE", help="lock file to write")
    ] = "costcalc.lock.json",
    pricing: PricingOpt = None,
    allow_outside: AllowOutsideOpt = False,
    today: TodayOpt = None,
) -> None:
    """Wiring only: load → resolve → write every priced row used."""
    from costcalc.scenario.references import set_allow_outside

    set_allow_outside(allow_outside)
    from costcalc.cli.output import check_writable, emit, to_stderr
    from costcalc.pricing.book import lock_rows
    from costcalc.resolve.book import lock_pricing, price_book, used_prices
    from costcalc.scenario.loaders import load_scenario

    check_writable(output)
    day = parse_day(today)
    model = load_scenario(scenario)
    used = used_prices(model, price_book(model, pricing_files=pricing or (), on=day))
    emit(lock_rows(used, lock_pricing(model)), output)
    import shlex

    named = "SCENARIO" if scenario == "-" else shlex.quote(scenario)  # the command to paste, as the shell reads it
    to_stderr(
        f"locked {len({(t, p.row.id) for t, p in used})} prices in {output}; "
        f"use: `costcalc report {named} --pricing-lock {shlex.quote(output)}`"
    )
