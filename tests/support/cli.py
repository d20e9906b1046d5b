"""Run a costcalc command through the real root app (its error handling included) and split the streams."""

from __future__ import annotations

from typer.testing import CliRunner


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr without its final newline) of `costcalc ARGS...`; a bug still raises."""
    from costcalc.cli import app

    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr.removesuffix("\n")
