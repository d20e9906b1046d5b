"""A self-hosted option's running costs say what they rest on: the labour line its engineer-hours and rate, owned
hardware's energy the watts each GPU draws and the electricity price, each with where it came from; and the GPU
catalog row behind its power and throughput estimate is cited with its date (the report said none of these)."""

from __future__ import annotations

import datetime as dt

import pytest

from costcalc.api import analyze
from costcalc.catalog import get_gpu
from costcalc.report.result import Result
from tests.support.currency_scenario import TEST_PER_USD, api_vs_rented

TODAY = dt.date(2026, 12, 5)


def _line(result: Result, start: str) -> str:
    found = [a for a in result.assumptions if a.startswith(start)]
    assert len(found) == 1, (start, result.assumptions)
    return found[0]


def _owned(power: dict[str, float], operations: dict[str, float] | None = None) -> dict[str, object]:
    data = api_vs_rented("Running lines", "USD", hourly_usd=2.0)
    options = data["options"]
    assert isinstance(options, list)
    options[1] = {
        "name": "Owned",
        "kind": "self_hosted",
        "model": "gpt-oss-20b",
        "hardware": {"gpu": "h100-sxm-80gb", "offer": "hgx-h100-8gpu-server-2026", "acquisition": "buy"},
        "power": power,
        **({"operations": operations} if operations else {}),
    }
    return data


@pytest.mark.parametrize(("cur", "rate", "month"), [("USD", "$110", "$880"), ("EUR", "€55.00", "€440")])
def test_the_labour_line_gives_hours_and_rate_in_the_reports_money(cur: str, rate: str, month: str) -> None:
    data = api_vs_rented("Labour", cur, hourly_usd=2.0)
    options = data["options"]
    assert isinstance(options, list) and isinstance(options[1], dict)
    options[1]["operations"] = {"engineer_hours_per_month": 8, "hourly_rate_usd": 110}
    result = analyze(data, today=TODAY)
    line = _line(result, "Rented: labour ")
    assert line == f"Rented: labour 8 engineer-hours a month at {rate} an hour (as given): {month} a month"
    labour = result.option("Rented").breakdown["labour"]
    assert labour == pytest.approx(8 * 110 * (TEST_PER_USD if cur == "EUR" else 1))


def test_an_option_without_operations_says_no_labour_is_counted() -> None:
    line = _line(analyze(api_vs_rented("No labour", "USD", hourly_usd=2.0), today=TODAY), "Rented: no labour")
    assert "0 engineer-hours a month at $0.00 an hour" in line and "set operations.engineer_hours_per_month" in line


def test_owned_power_names_the_catalogs_watts_and_the_tables_electricity() -> None:
    result = analyze(_owned({"server_overhead_w": 300}), today=TODAY)
    h100 = get_gpu("h100-sxm-80gb")
    line = _line(result, "Owned: power ")
    assert line == (
        f"Owned: power {h100.idle_w:g} W idle to {h100.tdp_w:g} W at full load a GPU (the GPU catalog's"
        " h100-sxm-80gb), plus 300 W a replica (as given), electricity $0.1453 per kWh (data-centre table)"
    )
    cited = _line(result, "gpu h100-sxm-80gb ")
    assert f"as of {h100.as_of.isoformat()} (a spec: no age limit), {h100.source}" in cited


def test_given_watts_and_price_say_as_given() -> None:
    result = analyze(_owned({"idle_w_per_gpu": 90, "electricity_usd_per_kwh": 0.12}), today=TODAY)
    line = _line(result, "Owned: power ")
    assert line == (
        "Owned: power 90 W idle (as given) to 700 W at full load a GPU (the GPU catalog's h100-sxm-80gb),"
        " electricity $0.12 per kWh (as given)"
    )


def test_a_custom_gpu_is_cited_as_the_scenarios_own() -> None:
    data = api_vs_rented("Custom", "USD", hourly_usd=2.0)
    options = data["options"]
    assert isinstance(options, list) and isinstance(options[1], dict)
    options[1]["hardware"] = {
        "acquisition": "rent",
        "hourly_usd": 2.0,
        "custom_gpu": {"name": "my-gpu", "memory_gb": 80, "memory_bandwidth_gb_s": 3000, "bf16_tflops": 900},
    }
    options[1]["throughput"] = {"points": [{"input_tokens": 1500, "output_tokens": 300, "requests_per_s": 2.0}]}
    line = _line(analyze(data, today=TODAY), "gpu my-gpu")
    assert line == "gpu my-gpu: custom_gpu in the scenario (memory, bandwidth and TFLOPS as given)"  # no power given
