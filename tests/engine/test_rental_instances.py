"""Rentals billed by whole instances: replicas packed into instances of a multi-GPU offer hour by hour, every bill,
flow and break-even on the packed count (numbers worked by hand below)."""

from __future__ import annotations

import numpy as np
import pytest

from costcalc.engine.breakeven import break_even_volume
from costcalc.engine.costs import SelfHostedCost
from costcalc.engine.flows import option_flows
from costcalc.engine.options import monthly_bill
from costcalc.engine.self_hosted import SelfHostedPlan
from costcalc.engine.shape import RequestShape
from costcalc.engine.terms import Lifecycle
from costcalc.units import SECONDS_PER_MONTH

FLAT = RequestShape(buckets=((1000.0, 1.0),), output_tokens=250.0)  # peak = mean, every hour alike


def _rent(
    replicas_per_instance: int, spare_gpus_per_replica: float, gpus_per_replica: int = 1, **kw: object
) -> SelfHostedPlan:
    """$2 a GPU-hour; one replica carries 1 request/s."""
    fields: dict[str, object] = dict(
        capacity_requests_per_s=1.0,
        gpus_per_replica=gpus_per_replica,
        acquisition="rent",
        usd_per_gpu_hour=2.0,
        replica_block=replicas_per_instance,
        spare_gpus_per_replica=spare_gpus_per_replica,
    )
    fields.update(kw)
    return SelfHostedPlan(**fields)  # type: ignore[arg-type]


def _rental(plan: SelfHostedPlan, requests_per_s: float, shape: RequestShape = FLAT) -> float:
    bill = monthly_bill(SelfHostedCost(plan), shape, np.array([requests_per_s * SECONDS_PER_MONTH]))
    return float(bill.lines["gpu_rental"][0])


def test_three_one_gpu_replicas_rent_one_whole_eight_gpu_instance() -> None:
    # 3 req/s need 3 replicas of 1 GPU; they fit one 8-GPU instance, billed whole: 8 GPUs x $2 x 730 h = $11,680
    # (billed per GPU, as before: 3 x $2 x 730 = $4,380)
    assert _rental(_rent(8, 0.0), 3.0) == pytest.approx(11_680.0)
    # 9 replicas take two instances: 16 x $2 x 730 = $23,360
    assert _rental(_rent(8, 0.0), 9.0) == pytest.approx(23_360.0)
    # a 1-GPU offer bills each replica's GPU: 3 x $2 x 730 = $4,380
    assert _rental(_rent(1, 0.0), 3.0) == pytest.approx(4_380.0)


def test_a_replica_never_spans_two_instances() -> None:
    # 3-GPU replicas on 8-GPU instances: two fit an instance (2 GPUs idle: 1 a replica). 5 replicas (15 GPUs) take
    # ceil(5 / 2) = 3 instances = 24 GPUs, not ceil(15 / 8) = 2: 24 x $2 x 730 = $35,040
    assert _rental(_rent(2, 1.0, gpus_per_replica=3), 5.0) == pytest.approx(35_040.0)


def test_a_replica_wider_than_an_instance_takes_whole_instances() -> None:
    # 12-GPU replicas on 8-GPU instances: each takes 2 instances (4 GPUs idle); 2 replicas = 32 GPUs x $2 x 730
    assert _rental(_rent(1, 4.0, gpus_per_replica=12), 2.0) == pytest.approx(46_720.0)


def test_follow_profile_packs_each_hour_on_its_own() -> None:
    # mean 4 req/s; 12 hours at 0.25 (1 replica: 1 instance), 6 at 2.25 (9 replicas: 2 instances), 6 at 0.5
    # (2 replicas: 1 instance): 12 + 12 + 6 = 30 instance-hours a day, x 730/24 days = 912.5 instance-hours,
    # x 8 GPUs x $2 = $14,600 (per GPU: 12 + 54 + 12 = 78 GPU-hours a day, $4,745)
    hourly = (0.25,) * 12 + (2.25,) * 6 + (0.5,) * 6
    shape = RequestShape(buckets=((1000.0, 1.0),), output_tokens=250.0, peak_factor=2.25, hourly_factors=hourly)
    plan = _rent(8, 0.0, scaling="follow_profile")
    assert _rental(plan, 4.0, shape) == pytest.approx(14_600.0)
    bill = monthly_bill(SelfHostedCost(plan), shape, np.array([4.0 * SECONDS_PER_MONTH]))
    assert bill.sizing is not None
    assert bill.sizing.replicas[0] == 16  # the busiest hour's two instances hold 16 replicas


