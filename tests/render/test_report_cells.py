"""A report's 'Largest costs' cell: the largest lines, and a saving or discount wherever the option has one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from costcalc.api import analyze
from costcalc.render.report_cells import cost_lines

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_a_discount_is_among_the_largest_lines_so_two_options_do_not_read_alike() -> None:
    # coding-assistant: 'Claude Sonnet 5.5 with 15% negotiated discount' ($58,924) and 'Claude Sonnet 5.5' ($69,323)
    # both read 'output $25.6k, uncached input $21.4k' (and 'cache writes $13.3k' in HTML): the discount (-$10.4k) was
    # fourth by size, so nothing said why one costs less
    result = analyze(EXAMPLES / "coding-assistant.yaml", today=dt.date(2026, 12, 7))
    discounted = result.option("Claude Sonnet 5.5 with 15% negotiated discount")
    plain = result.option("Claude Sonnet 5.5")
    assert cost_lines(discounted, "USD") == ["output $25.6k", "discount -$10.4k"]
    assert cost_lines(discounted, "USD", count=3) == ["output $25.6k", "uncached input $21.4k", "discount -$10.4k"]
    assert cost_lines(plain, "USD") == ["output $25.6k", "uncached input $21.4k"]  # no saving: the largest two


def test_a_saving_already_among_the_largest_keeps_its_place() -> None:
    result = analyze(EXAMPLES / "internal-assistant.yaml", today=dt.date(2026, 12, 7))
    deepseek = result.option("DeepSeek V4 Flash API")  # off-peak savings -$283, third by size
    assert cost_lines(deepseek, "USD", count=3) == ["uncached input $383", "output $350", "off-peak savings -$283"]
    assert cost_lines(deepseek, "USD") == ["uncached input $383", "off-peak savings -$283"]
