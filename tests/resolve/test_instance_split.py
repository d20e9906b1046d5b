"""A replica that does not fill whole instances of a multi-GPU rental offer is billed by the GPU-hour, and says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from costcalc.analysis.run import analyze
from costcalc.resolve.hardware import _split_instance_note

TODAY = dt.date(2026, 12, 5)


def _scenario(offer: str, gpus_per_replica: int) -> dict[str, Any]:
    return {
        "version": 1,
        "horizon_months": 3,
        "workload": {"requests_per_day": 20_000, "input_tokens": 1000, "output_tokens": 250},
        "options": [
            {
                "name": "Rented",
                "kind": "self_hosted",
                "model": "gpt-oss-20b",
                "hardware": {"offer": offer, "gpus_per_replica": gpus_per_replica, "acquisition": "rent"},
            }
        ],
    }


def _split_notes(result: Any) -> list[str]:
    return [a for a in result.assumptions if "GPUs an instance" in a]


@pytest.mark.parametrize(("gpus", "factor"), [(1, "8x"), (2, "4x"), (4, "2x")])
def test_a_replica_smaller_than_the_instance_says_what_whole_instances_would_cost(gpus: int, factor: str) -> None:
    result = analyze(_scenario("lambda/8x-h100-sxm/on-demand", gpus), today=TODAY)
    assert _split_notes(result) == [
        f"Rented: lambda/8x-h100-sxm/on-demand rents 8 GPUs an instance; a {gpus}-GPU replica is billed per GPU-hour,"
        " as if single GPUs could be rented or the replicas filled whole instances"
        f" (whole instances for each replica would cost {factor} as much)"
    ]
    # the note discloses the basis; the bill stays per GPU-hour: 3.99 $/GPU-h for every GPU of every replica
    assert result.options[0].replicas
    line = result.options[0].breakdown["gpu_rental"]
    assert line == pytest.approx((result.options[0].replicas or 0) * gpus * 3.99 * 730, rel=1e-9)


@pytest.mark.parametrize(("offer", "gpus"), [("lambda/8x-h100-sxm/on-demand", 8), ("lambda/1x-h100-sxm/on-demand", 1)])
def test_a_replica_of_whole_instances_says_nothing(offer: str, gpus: int) -> None:
    assert _split_notes(analyze(_scenario(offer, gpus), today=TODAY)) == []


@pytest.mark.parametrize(("gpus", "factor"), [(3, "2.67x"), (12, "1.33x"), (20, "1.2x")])
def test_whole_instances_round_up_per_replica(gpus: int, factor: str) -> None:
    # 3 GPUs take one 8-GPU instance (8/3), 12 take two (16/12), 20 take three (24/20)
    assert _split_instance_note("R", "x/8x", 8, gpus).endswith(
        f"(whole instances for each replica would cost {factor} as much)"
    )
