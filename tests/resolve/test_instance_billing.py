"""A rental of a multi-GPU instance offer is billed by whole instances, replicas packed into them; a per-GPU offer by
the GPU; the assumptions say how many instances month 1 bills and how many GPUs sit idle (numbers by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from costcalc.analysis.run import analyze
from costcalc.render import report_csv
from costcalc.render.horizon import capex_cell
from costcalc.report.result import OptionResult, Result
from tests.support.cli import invoke

TODAY = dt.date(2026, 12, 5)
HOURS = 730  # a month
LAMBDA_8X = "lambda/8x-h100-sxm/on-demand"  # 8 GPUs an instance, $3.99 a GPU-hour ($31.92 an instance-hour)
LAMBDA_1X = "lambda/1x-h100-sxm/on-demand"  # one GPU, $4.29 a GPU-hour


def _scenario(hardware: dict[str, Any], requests_per_s: float) -> dict[str, Any]:
    """One rented option whose replica carries 1 request/s; the load is flat at `requests_per_s`."""
    return {
        "version": 1,
        "horizon_months": 3,
        "workload": {"requests_per_day": requests_per_s * 86_400, "input_tokens": 1000, "output_tokens": 250},
        "options": [
            {
                "name": "Rented",
                "kind": "self_hosted",
                "model": "gpt-oss-20b",
                "hardware": {"acquisition": "rent", **hardware},
                "throughput": {"points": [{"input_tokens": 1000, "output_tokens": 250, "requests_per_s": 1.0}]},
            }
        ],
    }


def _report(hardware: dict[str, Any], requests_per_s: float) -> tuple[Result, OptionResult]:
    result = analyze(_scenario(hardware, requests_per_s), today=TODAY)
    return result, result.options[0]


def _instance_lines(result: Result) -> list[str]:
    return [a for a in result.assumptions if "instance" in a]


def test_three_one_gpu_replicas_rent_one_whole_instance_and_say_so() -> None:
    # 3 replicas of 1 GPU fit one 8-GPU instance: 8 x $3.99 x 730 h = $23,301.60 (by the GPU it was $8,738.10)
    result, option = _report({"offer": LAMBDA_8X, "gpus_per_replica": 1}, 3.0)
    assert option.breakdown["gpu_rental"] == pytest.approx(8 * 3.99 * HOURS)
    assert option.monthly_cost == pytest.approx(23_301.60)
    assert (option.replicas, option.gpus) == (8, 8)  # the instance holds 8 replicas; the load uses 3
    assert _instance_lines(result) == [
        f"Rented: rented by the whole instance ({LAMBDA_8X}, 8 GPUs an instance), billed every hour it runs;"
        " replicas packed 8 of 1 GPU to an instance",
        "Rented: month 1 bills 1 instance (8 GPUs) every hour for the 3 replicas of 1 GPU the load needs there:"
        " 5 GPUs idle; 730 instance-hours in the month",
    ]


def test_replicas_that_do_not_divide_an_instance_never_span_two() -> None:
    # 3-GPU replicas: two to an 8-GPU instance; 5 replicas take 3 instances (24 GPUs, 9 idle), not ceil(15/8) = 2
    result, option = _report({"offer": LAMBDA_8X, "gpus_per_replica": 3}, 5.0)
    assert option.breakdown["gpu_rental"] == pytest.approx(24 * 3.99 * HOURS)
    assert _instance_lines(result)[0].endswith("replicas packed 2 of 3 GPUs to an instance, 2 GPUs of each idle")
    assert _instance_lines(result)[1].startswith(
        "Rented: month 1 bills 3 instances (24 GPUs) every hour for the 5 replicas of 3 GPUs the load needs there:"
        " 9 GPUs idle;"
    )


def test_a_replica_wider_than_an_instance_takes_whole_instances() -> None:
    # a 12-GPU replica takes two 8-GPU instances (4 GPUs idle); 2 replicas: 4 instances = 32 GPUs
    result, option = _report({"offer": LAMBDA_8X, "gpus_per_replica": 12}, 2.0)
    assert option.breakdown["gpu_rental"] == pytest.approx(32 * 3.99 * HOURS)
    assert _instance_lines(result)[0].endswith("2 instances a replica of 12 GPUs, 4 GPUs idle")


@pytest.mark.parametrize(
    ("offer", "gpus", "rate", "billed_gpus", "usd"), [(LAMBDA_8X, 8, 2.0, 16, 3.99), (LAMBDA_1X, 1, 3.0, 3, 4.29)]
)
def test_whole_instances_and_per_gpu_offers_bill_each_replicas_gpus(
    offer: str, gpus: int, rate: float, billed_gpus: int, usd: float
) -> None:
    # 2 replicas of 8 GPUs fill 2 instances; 3 replicas on a 1-GPU offer rent 3 GPUs: nothing idle, nothing to say
    result, option = _report({"offer": offer, "gpus_per_replica": gpus}, rate)
    assert option.breakdown["gpu_rental"] == pytest.approx(billed_gpus * usd * HOURS)
    assert _instance_lines(result) == []


def test_a_given_hourly_price_can_name_its_instance_size() -> None:
    # $2 a GPU-hour on 4-GPU instances: 5 replicas of 1 GPU take 2 instances, 8 GPUs x $2 x 730 = $11,680
    result, option = _report({"gpu": "h100-sxm-80gb", "hourly_usd": 2.0, "gpus_per_instance": 4}, 5.0)
    assert option.breakdown["gpu_rental"] == pytest.approx(11_680.0)
    assert "(4 GPUs an instance)" in _instance_lines(result)[0]
    # without it a given hourly price is per GPU: 5 x $2 x 730
    assert _report({"gpu": "h100-sxm-80gb", "hourly_usd": 2.0}, 5.0)[1].breakdown["gpu_rental"] == pytest.approx(7_300)


def test_an_offers_instance_size_cannot_be_contradicted(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(_scenario({"offer": LAMBDA_8X, "gpus_per_instance": 1}, 1.0)))
    code, out, err = invoke("report", str(path))
    assert (code, out) == (2, "")
    assert "gpus_per_instance 1 differs from the offer's 8; drop it or pick another offer" in err
    assert len(err.splitlines()) == 1


def test_gpus_per_instance_is_for_rentals(tmp_path: Path) -> None:
    hardware = {"gpu": "h100-sxm-80gb", "acquisition": "buy", "price_usd": 30_000, "gpus_per_instance": 8}
    scenario = _scenario({}, 1.0)
    scenario["options"][0]["hardware"] = hardware
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario))
    code, _, err = invoke("report", str(path))
    assert code == 2
    assert "gpus_per_instance is for acquisition: rent" in err


@pytest.mark.parametrize(
    ("hardware", "rate", "instances"),
    [
        ({"offer": LAMBDA_8X, "gpus_per_replica": 1}, 3.0, 1),  # 3 of 1 GPU packed into one 8-GPU instance
        ({"offer": LAMBDA_8X, "gpus_per_replica": 1}, 9.0, 2),  # 9 of 1 GPU: 8 in one, the ninth in another
        ({"offer": LAMBDA_8X, "gpus_per_replica": 3}, 5.0, 3),  # 2 of 3 GPUs to an instance: ceil(5 / 2)
        ({"offer": LAMBDA_8X, "gpus_per_replica": 12}, 2.0, 4),  # each 12-GPU replica spans 2 instances
        ({"offer": LAMBDA_8X, "gpus_per_replica": 8}, 2.0, 2),  # replicas that fill an instance each
        ({"gpu": "h100-sxm-80gb", "hourly_usd": 2.0, "gpus_per_instance": 4}, 5.0, 2),  # 4 + 1 of 1 GPU
        ({"offer": LAMBDA_1X, "gpus_per_replica": 1}, 3.0, None),  # rented by the GPU: no instances
        ({"gpu": "h100-sxm-80gb", "hourly_usd": 2.0}, 5.0, None),  # a given price is per GPU
    ],
)
def test_the_result_counts_the_whole_instances_it_bills(hardware: dict[str, Any], rate: float, instances: Any) -> None:
    result, option = _report(hardware, rate)
    assert option.instances == instances
    data = result.to_dict()
    assert tuple(int(p) for p in data["schema_version"].split(".")) >= (1, 5)  # instances since 1.5
    assert data["options"][0]["instances"] == instances
    if instances is not None:  # the bill is those instances' GPUs every hour: one count, two readings
        gpus_per_instance = 8 if "offer" in hardware else hardware["gpus_per_instance"]
        usd = 3.99 if "offer" in hardware else hardware["hourly_usd"]
        assert option.breakdown["gpu_rental"] == pytest.approx(instances * gpus_per_instance * usd * HOURS)


def test_a_profile_rental_counts_the_instances_of_its_busiest_hour() -> None:
    # 1 request/s a replica; 23 hours at 2 req/s and one at 10 (mean 64/24 req/s): 2 replicas of 1 GPU fill part
    # of 1 instance most hours, 10 need 2 instances in the busiest; 23 + 2 = 25 instance-hours a day
    scenario = _scenario({"offer": LAMBDA_8X, "gpus_per_replica": 1, "scaling": "follow_profile", "min_replicas": 0}, 1)
    profile = [2.0] * 23 + [10.0]
    scenario["workload"]["requests_per_day"] = sum(profile) * 3600
    scenario["workload"]["hourly_profile"] = [p / sum(profile) for p in profile]
    result = analyze(scenario, today=TODAY)
    option = result.options[0]
    assert option.instances == 2
    assert option.breakdown["gpu_rental"] == pytest.approx(25 * 8 * 3.99 * HOURS / 24)
    assert "month 1 bills 2 instances (16 GPUs) at the busiest hour" in _instance_lines(result)[1]


def test_bought_servers_are_counted_as_servers_not_instances() -> None:
    scenario = _scenario({}, 9.0)
    scenario["options"][0]["hardware"] = {
        "gpu": "h100-sxm-80gb",
        "acquisition": "buy",
        "price_usd": 240_000,
        "gpus_per_server": 8,
        "gpus_per_replica": 1,
    }
    option = analyze(scenario, today=TODAY).options[0]
    assert (option.servers, option.instances) == (2, None)
    assert "instances" in option.model_dump()  # the key of every self-hosted option; null where it does not apply


@pytest.mark.parametrize("purchase_unit", [None, "server"])
def test_a_bought_card_is_counted_in_gpus_not_servers(purchase_unit: str | None) -> None:
    """An offer of one card (a hardware row of kind gpu) said '(3 servers)' for three H100 cards; it is bought by
    the GPU: no servers in the Result (the verdict counts GPUs), at the same price, 3 x $30,000."""
    scenario = _scenario({}, 2.5)  # 2.5 requests/s at 1 request/s a replica: 3 replicas of 1 card
    hardware = {"gpu": "h100-sxm-80gb", "acquisition": "buy", "offer": "nvidia-h100-sxm-80gb", "gpus_per_replica": 1}
    scenario["options"][0]["hardware"] = hardware | ({"purchase_unit": purchase_unit} if purchase_unit else {})
    result = analyze(scenario, today=TODAY)
    option = result.options[0]
    assert (option.servers, option.purchase_unit, option.gpus) == (None, "gpu", 3)
    assert option.capex_upfront == pytest.approx(3 * 30_000)
    assert any("of capex up front (3 GPUs)" in line for line in result.verdict), result.verdict


def test_one_bought_card_is_one_gpu_in_the_verdict() -> None:
    """With servers None the verdict said '(1 GPUs)'."""
    scenario = _scenario({}, 0.5)
    scenario["options"][0]["hardware"] = {"gpu": "h100-sxm-80gb", "acquisition": "buy", "offer": "nvidia-h100-sxm-80gb"}
    result = analyze(scenario, today=TODAY)
    assert any("of capex up front (1 GPU)," in line for line in result.verdict), result.verdict


@pytest.mark.parametrize(
    ("offer", "gpu", "price"),
    [("apple-mac-studio-m3-ultra", "apple-m3-ultra", 5_299), ("nvidia-dgx-spark", "dgx-spark-gb10", 3_999)],
)
def test_a_bought_workstation_is_counted_in_workstations(offer: str, gpu: str, price: float) -> None:
    """An offer of a workstation (a hardware row of kind workstation) said '(3 servers)' for three Mac Studios or
    DGX Sparks, and the Result counted them as servers; it is bought whole, as a server is, at the same price, and
    every format counts it as what it is."""
    scenario = _scenario({}, 2.5)  # 3 replicas of 1 workstation each
    scenario["options"][0]["hardware"] = {"gpu": gpu, "acquisition": "buy", "offer": offer, "gpus_per_replica": 1}
    scenario["options"][0]["power"] = {"max_w_per_gpu": 270, "idle_w_per_gpu": 10}
    result = analyze(scenario, today=TODAY)
    option = result.options[0]
    assert (option.servers, option.workstations, option.purchase_unit) == (None, 3, "workstation")
    assert option.capex_upfront == pytest.approx(3 * price)
    assert any("of capex up front (3 workstations)," in line for line in result.verdict), result.verdict
    assert capex_cell(option, "USD") == f"${3 * price:,} (3 workstations)"
    assert any(
        line.endswith("bought by the workstation (1 GPU), one replica per workstation") for line in result.assumptions
    )
    assert result.to_dict()["options"][0]["workstations"] == 3
    header, row = report_csv.render(result).splitlines()[:2]
    columns = dict(zip(header.split(","), row.split(","), strict=False))
    assert (columns["servers"], columns["workstations"]) == ("", "3")


def test_two_workstations_a_replica_are_counted_whole() -> None:
    """A replica wider than one workstation spans two: 2 replicas buy 4 workstations."""
    scenario = _scenario({}, 1.5)
    hardware = {"gpu": "dgx-spark-gb10", "acquisition": "buy", "offer": "nvidia-dgx-spark", "gpus_per_replica": 2}
    scenario["options"][0]["hardware"] = hardware
    scenario["options"][0]["power"] = {"idle_w_per_gpu": 10}
    result = analyze(scenario, today=TODAY)
    option = result.options[0]
    assert (option.replicas, option.workstations, option.capex_upfront) == (2, 4, pytest.approx(4 * 3_999))
    assert any(
        line.endswith("bought by the workstation (1 GPU), 2 workstations a replica") for line in result.assumptions
    )
