"""`costcalc catalog gpus|models|benchmarks`: list the shipped GPU and open-weight model catalogs, and the held-out
benchmarks behind the estimator's error bands."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from costcalc.cli.formats import FORMAT_HELP
from costcalc.cli.options import OutputOpt


class CatalogFormat(str, Enum):
    """Output formats of the catalog commands."""

    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    CatalogFormat | None,
    typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
]

catalog_app = typer.Typer(
    help="List the shipped GPU and model catalogs and the benchmarks behind the bands.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the `catalog` command group to the root app."""
    app.add_typer(
        catalog_app, name="catalog", help="List the shipped GPU and model catalogs and the benchmarks behind the bands."
    )


@catalog_app.command(
    "gpus",
    help="GPUs: memory, bandwidth, dense TFLOPS, power and the date of each row (its sources with -f csv or json).",
)
def gpus(*, fmt: FormatOption = None, output: OutputOpt = None) -> None:
    """Print the GPU catalog."""
    from costcalc.catalog import list_gpus
    from costcalc.render import catalog as render

    _write(list_gpus(), render.render_gpus_table, render.render_gpus_json, render.render_gpus_csv, fmt, output)


@catalog_app.command("models", help="Open-weight models: architecture from each config.json.")
def models(*, fmt: FormatOption = None, output: OutputOpt = None) -> None:
    """Print the model catalog."""
    from costcalc.catalog import list_models
    from costcalc.render import catalog as render

    _write(list_models(), render.render_models_table, render.render_models_json, render.render_models_csv, fmt, output)


class LoadClass(str, Enum):
    """The load classes a band is kept for (the calibration rows' scenario)."""

    single = "single"
    server = "server"
    offline = "offline"


@catalog_app.command(
    "benchmarks",
    help="The published benchmarks behind the estimator's error bands: each held-out row's configuration, measured"
    " figure, the estimate of the fit that did not see its source, the error, and its source and date (-f csv or"
    " json); --engine and --class pick the rows a band quotes (a report's 'vllm server band: 9 in 10 of N held-out"
    " benchmarks' is --engine vllm --class server, its N rows) and give their p90 error; --gpu, --model and --precision keep one configuration's rows, the"
    " published runs a report names ('5 published runs of qwen3-32b with vllm on h100-sxm-80gb': --engine vllm"
    " --gpu h100-sxm-80gb --model qwen3-32b).",
)
def benchmarks(
    *,
    engine: Annotated[
        str | None, typer.Option("--engine", help="only this engine's rows: vllm, sglang, trtllm, llamacpp, mlx")
    ] = None,
    load_class: Annotated[
        LoadClass | None,
        typer.Option("--class", help="only this load class's rows: single, server or offline", case_sensitive=False),
    ] = None,
    gpu: Annotated[
        str | None, typer.Option("--gpu", help="only this GPU's rows: a catalog id or alias (h100-sxm-80gb, h100)")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="only this model's rows: a catalog id (qwen3-32b)")
    ] = None,
    precision: Annotated[
        str | None, typer.Option("--precision", help="only rows at this precision: bf16, fp8, mxfp4, ...")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOpt = None,
) -> None:
    """Print the held-out benchmarks behind an error band."""
    from costcalc.analysis.benchmarks import band_benchmarks
    from costcalc.render import benchmarks as render

    klass = load_class.value if load_class is not None else None
    found = band_benchmarks(engine, klass, gpu=gpu, model=model, precision=precision)
    _write(
        found,
        lambda rows, width: render.render_table(rows, engine, klass, width=width),
        lambda rows: render.render_json(rows, engine, klass),
        render.render_csv,
        fmt,
        output,
    )


def _write(rows: Any, table: Any, json: Any, csv: Any, fmt: CatalogFormat | None, output: str | None) -> None:
    from costcalc.cli.formats import pick_format
    from costcalc.cli.options import terminal_width
    from costcalc.cli.output import check_writable, emit

    check_writable(output)
    fmt = pick_format(fmt, output, CatalogFormat.table)
    if fmt is CatalogFormat.table:
        text = table(rows, width=terminal_width())
    else:
        text = json(rows) if fmt is CatalogFormat.json else csv(rows)
    emit(text, output)
