"""An error found after loading in a key of a referenced hardware or workload file names that file's line, as the
errors found while loading it do (qa9: the scenario's 'hardware: hw.yaml' line, where nothing is wrong)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import invoke

SCENARIO = """\
version: 1
name: Referenced files
workload: {workload}
options:
  - name: API
    kind: api
    prices: {{input_usd_per_mtok: 1.0, output_usd_per_mtok: 4.0}}
  - name: Rented
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {hardware}
    throughput:
      points:
        - {{input_tokens: 1000, output_tokens: 250, requests_per_s: 5.0, concurrency: 32}}
"""
USAGE = "requests_per_day: 1000\ninput_tokens: {input_tokens}\noutput_tokens: 250\n"
HARDWARE = "acquisition: rent\nhourly_usd: 2.0\ngpu: {gpu}\n"


@pytest.fixture
def files(write_yaml: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    def make(*, gpu: str = "h100-sxm-80gb", input_tokens: int = 1000) -> Path:
        write_yaml(HARDWARE.format(gpu=gpu), "hw.yaml")
        write_yaml(USAGE.format(input_tokens=input_tokens), "usage.yaml")
        path = write_yaml(SCENARIO.format(workload="usage.yaml", hardware="hw.yaml"), "s.yaml")
        monkeypatch.chdir(path.parent)
        return path

    return make


def test_an_unknown_gpu_in_a_hardware_file_names_its_line(files: Callable[..., Path]) -> None:
    files(gpu="h100-sxm-81gb")
    code, out, err = invoke("report", "s.yaml", "--today", "2026-12-06")
    assert code == 2 and out == ""
    assert err.startswith("error: hw.yaml:3: options[Rented].hardware.gpu: unknown GPU id 'h100-sxm-81gb'"), err


def test_a_workload_file_value_found_wrong_when_costed_names_its_line(files: Callable[..., Path]) -> None:
    files(input_tokens=500_000)
    code, _, err = invoke("report", "s.yaml", "--today", "2026-12-06")
    assert code == 2
    assert err.startswith("error: usage.yaml:2: workload.input_tokens: requests of 500,250 tokens"), err


def test_a_set_into_the_file_still_names_the_flag(files: Callable[..., Path]) -> None:
    files()
    typed = "options[Rented].hardware.gpu=h100-sxm-81gb"
    code, _, err = invoke("report", "s.yaml", "--today", "2026-12-06", "--set", typed)
    assert code == 2 and err.startswith(f"error: --set {typed}: unknown GPU id"), err
    assert os.path.exists("hw.yaml")
