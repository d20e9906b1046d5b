"""recommend searches a scenario's custom GPU beside the catalog's, priced as its own option prices it, or says why
it does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import costcalc
from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.run import Outcome, recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.catalog import get_gpu
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import TODAY, chat

DAY = dt.date.fromisoformat(TODAY)
FIGURES = ("memory_gb", "memory_bandwidth_gb_s", "bf16_tflops", "fp8_tflops", "int8_tops", "tdp_w")


def l40s_twin(name: str = "my-l40s") -> dict[str, Any]:
    """A custom GPU with the catalog L40S's figures, like it."""
    l40s = get_gpu("l40s-48gb")
    return {"name": name, "like": l40s.id} | {k: getattr(l40s, k) for k in FIGURES if getattr(l40s, k) is not None}


def with_custom(*options: dict[str, Any]) -> dict[str, Any]:
    """The recommend tests' chatbot with self-hosted options of gpt-oss-20b on the hardware given."""
    doc = chat()
    for i, hardware in enumerate(options):
        doc["options"].append(
            {
                "name": f"Custom {i}",
                "kind": "self_hosted",
                "model": "gpt-oss-20b",
                "engine": "vllm",
                "hardware": hardware,
            }
        )
    return doc


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    """The L40S's twin rented at $1.00 a GPU-hour and bought at $9,000 (stating the idle power a bought custom GPU
    needs), beside the catalog L40S's offers."""
    doc = with_custom(
        {"custom_gpu": l40s_twin() | {"idle_w": 40}, "acquisition": "rent", "hourly_usd": 1.0},
        {"custom_gpu": l40s_twin() | {"idle_w": 40}, "acquisition": "buy", "price_usd": 9000, "useful_life_months": 36},
    )
    limits = Constraints(gpus=("my-l40s", "l40s-48gb"), engines=("vllm",), max_gpus=1)
    request = Request(models=("gpt-oss-20b",), limits=limits, top=40, exhaustive=True)
    return recommend(load_scenario(doc), PriceSource(), request, today=DAY, cache=None)


def test_a_custom_gpu_is_a_candidate_priced_as_its_own_option_prices_it(outcome: Outcome) -> None:
    # on main recommend searched catalog GPUs only: `--gpu my-l40s` was "unknown GPU id 'my-l40s'"
    rec = outcome.recommendation
    mine = [c for c in rec.candidates if c.gpu == "my-l40s"]
    assert {(c.offer, c.acquisition, c.pricing_type, c.provider) for c in mine} == {
        ("Custom 0", "rent", "scenario", None),
        ("Custom 1", "buy", "scenario", None),
    }
    catalog = [c for c in rec.candidates if c.gpu == "l40s-48gb"]
    assert catalog  # searched beside the catalog GPU, whose twin it is: the same capacity
    twin_rent = next(c for c in mine if c.acquisition == "rent")
    same = next(c for c in catalog if c.precision == twin_rent.precision)
    assert twin_rent.throughput.requests_per_s_per_replica == same.throughput.requests_per_s_per_replica
    # costed as `report` costs the written scenario's option: its custom_gpu and its own price
    doc, _ = outcome.scenario_doc(top=len(rec.candidates))
    result = costcalc.analyze(doc, today=DAY)
    for c in mine:
        assert c.monthly_cost == result.option(c.name).monthly_cost, c.name
    written = next(o for o in doc["options"] if o["name"] == twin_rent.name)
    assert written["hardware"]["custom_gpu"]["name"] == "my-l40s" and written["hardware"]["hourly_usd"] == 1.0
    assert "Custom GPUs searched beside the catalog's: my-l40s as 'Custom 0' prices it, my-l40s as 'Custom 1'" in (
        " ".join(rec.notes)
    )


def test_a_custom_gpu_it_does_not_search_is_said_in_one_line_each() -> None:
    given = {"name": "measured-gpu", "memory_gb": 48, "memory_bandwidth_gb_s": 864}  # throughput given, not estimated
    doc = with_custom(
        {"custom_gpu": given, "acquisition": "rent", "hourly_usd": 1.0},
        {"custom_gpu": l40s_twin("leased"), "acquisition": "lease", "lease": {"usd_per_month": 300, "term_months": 24}},
    )
    doc["options"][-2]["throughput"] = {"points": [{"input_tokens": 1000, "output_tokens": 200, "requests_per_s": 1.0}]}
    limits = Constraints(gpus=("l40s-48gb",), engines=("vllm",), max_gpus=1, acquisition="rent")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=3)
    notes = recommend(load_scenario(doc), PriceSource(), request, today=DAY, cache=None).recommendation.notes
    assert "custom_gpu measured-gpu (option 'Custom 0') is not searched: it says neither what it is like nor its" in (
        " ".join(notes)
    )
    assert (
        "custom_gpu leased (option 'Custom 1') is not searched: it is leased, and recommend searches rented and"
        " bought hardware." in notes
    )