def test_min_replicas_of_zero_rents_no_instance_in_an_idle_hour() -> None:
    # a night batch: 6 hours at 4x the mean of 1 req/s (4 replicas: 1 instance), 18 idle hours (none):
    # 6 x 730/24 = 182.5 instance-hours x 8 GPUs x $2 = $2,920
    hourly = (4.0,) * 6 + (0.0,) * 18
    shape = RequestShape(buckets=((1000.0, 1.0),), output_tokens=250.0, peak_factor=4.0, hourly_factors=hourly)
    assert _rental(_rent(8, 0.0, scaling="follow_profile", min_replicas=0), 1.0, shape) == pytest.approx(2_920.0)


def test_a_commitment_pays_the_terms_busiest_month_in_whole_instances() -> None:
    # a 2-month term: month 1 needs 3 replicas (1 instance), month 2 needs 9 (2 instances); the term pays
    # 2 instances both months: 16 x $2 x 730 = $23,360 a month
    volumes = np.array([3.0, 9.0]) * SECONDS_PER_MONTH
    found = option_flows(SelfHostedCost(_rent(8, 0.0), Lifecycle(commitment_months=2)), FLAT, volumes)
    assert found.lines["gpu_rental"] == pytest.approx([23_360.0, 23_360.0])


@pytest.mark.parametrize("scaling", ["always_on", "follow_profile"])
def test_break_even_steps_by_whole_instances(scaling: str) -> None:
    # A replica carries 1,000 requests a month at $1 a GPU-hour ($730 a month); an 8-GPU instance 8,000 for $5,840.
    # The API costs $1 a request. Just past k instances' volume (8,000k) k + 1 instances cost $5,840(k + 1), dearer
    # than the API's $8,000k while k < 2.7: the last dear interval is (16,000, 24,000], billed $17,520, so
    # self-hosting stays cheaper from 17,520 requests a month. (By the GPU: (2,000, 3,000] at $2,190: 2,190.)
    per_replica = 1000.0 / SECONDS_PER_MONTH
    plan = _rent(8, 0.0, capacity_requests_per_s=per_replica, usd_per_gpu_hour=1.0, scaling=scaling)
    found = break_even_volume(plan, 1.0, peak_factor=1.0, hourly_factors=(1.0,) * 24)
    assert found.requests_per_month == pytest.approx(17_520.0)
    assert found.full_use_usd_per_request == pytest.approx(0.73)  # a full instance: $5,840 / 8,000 requests


@pytest.mark.parametrize(
    ("plan", "units_per_replica", "requests_per_s", "units"),
    [
        (_rent(8, 0.0), 1 / 8, 3.0, 1),  # 3 replicas of 1 GPU, sized up to one instance of 8
        (_rent(8, 0.0), 1 / 8, 9.0, 2),  # 9: two instances (16 replicas' room)
        (_rent(2, 1.0, gpus_per_replica=3), 1 / 2, 5.0, 3),  # 5 of 3 GPUs, two an instance: 3 instances
        (_rent(1, 4.0, gpus_per_replica=12), 2.0, 2.0, 4),  # 2 of 12 GPUs, each spanning 2 instances
        (_rent(1, 0.0, gpus_per_replica=2), 2.0, 3.0, 6),  # rented by the GPU: the GPUs
    ],
)
def test_the_bills_sizing_counts_the_whole_units_that_hold_the_peaks_replicas(
    plan: SelfHostedPlan, units_per_replica: float, requests_per_s: float, units: int
) -> None:
    cost = SelfHostedCost(plan, Lifecycle(units_per_replica=units_per_replica))
    bill = monthly_bill(cost, FLAT, np.array([requests_per_s * SECONDS_PER_MONTH]))
    assert bill.sizing is not None
    assert float(bill.sizing.units[0]) == units
    # the rental is those units' GPUs every hour
    gpus_per_unit = (plan.gpus_per_replica + plan.spare_gpus_per_replica) / units_per_replica  # type: ignore[operator]
    assert float(bill.lines["gpu_rental"][0]) == pytest.approx(units * gpus_per_unit * 2.0 * 730)
