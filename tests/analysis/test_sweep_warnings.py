"""A sweep says what report would warn about at its points, once per kind with the points it covers, in report's own
words (qa18 finding 36: `sweep --vary workload.growth_per_month=0:5:3` swept 250% and 500% a month without a word)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from costcalc.api import analyze, sweep
from tests.analysis.test_fewer_gpus import half_at  # noqa: F401, F811  (fixture: stand-in figures for 1 GPU)
from tests.support import cli

TODAY = dt.date(2026, 12, 5)
GPUS_A_DAY = 86_400  # requests a day that keep one replica of 1 request/s busy


def _scenario(requests_per_day: float = 1000, growth: float = 0.0) -> dict[str, Any]:
    """An API and a rented option sized by one given point of 1 request/s a replica, at an even load."""
    point = {"input_tokens": 1000, "output_tokens": 200, "requests_per_s": 1.0}
    return {
        "version": 1,
        "horizon_months": 12,
        "workload": {
            "requests_per_day": requests_per_day,
            "input_tokens": 1000,
            "output_tokens": 200,
            "growth_per_month": growth,
        },
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 4}},
            {
                "name": "Rented",
                "kind": "self_hosted",
                "model": "llama-3.1-8b",
                "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2},
                "throughput": {"points": [point]},
            },
        ],
    }


def _report_line(scenario: dict[str, Any], start: str) -> str:
    """report's warning that starts with `start`, for the scenario as given."""
    return next(w for w in analyze(scenario, today=TODAY).warnings if w.startswith(start))


def test_steep_growth_is_said_once_with_the_points_it_covers() -> None:
    frame = sweep(_scenario(), ["workload.growth_per_month=0:5:3"], today=TODAY)
    steep = [w for w in frame.attrs["warnings"] if w.startswith("workload.growth_per_month is")]
    assert steep == [
        _report_line(_scenario(growth=5), "workload.growth_per_month is")  # report's line at the steepest point
        + " (at 2 of 3 points: workload.growth_per_month 2.5 to 5)"
    ]


def test_growth_compounding_past_a_thousandfold_is_said() -> None:
    frame = sweep(_scenario(), ["workload.growth_per_month=0.1,0.8,1"], today=TODAY)  # x2.9, x642, x2,048 by month 12
    lines = [w for w in frame.attrs["warnings"] if "compounds to" in w]
    assert lines == [
        _report_line(_scenario(growth=1), "workload.growth_per_month 1 compounds")
        + " (at 1 of 3 points: workload.growth_per_month 1)"
    ]


def test_a_fleet_past_the_largest_cluster_is_said_at_the_largest_point_in_report_s_words() -> None:
    days = [100_000 * GPUS_A_DAY, 150_000 * GPUS_A_DAY, 300_000 * GPUS_A_DAY, 400_000 * GPUS_A_DAY]
    frame = sweep(_scenario(), [f"workload.requests_per_day={','.join(map(str, days))}"], today=TODAY)
    fleet = [w for w in frame.attrs["warnings"] if "largest AI cluster" in w]
    assert fleet == [
        _report_line(_scenario(400_000 * GPUS_A_DAY), "Rented: sized at 400,000 GPUs")
        + " (at 2 of 4 points: workload.requests_per_day 25,920,000,000 to 34,560,000,000)"
    ]


def test_a_fleet_that_grows_past_the_cluster_is_said_with_its_month() -> None:
    """Two inputs vary: the line covers the points where growth takes the fleet past 200,000 GPUs by month 12."""
    frame = sweep(
        _scenario(100_000 * GPUS_A_DAY),
        ["workload.growth_per_month=0,0.08,0.1", "options[Rented].hardware.hourly_usd=1,2"],
        today=TODAY,
    )
    fleet = [w for w in frame.attrs["warnings"] if "largest AI cluster" in w]
    assert fleet == [
        _report_line(_scenario(100_000 * GPUS_A_DAY, 0.1), "Rented: sized at")
        + " (at 4 of 6 points: workload.growth_per_month 0.08 to 0.1; options[Rented].hardware.hourly_usd 1 to 2)"
    ]
    assert "by month 12 (100,000 in month 1, usage growing 10% a month)" in fleet[0]


def test_a_sweep_of_ordinary_points_says_nothing() -> None:
    frame = sweep(_scenario(), ["workload.requests_per_day=1000:100000:5:log"], today=TODAY)
    assert frame.attrs["warnings"] == []


def test_a_point_missing_the_slo_at_every_point_says_so_once() -> None:
    scenario = _scenario()
    scenario["workload"]["slo"] = {"ttft_p95_ms": 100}
    scenario["options"][1]["throughput"]["points"][0]["ttft_p95_ms"] = 900
    frame = sweep(scenario, ["workload.requests_per_day=1000,2000,3000"], today=TODAY)
    missed = [w for w in frame.attrs["warnings"] if "no operating point meets" in w]
    assert missed == [_report_line(scenario, "Rented: no operating point") + " (at every point)"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "parquet"])
def test_every_format_says_it(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(_scenario()))
    target = tmp_path / f"out.{fmt}"
    args = ["sweep", str(path), "--vary", "workload.growth_per_month=0:5:3", "--today", str(TODAY), "-f", fmt]
    code, out, err = cli.invoke(*args, "-o", str(target))
    said = "did you mean 0.05? (growth is a fraction: 0.05 = 5% a month) (at 2 of 3 points"
    assert said in err  # standard error, in every format (parquet's, with or without pyarrow to write it)
    assert err.count("workload.growth_per_month is") == 1
    if fmt == "json":
        body = json.loads(target.read_text())
        assert body["schema_version"] == "1.6"
        assert any(said in w for w in body["warnings"])


