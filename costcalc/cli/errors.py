"""A Typer group that turns errors into one stderr line and an exit code: 2/3 for domain errors, 70 for bugs."""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from costcalc.errors import CostcalcError, InputError
from costcalc.textsafe import one_line

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a Ctrl-C'd command
# the Python API's parameter -> the flag that sets it here: an error names its argument as the user gave it
FLAGS = {
    "today": "--today",
    "overrides": "--set",
    "vary": "--vary",
    "samples": "--samples",
    "seed": "--seed",
    "jobs": "--jobs",  # sweep
    "delta": "--delta",
    "inputs": "--input",
    "top": "--top",  # recommend
    "models": "--model",
    "gpus": "--gpu",
    "engines": "--engine",
    "precisions": "--precision",
    "max_gpus": "--max-gpus",
    "acquisition": "--acquisition",
    "providers": "--provider",
    "as_of": "--as-of",  # pricing update
    "source": "--source",
    "url": "--url",
    "format": "--format",  # the output format a renderer needs a package for
    "table": "--table",  # pricing validate
    "pricing_files": "--pricing",
    "gpu": "--gpu",  # estimate (the estimator's own parameter names)
    "model": "--model",
    "gpu_count": "--gpus",
    "precision": "--precision",
    "engine": "--engine",
    "input_tokens": "--input-tokens",
    "output_tokens": "--output-tokens",
    "concurrency": "--concurrency",
    "engine_version": "--engine-version",
    "engine_args": "--engine-args",
    "request_rates": "--rate",  # measure (MeasureConfig's fields)
    "concurrency_levels": "--concurrency",
    "requests_per_level": "--requests",
    "duration_s_per_level": "--duration",
    "base_url": "--base-url",
}


class CostcalcGroup(TyperGroup):
    """Root command group: every failure ends as one `error: ...` line and its exit code, never a traceback.

    CostcalcError → its code (2 input, 3 external); pydantic ValidationError of a model built from
    flags → 2; Ctrl-C → 130; anything else is a bug → a crash log and 70 (exit 1 stays the guardrails').
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from costcalc.cli.help import tidy

        tidy(self)  # examples and metavars on every command, once the tree is built

    def invoke(self, ctx: Any) -> Any:
        from pydantic import ValidationError

        from costcalc.inputs import forget_reads
        from costcalc.scenario.references import set_allow_outside

        forget_reads()
        set_allow_outside(False)
        try:
            return super().invoke(ctx)
        except CostcalcError as exc:
            fail(exc)
        except ValidationError as exc:  # a model built from flags rather than a file
            err = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in err["loc"])
            fail(InputError(str(err["msg"]), field=where or None))
        except typer.TyperException as exc:  # a usage error (unknown option, bad value): one line as well
            usage_error(exc)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _say("error: interrupted; nothing written")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # a bug: one line and a crash log, not a traceback
            from costcalc.cli.crash import report_crash

            raise typer.Exit(report_crash(exc)) from None

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """The root's context; its own options are read here, before `invoke`, so an unknown one (`costcalc --bogus`)
        is one `error:` line as a command's is, not a framed box."""
        if parent is None:
            utf8_streams()
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except typer.TyperException as exc:
            if not _message(exc).strip():  # `costcalc` alone: its help, printed already, is the answer
                raise
            usage_error(exc)


def utf8_streams() -> None:
    """Write stdout and stderr as UTF-8 whatever the locale says, as -o files are written: a stream whose encoding
    cannot hold the tables' '─' and '·' (`> out.txt` on Windows, cp1252; PYTHONIOENCODING=ascii) crashed every table
    with UnicodeEncodeError (exit 70)."""
    import codecs
    import sys

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if encoding and codecs.lookup(encoding).name != "utf-8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def usage_error(exc: Exception) -> NoReturn:
    """A usage error (an unknown option, a bad value, a missing command) as one line and its exit code (2)."""
    number = _not_a_number(exc)
    if number is not None:
        fail(number)
    message = _message(exc).replace("Value error, ", "")  # pydantic's prefix on an enum's refusal: noise
    command = getattr(getattr(exc, "ctx", None), "command_path", "costcalc")
    if getattr(exc, "option_name", None) == "--set" and command.split()[-1] == "diff":  # was 'No such option: --set'
        _say(
            "error: diff compares the two files as they are, with no --set; for a what-if, cost it and diff the result:"
            " `costcalc report BASE --set PATH=VALUE -f json | costcalc diff BASE -`"
        )
        raise typer.Exit(2) from None
    if not message.strip():  # a group given no command (`costcalc pricing`): its help is printed above
        message = f"missing command: give one of {_commands(getattr(exc, 'ctx', None))}"
    message = one_line(message).rstrip(".")
    see = f" (see `{command} --help`)" if message.endswith("?") else f"; see `{command} --help`"  # not '?;'
    _say(f"error: {message}{see}")
    raise typer.Exit(getattr(exc, "exit_code", 2)) from None


def _message(exc: Exception) -> str:
    format_message = getattr(exc, "format_message", None)
    return str(format_message()) if format_message is not None else str(exc)


def _commands(ctx: Any) -> str:
    """The commands of the group `ctx` runs, for an error that names none ('list, show, validate')."""
    command = getattr(ctx, "command", None)
    names = command.list_commands(ctx) if command is not None and hasattr(command, "list_commands") else []
    return ", ".join(names) or "its commands"


def _not_a_number(exc: Exception) -> InputError | None:
    """A number flag given text ('--input-tokens 10k') as an error naming the flag and how to write it ('did you
    mean 10000?', as a scenario's field says); None for any other usage error."""
    from pydantic import ValidationError

    from costcalc.models.invalid import number_hint

    cause, param = exc.__cause__, getattr(exc, "param", None)
    if not isinstance(cause, ValidationError) or param is None or not getattr(param, "opts", None):
        return None
    err = cause.errors(include_url=False)[0]
    if err["type"] not in ("int_parsing", "float_parsing") or not isinstance(err["input"], str):
        return None
    flag = max(param.opts, key=len)
    seconds = getattr(param, "metavar", None) == "SECONDS"  # --duration, --timeout: the metavar names the unit
    hint = number_hint(err["input"], flag, whole=err["type"] == "int_parsing", seconds=seconds)
    return InputError(f"{err['msg']} (got {err['input']!r}); {hint}", field=flag)


def fail(exc: CostcalcError) -> NoReturn:
    """Print one line to stderr (hidden characters removed, cut when huge) and exit with the error's code; an
    argument the error names by its API parameter is named by its flag."""
    exc = exc.reworded(FLAGS)
    _say(f"error: {one_line(str(exc))}")
    raise typer.Exit(exc.exit_code)


def _say(line: str) -> None:
    """An error line on stderr as every message goes (cli.output.to_stderr): one whole line in a pipe or a log, so
    a CI job greps it; on a terminal wrapped at spaces to its width, a long URL folded after its slashes."""
    from costcalc.cli.output import to_stderr

    to_stderr(line)
