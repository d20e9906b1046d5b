"""Run a costcalc command through the real root app (its error handling included) and split the streams."""

from __future__ import annotations

from typer.testing import CliRunner


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr without its final newline) of `costcalc ARGS...`; a bug still raises."""
    from costcalc.cli import app

    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code != 70, crash_log(result.stderr)
    return result.exit_code, result.stdout, result.stderr.removesuffix("\n")


def crash_log(stderr: str) -> str:
    """The traceback a crashed command (exit 70) left in its crash log, for an assertion message."""
    from pathlib import Path

    marker = "the traceback is in "
    if marker not in stderr:
        return stderr
    return Path(stderr.rsplit(marker, 1)[1].strip()).read_text(encoding="utf-8")
