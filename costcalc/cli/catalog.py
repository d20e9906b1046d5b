"""`costcalc catalog gpus|models`: list the shipped GPU and open-weight model catalogs."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer


class CatalogFormat(str, Enum):
    """Output formats of the catalog commands."""

    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    CatalogFormat, typer.Option("--format", "-f", help="output format: table, json or csv", case_sensitive=False)
]

catalog_app = typer.Typer(help="List the shipped GPU and model catalogs.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `catalog` command group to the root app."""
    app.add_typer(catalog_app, name="catalog", help="List the shipped GPU and model catalogs.")


@catalog_app.command("gpus", help="GPUs: memory, bandwidth, dense TFLOPS, power, source.")
def gpus(*, fmt: FormatOption = CatalogFormat.table) -> None:
    """Print the GPU catalog."""
    from costcalc.catalog import list_gpus
    from costcalc.render import catalog as render

    rows = list_gpus()
    text = {
        CatalogFormat.table: render.render_gpus_table,
        CatalogFormat.json: render.render_json,
        CatalogFormat.csv: render.render_gpus_csv,
    }[fmt](rows)
    typer.echo(text, nl=False)


@catalog_app.command("models", help="Open-weight models: architecture from each config.json.")
def models(*, fmt: FormatOption = CatalogFormat.table) -> None:
    """Print the model catalog."""
    from costcalc.catalog import list_models
    from costcalc.render import catalog as render

    rows = list_models()
    text = {
        CatalogFormat.table: render.render_models_table,
        CatalogFormat.json: render.render_json,
        CatalogFormat.csv: render.render_models_csv,
    }[fmt](rows)
    typer.echo(text, nl=False)
