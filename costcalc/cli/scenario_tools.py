"""`costcalc schema` (JSON Schema of scenario files) and `costcalc init` (a commented starter scenario)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

STARTER = Path(__file__).resolve().parent.parent / "templates" / "starter.yaml"


def register(app: typer.Typer) -> None:
    """Add schema and init to the root app."""
    app.command("schema", help="Print the JSON Schema of scenario files (for yaml-language-server and editors).")(
        schema
    )
    app.command("init", help="Write a commented starter scenario to FILE (or stdout).")(init)


def schema(
    output: Annotated[str | None, typer.Option("-o", "--output", metavar="FILE", help="write to FILE")] = None,
) -> None:
    """JSON Schema of the scenario format."""
    import json

    from costcalc.cli.output import check_writable, emit
    from costcalc.models import Scenario

    check_writable(output)
    doc = Scenario.model_json_schema()
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "costcalc scenario", **doc}
    emit(json.dumps(doc, indent=2) + "\n", output)


def init(
    file: Annotated[
        str | None, typer.Argument(metavar="FILE", help="where to write the starter scenario (default: stdout)")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
) -> None:
    """Write the starter scenario."""
    from costcalc.cli.output import check_writable, emit, to_stderr
    from costcalc.errors import InputError

    if file == "-":  # stdout, as without FILE (it said 'wrote -; next: costcalc report -')
        file = None
    if file is not None and not file.strip():
        raise InputError("empty file name; give FILE a name, e.g. my-scenario.yaml", field="FILE")
    if file is not None and Path(file).is_dir():
        raise InputError("is a folder; give a file name, e.g. my-scenario.yaml", file=file)
    if file is not None and Path(file).exists() and not force:
        raise InputError("file exists; pass --force to overwrite it or choose another name", file=file)
    check_writable(file, "FILE")
    emit(STARTER.read_text(encoding="utf-8"), file, "FILE")
    if file is not None:
        to_stderr(f"wrote {file}; next: costcalc report {file}")
