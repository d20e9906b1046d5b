"""Axis labels: money in short form."""

from __future__ import annotations

from costcalc.render.svg.axes import short_money


def test_axis_money_is_short():
    assert short_money(-400) == "-$400" and short_money(1500) == "$1.5k"
