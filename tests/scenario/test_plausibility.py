"""Valid but unlikely inputs are warned about with the value probably meant; a short currency source is accepted."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import invoke

SCENARIO = """\
version: 1
workload: {{requests_per_day: 1000, input_tokens: 500, output_tokens: 100, growth_per_month: {growth}}}
currency: {{code: EUR, per_usd: 0.92, as_of: 2026-11-01, source: ECB}}
options:
  - {{name: API, kind: api, prices: {{input_usd_per_mtok: 1, output_usd_per_mtok: 4}}}}
"""


def _report(tmp_path: Path, growth: float) -> tuple[int, str, str]:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.format(growth=growth), encoding="utf-8")
    return invoke("report", str(path), "--today", "2026-11-02")


def test_growth_above_100_percent_a_month_asks_what_was_meant(tmp_path: Path) -> None:
    code, out, err = _report(tmp_path, 5)
    assert code == 0 and "EUR" in out  # ECB is a source (3 letters are enough)
    assert err == (
        "warning: workload.growth_per_month is 5: 500% a month, usage x2,176,782,336 in a year; did you mean 0.05?"
        " (growth is a fraction: 0.05 = 5% a month)"
    )


def test_ordinary_growth_is_not_warned_about(tmp_path: Path) -> None:
    code, _, err = _report(tmp_path, 0.05)  # x5.5 by month 36
    assert code == 0 and err == ""


def test_growth_compounding_past_a_thousandfold_over_the_horizon_is_said(tmp_path: Path) -> None:
    """qa18: growth_per_month 0.5 over 240 months put a 43-digit cash total in the table with no word; doubling every
    month (written as meant: no 'did you mean 0.01?') still multiplies usage 34 billion times over 36 months."""
    code, _, err = _report(tmp_path, 1.0)
    assert code == 0
    assert err == (
        "warning: workload.growth_per_month 1 compounds to usage x34,359,738,368 of month 1 by month 36"
        " (horizon_months); every total over the horizon rests on it: check the growth and the horizon"
    )
    code, _, err = _report(tmp_path, 0.2)  # x591 by month 36: steep, but below a thousandfold
    assert code == 0 and err == ""
