"""A Typer group that turns domain errors into one stderr line and their exit code (bugs keep tracebacks)."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from costcalc.errors import CostcalcError, InputError


class CostcalcGroup(TyperGroup):
    """Root command group: CostcalcError and pydantic ValidationError → `error: ...` and exit 2/3."""

    def invoke(self, ctx: Any) -> Any:
        from pydantic import ValidationError

        try:
            return super().invoke(ctx)
        except CostcalcError as exc:
            fail(exc)
        except ValidationError as exc:  # a model built from flags rather than a file
            err = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in err["loc"])
            fail(InputError(str(err["msg"]), field=where or None))


def fail(exc: CostcalcError) -> None:
    """Print one line to stderr and exit with the error's code."""
    typer.echo(f"error: {exc}", err=True)
    sys.stderr.flush()
    raise typer.Exit(exc.exit_code)
