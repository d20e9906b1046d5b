"""The bounded reader on pipes: a named pipe nothing writes to is refused after a wait, not read for ever (qa14: a
FIFO given as a scenario blocked as `cat` does); a pipe with a writer is read as before."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc import inputs
from costcalc.cli import app
from costcalc.errors import InputError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "startup-chatbot.yaml"


@pytest.fixture
def fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(inputs, "PIPE_WAIT_S", 0.3)
    path = tmp_path / "scenario.yaml"
    os.mkfifo(path)
    return path


def test_a_named_pipe_nothing_writes_to_is_refused_after_the_wait(fifo: Path) -> None:
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        inputs.read_text(str(fifo), limit=inputs.SCENARIO_MAX_BYTES, what="a scenario file")
    assert time.monotonic() - started < 5
    assert str(info.value) == (
        f"{fifo}: a named pipe nothing wrote to in 0.3 s; give the file itself, or write a scenario file into the pipe"
        " while this reads it"
    )


def test_a_named_pipe_is_read_once_something_writes_to_it(fifo: Path) -> None:
    def write() -> None:
        time.sleep(0.05)
        fifo.write_text("version: 1\n")

    writer = threading.Thread(target=write)
    writer.start()
    assert inputs.read_text(str(fifo), limit=100, what="a scenario file") == "version: 1\n"
    writer.join()


def test_a_shells_pipe_is_read_without_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """`costcalc report <(cat s.yaml)` hands over /dev/fd/N, a pipe whose writer is there already."""
    monkeypatch.setattr(inputs, "PIPE_WAIT_S", 0.0)  # no wait: a named-pipe check would refuse it at once
    read, write = os.pipe()
    os.write(write, b"version: 1\n")
    os.close(write)
    try:
        assert inputs.read_bytes(f"/dev/fd/{read}", limit=100) == b"version: 1\n"
    finally:
        os.close(read)


def test_report_of_a_named_pipe_nothing_writes_to_exits_2_in_one_line(fifo: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(fifo), "--today", "2026-12-06"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "a named pipe nothing wrote to in 0.3 s" in result.output


def test_report_of_a_named_pipe_reads_what_is_written_to_it(fifo: Path) -> None:
    writer = threading.Thread(target=lambda: (time.sleep(0.05), fifo.write_bytes(EXAMPLE.read_bytes())))
    writer.start()
    result = CliRunner().invoke(app, ["report", str(fifo), "--today", "2026-12-06"])
    writer.join()
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Startup chatbot (API vs rented GPUs)")


@pytest.mark.parametrize(
    "args", [("diff", "-", "-"), ("report", "-", "--workload", "-")], ids=["diff - -", "report - --workload -"]
)
def test_standard_input_named_twice_says_it_was_read_already(args: tuple[str, ...]) -> None:
    """qa18: `diff - - < s.yaml` and `report - --workload - < s.yaml` said '<stdin>: file is empty' of the second
    read, a file that was not empty; standard input holds one file a run."""
    result = CliRunner().invoke(app, [*args, "--today", "2026-12-06"], input=EXAMPLE.read_text(encoding="utf-8"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: <stdin>: standard input was read already, for another input of this run (it holds one file); give"
        " this one a path\n"
    )


def test_an_empty_standard_input_read_once_is_still_an_empty_file() -> None:
    result = CliRunner().invoke(app, ["report", "-", "--today", "2026-12-06"], input="")
    assert (result.exit_code, result.stderr) == (2, "error: <stdin>: file is empty; start from `costcalc init`\n")


HEADER = "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (
            "me/m,me,m,1,2,https://x,2026-11-01,a note, with a comma\n",
            "9 cells where the header names 7 (the last: ' with a comma')",
        ),
        ("me/m,me,m,1,5,2,https://x,2026-11-01\n", "8 cells where the header names 7 (the last: '2026-11-01')"),
    ],
)
def test_a_csv_row_with_more_cells_than_its_header_is_refused_at_its_line(tmp_path: Path, row: str, said: str) -> None:
    """The cells past the header were dropped without a word: a note's unquoted comma lost the rest of the note (the
    shipped datacenter.csv's electricity row did), a decimal comma shifted the row."""
    path = tmp_path / "prices.csv"
    path.write_text(HEADER + "me/a,me,a,1,2,https://x,2026-11-01\n" + row, encoding="utf-8")
    with pytest.raises(InputError) as info:
        inputs.read_csv(str(path), limit=10_000)
    assert str(info.value) == (
        f'{path}:3: {said}; put a value holding a comma in double quotes ("a, b"), and write decimals with a point (1.5)'
    )


def test_empty_cells_past_the_header_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"  # a spreadsheet's trailing separators
    path.write_text(HEADER + "me/a,me,a,1,2,https://x,2026-11-01,,\n", encoding="utf-8")
    header, rows = inputs.read_csv(str(path), limit=10_000)
    assert rows == [dict(zip(header, ["me/a", "me", "a", "1", "2", "https://x", "2026-11-01"], strict=True))]
