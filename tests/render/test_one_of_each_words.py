"""A count of one reads in the singular wherever a report, simulate or sensitivity says it (qa15): a one-month horizon,
one user, one engineer-hour and one seat read '1 months', '1 users', '1 engineer-hours' and '1 seats'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cli import invoke

ONES = """\
version: 1
name: Ones
horizon_months: 1
workload:
  requests_per_day: 1000
  input_tokens: 1000
  output_tokens: 200
  users: 1
options:
  - name: API
    kind: api
    prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 1}
  - name: Seats
    kind: subscription
    usd_per_seat_month: 1
  - name: Owned
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {gpu: h100-sxm-80gb, acquisition: buy, price_usd: 1000, useful_life_months: 1}
    operations: {engineer_hours_per_month: 1, hourly_rate_usd: 1}
"""
PLURAL_OF_ONE = re.compile(r"\b1 (months|users|engineer-hours|seats)\b")


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--details"),
        ("report", "-f", "markdown"),
        ("report", "-f", "html"),
        ("simulate", "-n", "100", "--seed", "1"),
        ("sensitivity",),
    ],
    ids=["terminal", "markdown", "html", "simulate", "sensitivity"],
)
def test_one_of_anything_is_said_in_the_singular(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "ones.yaml"
    path.write_text(ONES, encoding="utf-8")
    code, out, err = invoke(args[0], str(path), *args[1:], "--today", "2026-12-07")
    assert code == 0, err
    text = re.sub(r"<[^>]+>", "", out)
    assert PLURAL_OF_ONE.findall(text) == []
    assert re.search(r"\b1 (month|user|engineer-hour|seat)\b", text)
