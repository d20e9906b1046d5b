"""`costcalc ingest`: read benchmark result files and show the operating points they hold."""

from __future__ import annotations

import enum
import warnings
from pathlib import Path
from typing import Annotated

import typer

from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import OutputOpt


class IngestFormat(str, enum.Enum):
    """Output formats of `costcalc ingest`."""

    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add the ingest command to the root app."""
    app.command(
        "ingest",
        help="Read benchmark results (vLLM, GuideLLM, genai-perf/AIPerf, llmperf, costcalc measure) "
        "and print their operating points: one table per file, sorted by concurrency.",
    )(_command)


def _command(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="benchmark result files; format detected from content")
    ],
    *,
    format: Annotated[
        IngestFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
) -> None:

    from costcalc.cli.options import terminal_width
    from costcalc.cli.output import check_writable, emit, to_stderr
    from costcalc.render.ingest import render_json, render_table
    from costcalc.throughput.ingest import IngestWarning, read_many

    check_writable(output)
    format = pick_format(format, output, IngestFormat.table)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IngestWarning)
        points = read_many(files)
    for warning in (w for w in caught if issubclass(w.category, IngestWarning)):
        to_stderr(f"warning: {warning.message}")
    text = render_json(points) if format is IngestFormat.json else render_table(points, width=terminal_width())
    emit(text, output)
