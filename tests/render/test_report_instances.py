"""A rental's whole instances are shown where sizing is read (the terminal's Sizing column, Markdown, HTML, CSV,
JSON), each reading the Result's one `instances` figure, never counting it again."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from costcalc.api import analyze
from costcalc.render import ReportFormat, report_table
from costcalc.report.result import Result


@pytest.fixture
def result(base_scenario: dict[str, Any], today: Any) -> Result:
    """The base scenario's rental on 4-GPU instances: 2 replicas of 1 GPU at the peak, packed into 1 instance."""
    base_scenario["options"][1]["hardware"]["gpus_per_instance"] = 4
    return analyze(base_scenario, today=today)


def _with_instances(result: Result, n: int) -> Result:
    """The same Result claiming `n` instances: a renderer that counts them itself shows another number."""
    options = tuple(o.model_copy(update={"instances": n}) if o.name == "Rented GPUs" else o for o in result.options)
    return result.model_copy(update={"options": options})


def test_the_engine_counts_the_rentals_instances(result: Result) -> None:
    # capacity 2.5 req/s a replica (base scenario); peak 100,000 x 2 / 86,400 = 2.31 req/s: 1 replica, packed 4 to a
    # 4-GPU instance, so the rental bills 4 GPUs: 1 instance
    rented = result.option("Rented GPUs")
    assert (rented.replicas, rented.gpus, rented.instances) == (4, 4, 1)
    assert rented.breakdown["gpu_rental"] == pytest.approx(4 * 2.0 * 730)


@pytest.mark.parametrize("width", [200, 120])
def test_the_terminal_sizing_column_says_the_instances(result: Result, width: int) -> None:
    lines = report_table.render(_with_instances(result, 7), width=width).splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("Rented GPUs"))
    column = next(line for line in lines if line.startswith("Option ")).index("Sizing")  # instances under the GPUs
    assert lines[i][column:].startswith("4 GPUs, ") and lines[i + 1][column:].startswith("in 7 instances")


def test_markdown_html_csv_and_json_say_the_instances(result: Result) -> None:
    shown = _with_instances(result, 7)
    markdown = ReportFormat.markdown.render(shown)
    row = next(line for line in markdown.splitlines() if line.startswith("| Rented GPUs"))
    assert "| 4&nbsp;GPUs<br>5.8%&nbsp;used<br>in&nbsp;7&nbsp;instances |" in row  # a figure a line, each whole
    html = ReportFormat.html.render(shown)
    assert "4 / 4 / " in html and "<span class='held'>in 7 instances</span>" in html
    rows = {r["option"]: r for r in csv.DictReader(io.StringIO(str(ReportFormat.csv.render(shown))))}
    assert (rows["Rented GPUs"]["instances"], rows["Explicit API"]["instances"]) == ("7", "")
    data = json.loads(ReportFormat.json.render(shown))
    assert [o.get("instances", "absent") for o in data["options"]] == [
        7 if o.name == "Rented GPUs" else ("absent" if o.kind != "self_hosted" else None) for o in shown.options
    ]


def test_one_instance_is_singular_and_a_per_gpu_rental_says_nothing(base_scenario: dict[str, Any], today: Any) -> None:
    per_gpu = analyze(base_scenario, today=today)
    assert per_gpu.option("Rented GPUs").instances is None
    row = next(line for line in report_table.render(per_gpu, width=200).splitlines() if line.startswith("Rented"))
    assert "instance" not in row and "1 GPU, " in row
    base_scenario["options"][1]["hardware"]["gpus_per_instance"] = 4
    packed = analyze(base_scenario, today=today)
    lines = report_table.render(packed, width=200).splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("Rented"))
    assert lines[i + 1].strip() == "in 1 instance"
    assert "<br>in&nbsp;1&nbsp;instance |" in ReportFormat.markdown.render(packed)  # a figure a line in Markdown


def test_the_instances_do_not_widen_the_terminal_sizing_column(result: Result) -> None:
    # a wider cell would make the column give way sooner (coding-assistant's Sizing at 120 columns): the instances
    # take a line of their own, no wider than the GPUs and utilisation above them
    from costcalc.render.report_cells import sizing

    for n in (1, 9, 12_345):
        option = _with_instances(result, n).option("Rented GPUs")
        first, second = sizing(option, instances_below=True).splitlines()
        assert first == sizing(option.model_copy(update={"instances": None}))
        assert len(second) <= max(len(first), len("in 12,345 instances"))
