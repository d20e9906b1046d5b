"""Every command's --help: an Examples section whose lines parse against the command, real metavars, --version."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from costcalc import __version__
from costcalc.cli import app
from costcalc.cli.help import EXAMPLES
from tests.support.cli import invoke

ROOT = Path(__file__).resolve().parents[2]  # the checkout, so the child runs this tree's costcalc


def _commands() -> list[tuple[str, ...]]:
    """The path of every command and group: (), ("report",), ("pricing",), ("pricing", "list"), ..."""
    found: list[tuple[str, ...]] = []

    def walk(group: object, path: tuple[str, ...]) -> None:
        found.append(path)
        for name, command in getattr(group, "commands", {}).items():
            walk(command, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()


def _help(path: tuple[str, ...], columns: int = 80) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"report", "diff", "ingest", "measure", "pricing show", "catalog gpus"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "costcalc")
def test_help_has_examples_and_no_python_types(path: tuple[str, ...]) -> None:
    text = _help(path)
    assert "Examples" in text
    for what, line in EXAMPLES[" ".join(path)]:
        assert line.split()[-1] in text  # each example is printed
    assert not re.search(r"<(bool|str|int|float|list|path|Path)\b", text), text
    assert max(len(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize(
    "line", [line for examples in EXAMPLES.values() for _, line in examples], ids=lambda line: line[:60]
)
def test_every_example_parses(line: str) -> None:
    """Each example names a real command and real options with valid values (it is parsed, not run); in a
    pipeline, the costcalc command at its end."""
    words = shlex.split(line.rsplit(" | ", 1)[-1])
    assert words[0] == "costcalc"
    group = typer.main.get_command(app)
    ctx = group.make_context("costcalc", [], resilient_parsing=True)
    args = words[1:]
    command = group
    while args and hasattr(command, "commands") and args[0] in command.commands:
        command = command.commands[args.pop(0)]
    assert not hasattr(command, "commands") or args == ["--help"], f"{line}: no such command"
    if args and args != ["--help"]:
        with command.make_context(command.name, args, parent=ctx) as sub:
            assert sub.params


def test_examples_cover_exactly_the_commands() -> None:
    assert set(EXAMPLES) == {" ".join(p) for p in COMMANDS}


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"costcalc {__version__}\n"


def test_flags_show_no_type_and_options_a_metavar() -> None:
    text = _help(("report",), columns=160)
    assert re.search(r"--strict\s{3,}stale", text)  # a flag: its help follows directly
    assert re.search(r"--output\s+-o\s+FILE", text)
    assert "SCENARIO" in text and "PATH=VALUE" in text


@pytest.mark.parametrize(
    ("group", "commands"), [("pricing", "list, show, lock, update, validate"), ("catalog", "gpus, models, benchmarks")]
)
def test_a_group_given_no_command_says_which_it_takes(group: str, commands: str) -> None:
    """`costcalc pricing` printed its help and then the empty line 'error: ; see `costcalc pricing --help`'."""
    from tests.support.cli import invoke

    code, out, err = invoke(group)
    assert code == 2
    assert "Usage: costcalc " + group in out
    assert err == f"error: missing command: give one of {commands}; see `costcalc {group} --help`"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "costcalc")
def test_nothing_in_the_help_is_cut_at_80_columns(path: tuple[str, ...]) -> None:
    """A word longer than its column was cut with '…': flag names (`estimate --min-output-tokens-per…`, `measure
    --request-time…`), `sweep --vary`'s PATH=START:STOP[:STEPS][… and measure's URLs; now folded onto the next line."""
    assert "…" not in _help(path)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "costcalc")
def test_each_example_pastes_into_a_shell_as_one_command_at_80_columns(path: tuple[str, ...]) -> None:
    # a long example was wrapped by the help at any space, its second line flush left: pasted, it ran as a second
    # command ('costcalc estimate ... --model llama-3.3-70b' then '--input-tokens 1800 ...')
    text = _help(path)
    examples = text[text.index("Examples") :].splitlines()[1:]
    commands, current = [], ""
    for line in (x.strip(" │") for x in examples):
        if current:  # a continuation: indented under its command
            current += " " + line.strip()
        elif line.startswith(("costcalc", "git")):
            current = line
        else:
            continue
        if current.endswith(" \\"):
            current = current[:-2]
        else:
            commands.append(current)
            current = ""
    assert commands == [" ".join(shlex.split(line, posix=False)) for _, line in EXAMPLES[" ".join(path)]]
    assert not any(line.rstrip().endswith("?:") for line in examples)  # 'What if usage grows 5% a month?:'


@pytest.mark.parametrize("args", [("--bogus",), ("-x", "report"), ("--version", "--bogus")])
def test_an_unknown_root_option_is_one_error_line(args: tuple[str, ...]) -> None:
    """qa18: the root's own options are parsed before any command runs, and an unknown one printed click's framed
    box (five lines: usage, a hint, the frame) where every command's prints one `error:` line."""
    code, out, err = invoke(*args)
    assert (code, out) == (2, "")
    assert err == "error: No such option: " + args[0 if args[0] != "--version" else 1] + "; see `costcalc --help`"


