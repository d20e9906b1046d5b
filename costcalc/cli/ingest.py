"""`costcalc ingest`: read benchmark result files and show the operating points they hold."""

from __future__ import annotations

import enum
import warnings
from pathlib import Path
from typing import Annotated

import typer


class IngestFormat(str, enum.Enum):
    """Output formats of `costcalc ingest`."""

    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add the ingest command to the root app."""
    app.command(
        "ingest",
        help="Read benchmark results (vLLM, GuideLLM, genai-perf/AIPerf, llmperf, costcalc measure) "
        "and print their operating points, sorted by concurrency.",
    )(_command)


def _command(
    files: Annotated[list[Path], typer.Argument(help="benchmark result files; format detected from content")],
    *,
    format: Annotated[
        IngestFormat, typer.Option("--format", help="output format", case_sensitive=False)
    ] = IngestFormat.table,
) -> None:
    from rich.console import Console

    from costcalc.render.ingest import render_json, render_table
    from costcalc.throughput.ingest import IngestWarning, read_many

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IngestWarning)
        points = read_many(files)
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    for warning in (w for w in caught if issubclass(w.category, IngestWarning)):
        stderr.print(f"warning: {warning.message}", markup=False)
    renderers = {IngestFormat.table: render_table, IngestFormat.json: render_json}
    typer.echo(renderers[format](points), nl=False)