def test_a_replica_that_half_its_gpus_would_beat_is_said_for_the_points_it_holds_at(half_at) -> None:  # noqa: F811
    """polish18's llama.cpp llama-3.2-3b on 2 B200s, with stand-in figures for a replica of 1 GPU (as estimated two
    now serve more, pipeline parallel: tests/analysis/test_fewer_gpus.py): one resolution (the swept price moves no
    capacity), so the serving simulation's comparison runs once and covers every point."""
    from tests.analysis.test_fewer_gpus import SCENARIO

    own = analyze(SCENARIO, today=TODAY).option("Own").throughput.requests_per_s_per_replica  # type: ignore[union-attr]
    half_at(1, rps=own * 1.5, full=own * 2)
    frame = sweep(SCENARIO, ["options[Own].hardware.hourly_usd=4,6,8"], today=TODAY)
    half = [w for w in frame.attrs["warnings"] if "a replica of 1 GPU" in w]
    assert half == [_report_line(SCENARIO, "Own: a replica of 1 GPU") + " (at every point)"]


def test_a_count_written_with_a_dot_before_three_digits_is_said_unless_swept() -> None:
    text = yaml.safe_dump(_scenario()).replace("requests_per_day: 1000", "requests_per_day: 1.000")
    frame = sweep(text, ["options[Rented].hardware.hourly_usd=1,2"], today=TODAY)
    assert frame.attrs["warnings"] == [
        "workload.requests_per_day: 1.000 is read as 1 (in YAML a dot is a decimal point); if the dot separates"
        " thousands, write 1000 (at every point)"
    ]
    assert sweep(text, ["workload.requests_per_day=1000,2000"], today=TODAY).attrs["warnings"] == []


def test_prices_past_their_age_limit_are_said_once_in_report_s_words() -> None:
    """internal-assistant prices colocation, a server and a PUE from rows older than 120 days: report says so, sweep
    said nothing; the line is report's (analysis/warnings.stale_line) with the place a sweep's reader finds the dates."""
    from costcalc.analysis.warnings import STALE_SHOWN_BY, stale_line

    example = Path(__file__).resolve().parents[2] / "examples" / "internal-assistant.yaml"
    frame = sweep(example, ["workload.requests_per_day=1000,24000"], today=TODAY)
    said = stale_line(analyze(example, today=TODAY).stale_prices, None, STALE_SHOWN_BY)
    assert said is not None and said.startswith("3 prices older than 120 days")
    assert [w for w in frame.attrs["warnings"] if "older than" in w] == [f"{said} (at every point)"]


@pytest.mark.parametrize("path", ["workload.growth_per_month", "horizon_months", "options[API].price_change_per_year"])
def test_an_input_that_acts_only_over_the_horizon_says_so(path: str) -> None:
    """`sweep --vary workload.growth_per_month=0:0.1:11` (its --help example) and `--vary horizon_months=12,24,36` (the
    README's advice) printed rows that all read the same, as if the input did not matter: a sweep shows month 1."""
    frame = sweep(_scenario(), [f"{path}=0,0.1" if "horizon" not in path else f"{path}=12,24"], today=TODAY)
    cost = frame["monthly_cost[API]"]
    assert cost.nunique() == 1  # the rows really are the same
    assert [w for w in frame.attrs["warnings"] if "changes no figure a sweep shows" in w] == [
        f"{path} changes no figure a sweep shows (month 1's costs and the break-even volume); it acts over the horizon:"
        f" `costcalc sensitivity --input {path}` swings it, `costcalc report --set {path}=VALUE` gives the horizon's"
        " cash and accrual"
    ]


def test_an_input_that_moves_month_1_says_nothing_of_the_kind() -> None:
    frame = sweep(_scenario(), ["workload.requests_per_day=1000,2000"], today=TODAY)
    assert not [w for w in frame.attrs["warnings"] if "changes no figure" in w]


def test_fewer_seats_than_users_is_said_at_the_points_it_holds_in_report_s_words() -> None:
    # qa22 finding 18's warning was report's alone: `sweep --vary workload.users=...` past 3 seats said nothing
    scenario = _scenario()
    scenario["options"][1] = {"name": "Seats", "kind": "subscription", "usd_per_seat_month": 20.0, "seats": 3}
    scenario["workload"]["users"] = 2
    frame = sweep(scenario, ["workload.users=2,3,50,100"], today=TODAY)
    said = [w for w in frame.attrs["warnings"] if w.startswith("Seats: ")]
    scenario["workload"]["users"] = 100  # the point where the most have no seat: report's line there
    assert said == [
        _report_line(scenario, "Seats: 3 seats for 100 users") + " (at 2 of 4 points: workload.users 50 to 100)"
    ]
    assert not [w for w in sweep(scenario, ["workload.users=2,3"], today=TODAY).attrs["warnings"] if "no seat" in w]


def test_prompts_past_an_apis_context_window_are_said_at_the_points_past_it() -> None:
    """qa24: report warns where the prompts are longer than an API model's context window (Luna: 1,050,000 tokens);
    a sweep of input_tokens past it said nothing."""
    scenario = _scenario()
    scenario["options"] = [{"name": "Luna", "kind": "api", "model": "openai/gpt-6-luna"}]
    frame = sweep(scenario, ["workload.input_tokens=1000,2000000,3000000"], today=TODAY)
    said = [w for w in frame.attrs["warnings"] if w.startswith("Luna: prompts of")]
    longest = {**scenario, "workload": {**scenario["workload"], "input_tokens": 3_000_000}}
    assert said == [
        _report_line(longest, "Luna: prompts of") + " (at 2 of 3 points: workload.input_tokens 2,000,000 to 3,000,000)"
    ]
