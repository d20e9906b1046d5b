"""Valid but unlikely inputs are warned about with the value probably meant; a short currency source is accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


GERMAN = """\
version: 1
workload: {{requests_per_day: {requests}, input_tokens: 500, output_tokens: 100}}
options:
  - {{name: API, kind: api, prices: {{input_usd_per_mtok: 2.500, output_usd_per_mtok: 4}}}}
  - {{name: Seats, kind: subscription, usd_per_seat_month: 25, seats: {seats}}}
"""


def _german(tmp_path: Path, requests: str = "1.000", seats: str = "12", *args: str) -> tuple[int, str, str]:
    path = tmp_path / "s.yaml"
    path.write_text(GERMAN.format(requests=requests, seats=seats))
    return invoke("report", str(path), "--today", "2026-11-02", "-f", "json", *args)


def test_a_count_written_with_a_dot_before_three_digits_says_both_readings(tmp_path: Path) -> None:
    """qa18 left it: `requests_per_day: 1.000` (German for 1000) was costed as 1 request a day without a word. It
    stays read as YAML reads it (a decimal point: 1.000 may be meant), with the number a thousands separator means."""
    code, out, err = _german(tmp_path, "1.000", "12.000")
    assert code == 0
    assert json.loads(out)["workload"]["requests_per_month"] == pytest.approx(730 / 24)  # 1 a day, as written
    assert err.splitlines() == [
        "warning: workload.requests_per_day: 1.000 is read as 1 (in YAML a dot is a decimal point); if the dot"
        " separates thousands, write 1000",
        "warning: options[Seats].seats: 12.000 is read as 12 (in YAML a dot is a decimal point); if the dot separates"
        " thousands, write 12000",
    ]


@pytest.mark.parametrize("requests", ["1000", "1.5", "1.50", "1.0", "1000.000", "1e3"])
def test_other_numbers_and_other_fields_are_not_warned_about(tmp_path: Path, requests: str) -> None:
    code, _, err = _german(tmp_path, requests)  # the API's price 2.500 a million tokens is a price, not a count
    assert code == 0 and err == ""


def test_a_value_set_since_is_not_warned_about(tmp_path: Path) -> None:
    code, _, err = _german(tmp_path, "1.000", "12", "--set", "workload.requests_per_day=1000")
    assert code == 0 and err == ""


def test_a_whole_number_field_refusing_a_fraction_names_the_thousands_too(tmp_path: Path) -> None:
    code, out, err = _german(tmp_path, "1000", "2.500")
    assert code == 2 and out == ""
    assert err.rstrip().endswith("(got 2.5); write a whole number; if the dot separates thousands, write 2500")


def test_a_count_typed_with_a_dot_before_three_digits_says_both_readings(tmp_path: Path) -> None:
    code, _, err = _german(tmp_path, "1000", "12", "--set", "workload.requests_per_day=2.500")
    assert code == 0
    assert err.strip() == (
        "warning: workload.requests_per_day: 2.500 is read as 2.5 (in YAML a dot is a decimal point); if the dot"
        " separates thousands, write 2500"
    )
