"""Every running cost of a shipped example is traceable in its report: the engineer-hours and rate behind labour,
the watts and electricity price behind energy, the GPU catalog row behind both and the throughput estimate, the
model catalog row behind the estimate; and no example restates a shipped data-centre default, which would read '(as given)' and hide the row's source and date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from costcalc.api import analyze
from costcalc.catalog import get_gpu, get_model
from costcalc.pricing.tables import shipped

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples/ci/scenarios").glob("*.yaml"))
TODAY = "2026-12-06"

# option field -> the data-centre row a self-hosted option takes when the field is left out
TABLE_DEFAULTS = {
    ("power", "pue"): "pue",
    ("power", "electricity_usd_per_kwh"): "electricity_usd_per_kwh",
    ("hosting", "usd_per_kw_month"): "colocation_usd_per_kw_month",
    ("hardware", "useful_life_months"): "useful_life_months",
}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_example_restates_a_data_centre_default(path: Path) -> None:
    table = {row.id: float(row.value) for row in shipped("datacenter")}
    restated = []
    for opt in yaml.safe_load(path.read_text())["options"]:
        for (block, key), row_id in TABLE_DEFAULTS.items():
            given = (opt.get(block) or {}).get(key)
            if given is not None and float(given) == table[row_id]:
                restated.append(f"{opt['name']}: {block}.{key}: {given} is the table's {row_id}")
    assert not restated, restated


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_running_cost_says_what_it_rests_on(path: Path) -> None:
    result = analyze(path, today=TODAY)
    said = result.assumptions
    for o in result.options:
        if o.kind != "self_hosted":
            continue
        labour = [a for a in said if a.startswith(f"{o.name}: labour ") or a.startswith(f"{o.name}: no labour")]
        assert len(labour) == 1, (o.name, said)
        if o.breakdown["labour"]:
            assert labour[0].endswith(f"(as given): ${o.breakdown['labour']:,.0f} a month"), labour[0]
        gpu = get_gpu(o.gpu or "")
        assert any(a.startswith(f"gpu {gpu.id} ") and f"as of {gpu.as_of.isoformat()}" in a for a in said), said
        if o.acquisition in ("buy", "lease"):
            power = [a for a in said if a.startswith(f"{o.name}: power ")]
            assert len(power) == 1 and f"{gpu.tdp_w:g} W at full load" in power[0], (o.name, said)
            assert " per kWh (" in power[0]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_usage_behind_every_api_bill_is_stated(path: Path) -> None:
    doc = yaml.safe_load(path.read_text())
    said = analyze(path, today=TODAY).assumptions
    request = next(a for a in said if a.startswith("Workload (as given): "))
    w = doc["workload"]
    if w.get("cached_input_share"):
        assert f"{w['cached_input_share']:.0%} read from a prompt cache" in request, request
    if w.get("reasoning_tokens"):
        assert f"{w['reasoning_tokens']:,} reasoning tokens" in request, request
    for b in w.get("input_length_buckets") or []:
        assert f"{b['share']:.0%} at {b['input_tokens']:,}" in request, request
    for opt in doc["options"]:
        if opt.get("batch_share"):
            assert f"{opt['name']}: {opt['batch_share']:.0%} of requests sent through the batch API" in " ".join(said)
        if opt.get("discount"):
            assert f"{opt['name']}: a negotiated discount of {opt['discount']:.0%}" in " ".join(said)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_estimate_names_the_model_row_it_rests_on(path: Path) -> None:
    """An estimated throughput rests on the model's architecture (parameters, layers, attention, experts) as much as
    on the GPU's specs: the model catalog row's source and date are in the assumptions beside the GPU's."""
    result = analyze(path, today=TODAY)
    estimated = [o for o in result.options if o.throughput is not None and o.throughput.basis == "estimated"]
    assert estimated, "every shipped example estimates a self-hosted option"
    for o in estimated:
        model = get_model(o.model or "")
        line = f"model {model.id} (the model catalog's parameters, layers, attention and experts): as of"
        said = [a for a in result.assumptions if a.startswith(line)]
        assert said == [f"{line} {model.as_of.isoformat()} (a spec: no age limit), {model.source}"], (o.name, said)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_hardware_purchase_in_the_cash_total_is_named(path: Path) -> None:
    """The capex column is month 1's hardware; a purchase for growth or replacement later in the horizon is in the
    cash total (and the terminal value) too, so the assumptions name its month and amount (before, nightly-batch's
    second $285,000 server in month 22 showed only as a step in the HTML's cash chart and in the JSON timeline)."""
    result = analyze(path, today=TODAY)
    timeline = result.full_timeline
    for o in result.options:
        capex = timeline.capex.get(o.name, ())
        later = [(m, usd) for m, usd in zip(timeline.months, capex) if usd and m > 1]
        said = [a for a in result.assumptions if a.startswith(f"{o.name}: hardware bought after month 1 ")]
        if not later:
            assert not said, said
            continue
        assert len(said) == 1, (o.name, result.assumptions)
        named = [float(x.replace(",", "")) for x in re.findall(r"\$([\d,]+) in month \d+", said[0])]
        assert named == pytest.approx([usd for _, usd in later], abs=0.5), said[0]
        assert o.capex_upfront + sum(named) == pytest.approx(sum(capex), abs=0.5 * len(capex))


def test_a_growth_purchase_is_named_with_its_month() -> None:
    """nightly-batch's owned server: growth outgrows it within the 48 months (at its own 2% a month a second $285,000
    server in month 22 at today's estimate; at 10% a month several, whatever the estimate), and the line names each
    purchase's month and amount."""
    import costcalc

    name = "Owned 8x H100 server, gpt-oss-120b"
    scenario = costcalc.load_scenario(
        str(ROOT / "examples/nightly-batch.yaml"), overrides=["workload.growth_per_month=0.1"]
    )
    result = analyze(scenario, today=TODAY)
    timeline = result.full_timeline
    later = [(m, usd) for m, usd in zip(timeline.months, timeline.capex[name]) if usd and m > 1]
    assert len(later) > 1 and all(usd % 285_000 == 0 for _, usd in later), later
    line = next(a for a in result.assumptions if a.startswith(f"{name}: hardware bought after month 1 "))
    named = ", ".join(f"${usd:,.0f} in month {m}" for m, usd in later[:6])
    assert line.startswith(f"{name}: hardware bought after month 1 (growth or replacement, less any resale): {named}")