@pytest.mark.parametrize("args", [("--help",), ("report", "--help"), ("pricing", "list", "-h")])
def test_help_into_a_closed_pipe_exits_0(args: tuple[str, ...]) -> None:
    """qa18: `costcalc report --help | head -1` exited 1, the guardrails' code (rich ends a write into a closed pipe
    with exit 1); a result into a closed pipe exits 0 (cli.output), and so does help now. The pipe's reading end is
    closed before the command starts, so every write meets it closed."""
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    try:
        run = subprocess.run(
            [sys.executable, "-m", "costcalc", *args], stdout=write, stderr=subprocess.PIPE, env=env, timeout=60
        )
    finally:
        os.close(write)
    assert (run.returncode, run.stderr) == (0, b"")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("repot",), "error: No such command 'repot'. Did you mean 'report'? (see `costcalc --help`)"),
        (("pricing", "lst"), "error: No such command 'lst'. Did you mean 'list'? (see `costcalc pricing --help`)"),
    ],
)
def test_a_near_miss_of_a_command_reads_as_a_sentence(args: tuple[str, ...], error: str) -> None:
    """qa18: click's 'Did you mean ...?' was followed by '; see ...': '... 'report'?; see `costcalc --help`'."""
    code, out, err = invoke(*args)
    assert (code, out, err) == (2, "", error)


def test_report_s_fail_if_examples_are_ones_report_takes() -> None:
    """report --help offered 'diff.monthly_cost_pct > 10', which report refuses: 'diff.* metrics apply only to
    `costcalc diff`' (the help was diff's)."""
    report = _help(("report",), columns=400)
    assert "diff.monthly_cost_pct" not in report and "'payback_months > 18'" in report
    assert "diff.monthly_cost_pct" in _help(("diff",), columns=400)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "costcalc")
def test_no_list_of_choices_is_cut_at_80_columns(path: tuple[str, ...]) -> None:
    """`sweep --help` at 80 columns showed --format's choices as '[table|csv|json|parqu' / 'et]' (report's, chart
    --kind's, pricing list --kind's and pricing update --source's alike): a list too wide for the middle column is
    shown as the option's name (FORMAT) and its help opens with the choices ('one of table, csv, json or parquet')."""
    text = _help(path)
    cut = [w for w in text.split() if w.startswith("[") and "|" in w and not w.endswith("]")]
    assert not cut, cut
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    words = " ".join(text.split())
    for param in command.params:
        kind = getattr(param, "type", None) or getattr(param, "type_descriptor", None)
        for choice in getattr(kind, "choices", None) or ():
            assert str(getattr(choice, "value", choice)) in words, (param.name, choice)
