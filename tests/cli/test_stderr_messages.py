"""Messages on stderr (warnings, notes, what was written) wrap to a terminal's width at spaces, and stay one whole line
in a pipe or a CI log; every command writes them through cli.output.to_stderr."""

from __future__ import annotations

import ast
import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from costcalc.cli import output
from tests.support.sse_servers import free_port

CLI = Path(output.__file__).parent
LONG = (
    "warning: deepseek-r1: published runs of deepseek-r1 measured 0.20x to 0.71x of costcalc's throughput estimate in"
    " 9 of 10 cases (median 0.45x; 60 measurements on 8x h200-sxm-141gb; https://github.com/dstackai/benchmarks/blob/"
    "7f37e6697725e58dd09b9ef190b62ce19f01d45e/Deepseek-R1/raw_data/online_results.csv); measure before budgeting"
)
DEEPSEEK = ["estimate", "--gpu", "h200-sxm-141gb", "--gpus", "8", "--model", "deepseek-r1"]
DEEPSEEK += ["--input-tokens", "1000", "--output-tokens", "200"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("columns", [80, 120])
def test_a_message_wraps_at_spaces_to_the_terminal(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setattr(sys, "stderr", _Terminal())
    output.to_stderr(LONG)
    lines = sys.stderr.getvalue().splitlines()
    assert len(lines) > 1 and max(map(len, lines)) <= columns
    assert all(line.startswith("  ") for line in lines[1:]) and lines[0].startswith("warning: ")
    assert "".join(lines).replace(" ", "") == LONG.replace(" ", "")  # every word, in order, none cut
    assert all(not line.endswith(" ") for line in lines)


def test_a_message_stays_one_line_in_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    output.to_stderr(LONG)
    assert sys.stderr.getvalue() == LONG + "\n"


def _stderr_on_a_terminal(args: list[str], columns: int, *, env_columns: bool, code: int = 0) -> list[str]:
    """stderr lines of `python -m costcalc ARGS` run with stderr on a pseudo-terminal `columns` wide (stdout to
    /dev/null, as when results go to a file), with or without $COLUMNS."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if env_columns:
        env["COLUMNS"] = str(columns)
    done = subprocess.Popen([sys.executable, "-m", "costcalc", *args], stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert done.wait(timeout=120) == code
    return b"".join(chunks).decode().replace("\r\n", "\n").splitlines()


@pytest.mark.parametrize(("columns", "env_columns"), [(80, True), (120, True), (80, False)])
def test_estimates_warning_fits_a_real_terminal(columns: int, env_columns: bool) -> None:
    """The unmodelled-runs warning of a DeepSeek-R1 estimate was one 483-character line at 80 columns; without $COLUMNS
    the width is stderr's own terminal's (stdout is not a terminal here)."""
    lines = _stderr_on_a_terminal(DEEPSEEK, columns, env_columns=env_columns)
    assert lines[0].startswith("warning: deepseek-r1: published runs") and len(lines) > 2
    assert max(map(len, lines)) <= columns


def test_estimates_warning_is_one_line_in_a_log() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "costcalc", *DEEPSEEK],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    (line,) = done.stderr.splitlines()
    assert line.startswith("warning: deepseek-r1: ") and line.endswith("measure before budgeting")


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _text(node: ast.expr) -> str:
    """The literal start of a str or f-string argument ('' when it starts with a value)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return ""


def test_every_message_on_stderr_goes_through_to_stderr() -> None:
    """No typer.echo(err=True) (error lines go through to_stderr too, cli/errors.py: they were one line even on a
    terminal, 156-254 characters at 80 columns), no text printed on a rich stderr console, and sys.stderr written
    only by output.py and crash.py: warnings, notes and 'wrote FILE' lines of estimate, recommend, ingest, pricing
    lock/update/validate, init and measure went around it."""
    found = []
    for path in sorted(CLI.glob("*.py")):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            err = any(k.arg == "err" and isinstance(k.value, ast.Constant) and k.value.value for k in call.keywords)
            if name == "echo" and err:
                found.append(f"{path.name}:{call.lineno} typer.echo(err=True)")
            if name == "print" and call.args and (_text(call.args[0]) or isinstance(call.args[0], ast.JoinedStr)):
                found.append(f"{path.name}:{call.lineno} console.print of text")
            target = ast.unparse(func)
            if target == "sys.stderr.write" and path.name not in ("output.py", "crash.py"):
                found.append(f"{path.name}:{call.lineno} sys.stderr.write")
    assert found == []


NO_FIT = ["estimate", "--gpu", "rtx-4090-24gb", "--model", "llama-3.3-70b", "--input-tokens", "1000"]
NO_FIT += ["--output-tokens", "200"]


@pytest.mark.parametrize("columns", [80, 120])
def test_an_error_fits_a_real_terminal(columns: int) -> None:
    """Errors went around to_stderr: `costcalc estimate` of a 70B model on one RTX 4090 printed its 156-character
    'error: does not fit: ...; use more GPUs per replica (--gpus) or a lower precision (--precision)' as one line on
    an 80- or 120-column terminal (and --strict's stale-price error 172-210 characters)."""
    lines = _stderr_on_a_terminal(NO_FIT, columns, env_columns=True, code=2)
    assert lines[0].startswith("error: does not fit: ") and len(lines) > 1
    assert max(map(len, lines)) <= columns
    assert all(line.startswith(output.CONTINUED) for line in lines[1:])


def test_an_error_is_one_line_in_a_log() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "costcalc", *NO_FIT],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("error: does not fit: ") and line.endswith("or a lower precision (--precision)")


ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "examples" / "startup-chatbot.yaml"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["report", str(SCENARIO), "--today", "2100-01-01"], 0),  # stale-price warnings after the result
        (["report", str(ROOT / "no-such-file.yaml")], 2),
        (["report", str(SCENARIO), "--today", "2100-01-01", "--fail-if", "monthly_cost > 1"], 1),
        # its progress bar on stderr: rich's own answer to the closed pipe was exit 1
        (["measure", "--base-url", f"http://127.0.0.1:{free_port()}", "--model", "m", "--requests", "2"], 3),
    ],
    ids=["warnings", "input error", "guardrail", "measure"],
)
def test_a_closed_stderr_leaves_the_result_and_the_exit_code(args: list[str], code: int, tmp_path: Path) -> None:
    """qa18: `costcalc report s.yaml 2>&1 | head` whose reader left before a warning crashed on the warning's write
    (BrokenPipeError in to_stderr: a crash log, and exit 1, the guardrails' code, once the crash line failed too), and
    an input error exited 1 as well. The pipe's reading end is closed before the command starts."""
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COSTCALC_CACHE_DIR": str(tmp_path)}
    try:
        run = subprocess.run(
            [sys.executable, "-m", "costcalc", *args], stdout=subprocess.PIPE, stderr=write, env=env, timeout=120
        )
    finally:
        os.close(write)
    assert run.returncode == code
    assert (run.stdout != b"") == (code in (0, 1))  # the whole result still reaches stdout
    assert not (tmp_path / "crash").exists()
