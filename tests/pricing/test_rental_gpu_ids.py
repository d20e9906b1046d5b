"""A rental or hardware price row names a catalog GPU: an unknown one is said at the row that names it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from costcalc import api
from costcalc.errors import InputError, PricingError
from costcalc.pricing import cache
from costcalc.pricing.validate import validate_file

HEADER = (
    "id,provider,instance,gpu,gpu_count,usd_per_hour,usd_per_gpu_hour,pricing_type,region,source,source_kind,as_of\n"
)
ROW = "acme/1x-h100/on-demand,acme,h100x1,GPU,1,2.10,2.10,on-demand,eu,https://acme.example/pricing,vendor,2026-11-01\n"
SCENARIO = """\
version: 1
workload: {requests_per_day: 100000, input_tokens: 1000, output_tokens: 250}
options:
  - {name: API, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}
  - name: Rented
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {offer: acme/1x-h100/on-demand, acquisition: rent}
    throughput: {points: [{input_tokens: 1000, output_tokens: 250, requests_per_s: 5.0}]}
"""
TODAY = dt.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))


def test_pricing_validate_names_the_row_of_an_unknown_gpu(tmp_path: Path) -> None:
    # was 'ok: 1 rental rows, ...': the typo surfaced only in a report, blamed on the scenario's hardware line
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + ROW.replace("GPU", "h100-sxm-81gb"), encoding="utf-8")
    with pytest.raises(PricingError) as info:
        validate_file(str(path), today=TODAY)
    assert str(info.value) == (
        f"{path}:2: gpu: unknown GPU id 'h100-sxm-81gb' (did you mean: h100-sxm-80gb, a100-sxm-80gb,"
        " h200-sxm-141gb?); `costcalc catalog gpus` lists the ids"
    )
    path.write_text(HEADER + ROW.replace("GPU", "h100"), encoding="utf-8")  # an alias the catalog knows
    assert validate_file(str(path), today=TODAY).rows == 1


def test_a_locked_row_with_an_unknown_gpu_is_blamed_on_the_offer_not_the_scenarios_gpu(tmp_path: Path) -> None:
    # a lock file is read as written; the scenario gives no gpu: was 'options[Rented].hardware.gpu: unknown GPU id'
    row = dict(zip(HEADER.strip().split(","), ROW.replace("GPU", "h100-sxm-81gb").strip().split(","), strict=True))
    lock = tmp_path / "lock.json"
    lock.write_text(json.dumps({"version": 1, "rows": [{"table": "rental", "origin": "lock", **row}]}), "utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    with pytest.raises(InputError) as info:
        api.analyze(str(scenario), pricing_lock=str(lock), today=TODAY)
    assert str(info.value) == (
        f"{scenario}:8: options[Rented].hardware.offer: the offer's price row (lock) rents unknown GPU id"
        " 'h100-sxm-81gb' (did you mean: h100-sxm-80gb, a100-sxm-80gb, h200-sxm-141gb?); fix the row's gpu column"
        " (`costcalc catalog gpus` lists the ids)"
    )
