"""What self-hosting saves or costs more, in words."""

from __future__ import annotations

from costcalc.render.svg.savings import savings_words


def test_savings_in_words():
    assert savings_words(0.2) == "breaks even" and savings_words(1500, "EUR") == "saves €1.5k"
