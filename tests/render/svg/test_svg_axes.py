"""Axis labels: money in the one short form (render/numbers.short_money), in the chart's currency."""

from __future__ import annotations

import re

import pytest

from costcalc.render.numbers import short_money
from costcalc.render.svg.cost_volume import cost_volume_chart
from costcalc.render.svg.cumulative import cumulative_chart
from costcalc.render.svg.tornado import tornado_chart

TICK = re.compile(r'class="tick"[^>]*>([^<]*)<')


def _money_ticks(svg: str) -> list[str]:
    return [t for t in TICK.findall(svg) if any(c in t for c in "$€£")]


def test_a_euro_cost_volume_chart_has_euro_ticks_written_as_every_short_amount() -> None:
    """The axis had its own short_money: dollars whatever the scenario's currency (a EUR chart read '$0.1', '$1',
    '$10' under 'EUR per month'), tenths without cents; now render/numbers' one form: '€0.10', '€1', '€10'."""
    svg = cost_volume_chart(
        [1e6, 1e9], {"API": [0.05, 200.0], "Owned": [9_000.0, 9_000.0]}, current_volume=1e7, currency="EUR"
    )
    ticks = _money_ticks(svg)
    assert ticks[:3] == ["€0.10", "€1", "€10"] and "€1k" in ticks
    assert all(t.startswith("€") for t in ticks), ticks


def test_the_cumulative_chart_takes_the_scenarios_currency() -> None:
    svg = cumulative_chart([1, 2, 3], {"API": [10, 20, 30]}, currency="EUR")
    ticks = _money_ticks(svg)
    assert ticks[0] == "€0" and all(t.startswith("€") for t in ticks), ticks


@pytest.mark.parametrize(("value", "said"), [(999.6, "$1k"), (999_600.0, "$1M"), (7.3, "$7.30")])
def test_tornado_ranges_never_read_in_exponents(value: float, said: str) -> None:
    """The axis form wrote 999.6 as '$1e+03' and 999,600 as '$1e+03k'."""
    svg = tornado_chart([("price", value / 2, value)], base=value * 0.75)
    assert f"to {said}" in svg and "e+0" not in svg
    assert said == short_money(value)


def test_one_short_money() -> None:
    """The axes module has no short_money of its own (it had one: "$7.3", "$1e+03k", always dollars)."""
    import costcalc.render.svg.axes as axes

    assert getattr(axes, "short_money", short_money) is short_money
