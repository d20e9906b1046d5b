"""A sweep says the layout each point's replica was costed at, in the report's words, where it differs by point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from costcalc.api import analyze, sweep
from tests.support.cli import invoke

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "internal-assistant.yaml")
LLAMA = "Llama 3.3 70B on owned H100s"  # 2 owned H100s a replica, its layout unstated: chosen
GPUS = f"options[{LLAMA}].hardware.gpus_per_replica"
DAY = "2026-12-07"


def _report_layout(gpus: int) -> str:
    """The report's throughput line for the option at that GPU count, from '2x h100-sxm-80gb' to the closing ')'."""
    result = analyze(EXAMPLE, overrides=[f"{GPUS}={gpus}"], today=DAY)
    (option,) = [o for o in result.options if o.name == LLAMA]
    assert option.throughput is not None
    return option.throughput.detail.split(f"{gpus}x h100-sxm-80gb", 1)[1].split(")", 1)[0]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_sweep_of_gpus_a_replica_says_each_points_layout_as_the_report_does(jobs: int) -> None:
    """A sweep over gpus_per_replica costed 1, 2, 4 and 8 GPUs a replica without a word on how they were split: the
    report says '2x h100-sxm-80gb, tensor parallel, the layout chosen as serving more within the SLO'. Worker
    processes (jobs 2) search; the sweep's own process resolves every point, and reads the layout there."""
    frame = sweep(EXAMPLE, [f"{GPUS}=1,2,4,8"], today=DAY, jobs=jobs)
    layouts = list(frame[f"layout[{LLAMA}]"])
    assert layouts[0] == "one GPU"
    for gpus, said in zip((2, 4, 8), layouts[1:], strict=True):
        assert f", {said}" == _report_layout(gpus)  # one path: the estimate's own words
        assert said.startswith(("tensor parallel", "pipeline parallel"))


def test_a_sweep_that_moves_no_replica_has_no_layout_column() -> None:
    frame = sweep(EXAMPLE, ["workload.requests_per_day=1000,100000"], today=DAY, jobs=1)
    assert not [c for c in frame.columns if c.startswith("layout[")]


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_every_format_says_it(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = invoke("sweep", EXAMPLE, "--vary", f"{GPUS}=1,2,4", "--today", DAY, "--jobs", "1", "-f", fmt)
    assert code == 0, err
    chosen = _report_layout(2).removeprefix(", ")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r[f"layout[{LLAMA}]"] for r in rows][:2] == ["one GPU", chosen]
    elif fmt == "json":
        doc = json.loads(out)
        assert doc["schema_version"] == "1.6"
        assert [r[f"layout[{LLAMA}]"] for r in doc["rows"]][:2] == ["one GPU", chosen]
    else:
        lines = out.splitlines()
        header = next(i for i, line in enumerate(lines) if "layout" in line)
        assert lines[header - 1].split()[-1] == "F" and lines[header].split().count("layout") == 1
        layout, basis = chosen.split(", ", 1)  # 'tensor parallel', 'the layout chosen as serving more within the SLO'
        assert any(line.split()[0] == "2" and layout in line for line in lines if line.split())
        assert f"F layout: {basis} at every point of more than one GPU." in " ".join(out.split())


def test_a_matrix_says_where_the_layouts_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    vary = ["--vary", f"{GPUS}=2,4", "--vary", "workload.requests_per_day=1000,100000"]
    code, out, err = invoke("sweep", EXAMPLE, *vary, "--today", DAY, "--jobs", "1")
    assert code == 0, err
    assert max(map(len, out.splitlines())) <= 80
    assert (
        "The layout of F at each point (tensor or pipeline parallel, stated or chosen) is in --format csv and json"
        " (layout[OPTION])." in " ".join(out.split())
    )
