"""Sensitivity: signs and sizes on a hand-checked case, ranking, int fields, delta parsing."""

from __future__ import annotations

import math

import pytest

from costcalc.analysis.sensitivity import label, parse_delta
from costcalc.api import analyze, sensitivity
from costcalc.errors import InputError
from costcalc.units import HOURS_PER_MONTH, TOKENS_PER_MTOK
from tests.analysis.scenarios import BASE, OWNED, RENT

# The owned server's labour is raised so the rented H100 is the best self-hosted option, and API A
# (0.25/0.025/2.0 per 1M) the best API: 6.08M requests/month × (1500 in, 300 out) costs $4,905 on A,
# $5,913 on B (discounted); rented: 2 replicas × 730 h × $2.49 + $1,200 labour = $4,835.
SETS = [f"{OWNED}.operations.engineer_hours_per_month=60"]
HOURLY = f"{RENT}.hardware.hourly_usd"
OUTPUT_PRICE = "options[API A].prices.output_usd_per_mtok"


def _horizon_totals(result) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {name: costs[-1] for name, costs in result.timeline.cumulative_cost.items()}


def test_signs_and_sizes_on_a_hand_checked_case() -> None:
    """The metric is over the 12-month horizon at 5% growth: API A's total minus the rented H100's total."""
    frame = sensitivity(BASE, inputs=[HOURLY, OUTPUT_PRICE], overrides=SETS, delta="20%").set_index("input")
    base = analyze(BASE, overrides=SETS)
    totals = _horizon_totals(base)
    assert frame.attrs["metric"] == "self_hosted_savings_over_horizon"
    assert (frame.attrs["horizon_months"], frame.attrs["growth_per_month"]) == (12, 0.05)
    assert frame.attrs["base_metric"] == pytest.approx(totals["API A"] - totals["Rented H100"])
    # dearer GPUs: savings fall by Σ over the months of replicas × 730 h × Δprice (replicas for each month's peak)
    gpu = frame.loc[HOURLY]
    assert gpu["metric_high"] < frame.attrs["base_metric"] < gpu["metric_low"]
    peak_rps = [r / (HOURS_PER_MONTH * 3600) * 2.0 for r in base.timeline.requests]  # peak/average 2
    replica_months = sum(math.ceil(rate / 4.0 - 1e-9) for rate in peak_rps)  # 4 requests/s a replica
    assert gpu["swing"] == pytest.approx(replica_months * HOURS_PER_MONTH * (gpu["high"] - gpu["low"]))
    # a dearer API output price: savings rise by every request of the horizon × 300 output tokens × Δprice
    api = frame.loc[OUTPUT_PRICE]
    assert api["metric_low"] < frame.attrs["base_metric"] < api["metric_high"]
    requests = sum(base.timeline.requests)
    assert api["swing"] == pytest.approx(requests * 300 / TOKENS_PER_MTOK * (api["high"] - api["low"]))
    assert (gpu["low"], gpu["high"]) == pytest.approx((2.49 * 0.8, 2.49 * 1.2))


def test_growth_counts() -> None:
    frame = sensitivity(BASE, inputs=["workload.growth_per_month"], overrides=SETS).set_index("input")
    assert frame.loc["workload.growth_per_month", "swing"] > 1000  # month-1 savings would not move at all


def test_every_numeric_input_is_ranked_by_swing() -> None:
    frame = sensitivity(BASE, overrides=SETS)
    assert list(frame["swing"]) == sorted(frame["swing"], reverse=True)
    inputs = set(frame["input"])
    assert {HOURLY, OUTPUT_PRICE, "workload.requests_per_day", f"{RENT}.throughput.scale"} <= inputs
    assert "version" not in inputs and "horizon_months" not in inputs
    # an input that moves neither the best API nor the best self-hosted option has no swing
    assert frame.set_index("input").loc["options[API B].discount", "swing"] == 0


def test_whole_numbers_move_by_realistic_steps() -> None:
    paths = [f"{RENT}.hardware.min_replicas", f"{RENT}.hardware.gpus_per_replica", "workload.users"]
    frame = sensitivity(BASE, inputs=paths, overrides=SETS).set_index("input")
    replicas, gpus, users = (frame.loc[p] for p in paths)
    assert math.isnan(replicas["low"]) and replicas["high"] == 2  # one replica more; never none
    assert math.isnan(gpus["low"]) and gpus["high"] == 2  # tensor-parallel sizes double (1 cannot halve)
    assert (users["low"], users["high"]) == (320, 480)  # other counts ±20%


def test_labels_read_as_words() -> None:
    assert label(f"{RENT}.hardware.min_replicas") == "Rented H100: minimum replicas"
    assert label(f"{RENT}.hardware.gpus_per_replica") == "Rented H100: GPUs per replica"
    assert label("options[API A].prices.output_usd_per_mtok") == "API A: output price per 1M tokens"
    assert label("workload.requests_per_day") == "Requests per day"
    assert label(f"{OWNED}.power.pue") == "Owned H100: PUE"
    frame = sensitivity(BASE, inputs=[HOURLY], overrides=SETS)
    assert list(frame["label"]) == ["Rented H100: GPU price per hour"]


