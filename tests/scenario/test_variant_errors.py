"""A named variant that cannot be built or costed is blamed on its own line under `variants:`, never on a `--set`
the user did not type, nor on the line of the value it replaces (which is fine as written)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc import api
from costcalc.cli import app
from costcalc.errors import InputError

SCENARIO = """\
version: 1
workload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100}
options:
  - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}
  - name: Rented
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}
    throughput: {points: [{input_tokens: 500, output_tokens: 100, requests_per_s: 5}]}
variants:
  fine: {workload.requests_per_day: 2000}
  busy:
    workload.requests_per_day: 5000
    SETTING
"""
TODAY = dt.date(2026, 12, 5)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        # was '--set workload.requests_per_dya=5: unknown key ...': no such flag was given
        (
            "workload.requests_per_dya: 5",
            "s.yaml:14: variants.busy.workload.requests_per_dya: unknown key 'requests_per_dya' in workload (did you"
            " mean: requests_per_day?)",
        ),
        # was 's.yaml:2: workload.output_tokens: ...', the file's own 100
        ("workload.output_tokens: -5", "s.yaml:14: variants.busy.workload.output_tokens: Input should be greater"),
        # a mapping the variant sets: the field below it is named
        ("workload.slo: {ttft_p95_ms: -1}", "s.yaml:14: variants.busy.workload.slo: workload.slo.ttft_p95_ms: Input"),
    ],
)
def test_a_variant_that_cannot_be_built_names_its_line(tmp_path: Path, setting: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("SETTING", setting), encoding="utf-8")
    with pytest.raises(InputError) as info:
        api.load_scenario(str(path))
    assert str(info.value).startswith(f"{tmp_path}/{message}")


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        # qa23: both were costed: 'x' as the scenario's own rows again, 'twin' as busy's rows twice (a value listed twice
        # in --vary is refused for the same reason)
        ("  x: {}\n", "s.yaml:16: variants.x: the variant sets nothing, so it would repeat the scenario's own rows;"),
        (
            "  twin: {workload.requests_per_day: 5000, workload.input_tokens: 700}\n",
            "s.yaml:16: variants.twin: the variant sets what variants.busy sets, so it would give the same rows twice;"
            " change or remove one",
        ),
    ],
)
def test_a_variant_that_adds_no_rows_is_refused_at_its_line(tmp_path: Path, variants: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    busy = "workload.input_tokens: 700\n"
    path.write_text(SCENARIO.replace("SETTING", busy) + variants, encoding="utf-8")
    with pytest.raises(InputError) as info:
        api.load_scenario(str(path))
    assert str(info.value).startswith(f"{tmp_path}/{message}")


@pytest.mark.parametrize("command", [["report"], ["sweep"], ["sweep", "--vary", "workload.input_tokens=400,600"]])
def test_a_variant_that_cannot_be_costed_names_its_line(tmp_path: Path, command: list[str]) -> None:
    # an unknown GPU is found when the variant is costed: was blamed on line 8, the scenario's own good gpu
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("SETTING", "options[Rented].hardware.gpu: h100x"), encoding="utf-8")
    result = CliRunner().invoke(app, [command[0], str(path), *command[1:], "--today", "2026-12-05"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"error: {path}:14: variants.busy.options[Rented].hardware.gpu: unknown GPU id 'h100x' (did you mean:"
    )
    assert len(result.stderr.splitlines()) == 1
    assert "(at )" not in result.stderr


def test_good_variants_still_run(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("SETTING", "options[Rented].hardware.hourly_usd: 3"), encoding="utf-8")
    frame = api.sweep(str(path), today=TODAY)
    assert list(frame["variant"]) == ["base", "fine", "busy"]
