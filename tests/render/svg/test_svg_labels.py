"""Labels fitted to a chart: a long one cut in the middle."""

from __future__ import annotations

from costcalc.render.svg.labels import LABEL_CHARS, shorten


def test_a_long_label_is_cut_in_the_middle():
    long = "options[gpt-oss-120b on owned H100s].operations.engineer_hours_per_month"
    cut = shorten(long)
    assert len(cut) == LABEL_CHARS and cut.startswith("options[gpt-oss") and cut.endswith("engineer_hours_per_month")