def test_unknown_input_gets_a_hint() -> None:
    with pytest.raises(InputError, match="did you mean"):
        sensitivity(BASE, inputs=["workload.requests_per_dya"])


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("version", "it is the scenario format's version"),
        ("stale_after_days", "it says when a price is stale and moves no cost"),
    ],
)
def test_a_top_level_number_that_moves_no_cost_is_not_an_input(path: str, why: str) -> None:
    """qa24: --input version gave an empty table and 'skipped: version=0: unsupported version', exit 0."""
    with pytest.raises(InputError) as err:
        sensitivity(BASE, inputs=[path])
    assert err.value.detail == f"{path!r} is not an input: {why}; sensitivity without inputs= lists them all"


@pytest.mark.parametrize(("text", "value"), [("20%", 0.2), ("0.35", 0.35), (0.1, 0.1)])
def test_parse_delta(text: str | float, value: float) -> None:
    assert parse_delta(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["0", "150%", "abc", "-5%"])
def test_parse_delta_rejects(text: str) -> None:
    with pytest.raises(InputError):
        parse_delta(text)


def test_a_step_another_input_forbids_stops_where_it_still_holds() -> None:
    # 0.9 + 20% is 1.08, capped at 1; with 0.05 of the input written to the cache the share can reach 0.95, no more
    shares = ["workload.cached_input_share=0.9", "workload.cache_write_share=0.05", *SETS]
    frame = sensitivity(BASE, inputs=["workload.cached_input_share"], overrides=shares)
    row = frame.set_index("input").loc["workload.cached_input_share"]
    assert (row["low"], row["high"]) == (0.72, 0.95)  # 0.72: 0.9 x 0.8 without float noise
    totals = _horizon_totals(analyze(BASE, overrides=[*shares, "workload.cached_input_share=0.95"]))
    best_api = min(totals["API A"], totals["API B"])
    best_self_hosted = min(totals["Rented H100"], totals["Owned H100"])
    assert row["metric_high"] == pytest.approx(best_api - best_self_hosted)  # costed at 0.95, not left at the base
    assert frame.attrs["skipped"] == []  # nothing was left out: the end was moved, and said so apart
    assert frame.attrs["limited"] == [
        "workload.cached_input_share=1: cached_input_share + cache_write_share must not exceed 1; its high end is 0.95"
        " instead, the farthest that holds"
    ]


def test_a_replica_floor_of_none_moves_to_one() -> None:
    """min_replicas 0 (scale to zero) steps to one replica kept warm, as the header's 'replicas ±1' says; it was
    skipped as '0 cannot be scaled by ±20%'."""
    path = f"{RENT}.hardware.min_replicas"
    frame = sensitivity(BASE, inputs=[path], overrides=[*SETS, f"{path}=0"])
    row = frame.set_index("input").loc[path]
    assert math.isnan(row["low"]) and row["high"] == 1  # never below none
    assert frame.attrs["skipped"] == []
    totals = _horizon_totals(analyze(BASE, overrides=[*SETS, f"{path}=1"]))
    best_self_hosted = min(totals["Rented H100"], totals["Owned H100"])
    assert row["metric_high"] == pytest.approx(min(totals["API A"], totals["API B"]) - best_self_hosted)


def test_a_zero_number_is_still_skipped() -> None:
    path = f"{OWNED}.operations.engineer_hours_per_month"
    frame = sensitivity(BASE, inputs=[path], overrides=[f"{path}=0"])
    assert frame.attrs["skipped"] == [f"{path}: 0 cannot be scaled by ±20%"]


def test_a_note_says_where_an_estimated_throughputs_own_runs_lie_beyond_the_range_swung() -> None:
    """internal-assistant's Qwen3 32B row swings its throughput 0.75x -> 1.33x (its band) while the report says its 5
    published runs measured 0.46x-0.80x; the table said nothing of them. Its note now says the report's words; the
    Llama option (no run of its configuration) gets none, nor does an input list without the throughput."""
    from pathlib import Path

    path = str(Path(__file__).resolve().parents[2] / "examples" / "internal-assistant.yaml")
    qwen = "Qwen3 32B on rented H100s (scale with the day)"
    band = next(line for line in analyze(path, today="2026-11-26").verdict if line.startswith(f"{qwen}: throughput"))
    runs = band.split(" But ", 1)[1].split(", at which")[0]  # the report's words for the runs
    frame = sensitivity(path, today="2026-11-26")
    assert frame.attrs["notes"] == [
        f"{qwen}: throughput against its estimate (9-in-10 range): {runs[:1].lower()}{runs[1:]}, outside the range"
        " swung here (`costcalc report` says what they would cost)"
    ]
    assert sensitivity(path, inputs=["workload.requests_per_day"], today="2026-11-26").attrs["notes"] == []
