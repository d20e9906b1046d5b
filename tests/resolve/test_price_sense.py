"""A GPU price a scenario gives itself far outside the price tables' for that GPU is said, with the unit it was likely
written in (qa24: hourly_usd 24 on an H100, an 8-GPU instance's price, cost $140,160 a month, unsaid)."""

from __future__ import annotations

import pytest

from costcalc.pricing.book import PriceBook
from costcalc.resolve.price_sense import life_line, purchase_line, rental_line
from tests.support.cli import invoke

H100 = "h100-sxm-80gb"


@pytest.fixture(scope="module")
def book() -> PriceBook:
    return PriceBook.load(use_cache=False, on="2026-12-05")


def _rates(book: PriceBook) -> list[float]:
    return sorted(p.row.usd_per_gpu_hour for p in book.rows("rental") if p.row.gpu == H100)


def test_an_instances_price_written_per_gpu_hour_is_said_with_its_share(book: PriceBook) -> None:
    dearest = _rates(book)[-1]
    line = rental_line("Node", H100, 2 * dearest, 8, book)
    assert line.startswith(f"Node: hourly_usd {2 * dearest:,.2f} is a GPU-hour's price, 2.0x the dearest {H100} rental")
    assert line.endswith(
        f"if it is an instance's price, divide it by its GPUs (its 8-GPU instance: {2 * dearest / 8:,.2f})"
    )
    assert rental_line("Node", H100, dearest, None, book) == ""  # the table's own dearest: no word


def test_a_rate_far_under_the_cheapest_is_said(book: PriceBook) -> None:
    cheapest = _rates(book)[0]
    assert "check it (USD per GPU-hour)" in rental_line("Node", H100, cheapest / 10, None, book)
    assert rental_line("Node", H100, cheapest / 2, None, book) == ""  # a deal, not a slip
    assert rental_line("Node", "no-such-gpu", 1000.0, None, book) == ""  # no table prices to compare with


def test_one_gpus_price_written_for_a_server_is_said(book: PriceBook) -> None:
    line = purchase_line("Owned", H100, 30_000, 8, False, book)
    assert line.startswith(f"Owned: price_usd 30,000 buys a server of 8 GPUs ($3,750 a GPU), 0.12x the cheapest {H100}")
    assert line.endswith("if 30,000 is one GPU's price, write the server's (240,000), or gpus_per_server: 1")
    assert purchase_line("Owned", H100, 285_000, 8, False, book) == ""  # an HGX server's price
    assert purchase_line("Owned", H100, 30_000, 1, False, book) == ""  # one card


def test_the_report_says_it(tmp_path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "version: 1\nworkload: {requests_per_day: 200000, input_tokens: 1000, output_tokens: 250}\noptions:\n"
        "  - {name: Node, kind: self_hosted, model: llama-3.3-70b,\n"
        f"     hardware: {{gpu: {H100}, acquisition: rent, hourly_usd: 24, gpus_per_replica: 2, gpus_per_instance: 8}}}}\n",
        encoding="utf-8",
    )
    code, _, err = invoke("report", str(scenario), "--today", "2026-12-05")
    assert code == 0 and "warning: Node: hourly_usd 24.00 is a GPU-hour's price, 2.0x the dearest" in err
    assert "(its 8-GPU instance: 3.00)" in err


def test_a_life_far_past_the_tables_is_said(book: PriceBook) -> None:
    """qa24: useful_life_months 600 (50 years) depreciated a $9,000 GPU at $15 a month, unsaid."""
    usual = float(book.datacenter("useful_life_months").row.value)  # type: ignore[union-attr]
    assert life_line("Owned", int(usual * 2), book) == ""
    assert life_line("Owned", 600, book) == (
        f"Owned: useful_life_months 600 (50 years) is {600 / usual:.0f}x the data-centre table's {usual:g} months"
        " (servers are written off over 4 to 6 years), and each month's depreciation rests on it: check it"
    )


def test_the_report_says_a_long_life(tmp_path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "version: 1\nworkload: {requests_per_day: 40000, input_tokens: 1200, output_tokens: 250}\noptions:\n"
        "  - {name: Owned, kind: self_hosted, model: gpt-oss-20b, power: {idle_w_per_gpu: 80},\n"
        "     hardware: {gpu: l40s-48gb, acquisition: buy, price_usd: 9000, useful_life_months: 600}}\n",
        encoding="utf-8",
    )
    code, _, err = invoke("report", str(scenario), "--today", "2026-12-05")
    assert code == 0 and "warning: Owned: useful_life_months 600 (50 years) is" in err
