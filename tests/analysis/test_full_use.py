"""'a fully used replica costs more per token than the API ($0.30 vs $0.13 per 1M tokens)' multiplies out from the
report: the assumptions give what a fully used replica serves and what it adds to the bill (before, nothing did: $0.30
is $1,095 of L40S rental over the 3.62B tokens a month a replica sized for a 3x peak serves, labour aside, which no
figure of the report led to)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from costcalc.api import analyze

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-12-06"
SCALE = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
LINE = re.compile(
    r"^(?P<option>.+): a fully used replica, (?P<sized>.+), serves (?P<rps>[\d.,]+) requests/s at its busiest,"
    r" (?P<tok>[\d.,]+)(?P<unit>[kMBT]) tokens (?P<period>a month|an hour), and adds \$(?P<cost>[\d.,]+) (?P=period)"
    r" to the bill \(labour, the same at any volume, aside\): \$(?P<full>[\d.]+) per 1M tokens\.$"
)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_fully_used_replica_figure_multiplies_out(path: Path) -> None:
    result = analyze(path, today=TODAY)
    never = {
        be.option: be.full_use_cost_per_million_tokens
        for be in result.break_even
        if be.full_use_cost_per_million_tokens is not None
    }
    lines = [m for a in result.assumptions if (m := LINE.match(a))]
    assert sorted(m["option"] for m in lines) == sorted(never), result.assumptions
    for m in lines:
        carried = _number(m["tok"]) * SCALE[m["unit"]]
        assert _number(m["cost"]) / (carried / 1e6) == pytest.approx(never[m["option"]], rel=0.01), m[0]
        assert f"${never[m['option']]:.2f}" == f"${m['full']}", m[0]
        o = result.option(m["option"])
        assert o.throughput is not None
        assert _number(m["rps"]) == pytest.approx(o.throughput.requests_per_s_per_replica, rel=0.005), m[0]


def test_a_rented_replica_adds_its_gpu_hours() -> None:
    """The README example: each fully used L40S replica adds its 730 GPU-hours at $1.50, the rental line's $1,095
    (the figure the verdict quotes, $0.30 per 1M tokens at today's estimate)."""
    result = analyze(ROOT / "examples/startup-chatbot.yaml", today=TODAY)
    o = result.option("gpt-oss-20b on a rented L40S")
    line = next(a for a in result.assumptions if a.startswith(f"{o.name}: a fully used replica, "))
    assert "sized for the peak (peak/mean 3.00)" in line
    assert f"and adds ${o.breakdown['gpu_rental']:,.0f} a month to the bill" in line, line
    full = next(be.full_use_cost_per_million_tokens for be in result.break_even if be.option == o.name)
    assert full is not None and line.endswith(f": ${full:.2f} per 1M tokens."), line
