"""Sensitivity: signs and sizes on a hand-checked case, ranking, int fields, delta parsing."""

from __future__ import annotations

import pytest

from costcalc.analysis.sensitivity import parse_delta
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


def test_signs_and_sizes_on_a_hand_checked_case() -> None:
    frame = sensitivity(BASE, inputs=[HOURLY, OUTPUT_PRICE], overrides=SETS, delta="20%").set_index("input")
    base = analyze(BASE, overrides=SETS)
    rented = base.option("Rented H100")
    assert frame.attrs["metric"] == "self_hosted_savings"
    assert frame.attrs["base_metric"] == pytest.approx(base.option("API A").monthly_cost - rented.monthly_cost)
    # dearer GPUs: savings fall by replicas × 730 h × GPUs × Δprice
    gpu = frame.loc[HOURLY]
    assert gpu["metric_high"] < frame.attrs["base_metric"] < gpu["metric_low"]
    assert gpu["swing"] == pytest.approx(rented.replicas * HOURS_PER_MONTH * 1 * (gpu["high"] - gpu["low"]))
    # a dearer API output price: savings rise by requests × output tokens × Δprice
    api = frame.loc[OUTPUT_PRICE]
    assert api["metric_low"] < frame.attrs["base_metric"] < api["metric_high"]
    requests = base.workload.requests_per_month
    assert api["swing"] == pytest.approx(requests * 300 / TOKENS_PER_MTOK * (api["high"] - api["low"]))
    assert (gpu["low"], gpu["high"]) == pytest.approx((2.49 * 0.8, 2.49 * 1.2))


def test_every_numeric_input_is_ranked_by_swing() -> None:
    frame = sensitivity(BASE, overrides=SETS)
    assert list(frame["swing"]) == sorted(frame["swing"], reverse=True)
    inputs = set(frame["input"])
    assert {HOURLY, OUTPUT_PRICE, "workload.requests_per_day", f"{RENT}.throughput.scale"} <= inputs
    assert "version" not in inputs and "horizon_months" not in inputs
    # an input that moves neither the best API nor the best self-hosted option has no swing
    assert frame.set_index("input").loc["options[API B].discount", "swing"] == 0


def test_whole_number_fields_move_by_whole_steps() -> None:
    frame = sensitivity(BASE, inputs=[f"{RENT}.hardware.min_replicas"], overrides=SETS).set_index("input")
    row = frame.loc[f"{RENT}.hardware.min_replicas"]
    assert (row["low"], row["high"]) == (0, 2)  # 1 ± 20% rounds back to 1, so one step each way


def test_unknown_input_gets_a_hint() -> None:
    with pytest.raises(InputError, match="did you mean"):
        sensitivity(BASE, inputs=["workload.requests_per_dya"])


@pytest.mark.parametrize(("text", "value"), [("20%", 0.2), ("0.35", 0.35), (0.1, 0.1)])
def test_parse_delta(text: str | float, value: float) -> None:
    assert parse_delta(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["0", "150%", "abc", "-5%"])
def test_parse_delta_rejects(text: str) -> None:
    with pytest.raises(InputError):
        parse_delta(text)
