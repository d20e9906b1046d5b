"""Time value of money: discounting, present value, payback with its fraction, IRR."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from costcalc.engine.finance import (
    discount_factors,
    discounted,
    irr_per_year,
    payback_months,
    present_value,
    whole_month,
)


def test_discount_factors_at_month_starts_and_ends() -> None:
    start, end = discount_factors(13, 0.10)
    assert start[0] == 1.0 and start[12] == pytest.approx(1 / 1.1)
    assert end[11] == pytest.approx(1 / 1.1)


def test_present_value_of_a_purchase_and_its_running_cost() -> None:
    # $12,000 now, $100 at the end of each of 12 months, $6,000 back at the end: at 0% that is 12,000 + 1,200 − 6,000
    up = np.r_[12_000.0, np.zeros(11)]
    run = np.full(12, 100.0)
    assert present_value(up, run, 6_000.0, 0.0) == pytest.approx(7_200.0)
    # at 10% a year the terminal value, a year away, is worth 6,000 / 1.1
    _, end = discount_factors(12, 0.10)
    assert present_value(up, run, 6_000.0, 0.10) == pytest.approx(12_000 + 100 * end.sum() - 6_000 / 1.1)


def test_payback_fraction_within_the_month() -> None:
    # Pan et al.'s form: C_hw + e·t = a·t → t* = C_hw / (a − e). $240,000, $126.72 against $3,590.54 a month.
    months = 84
    up = np.r_[240_000.0, np.zeros(months - 1)]
    run = np.full(months, 126.72 - 3_590.54)
    exact = payback_months(up, run)
    assert exact == pytest.approx(240_000 / (3_590.54 - 126.72))
    assert whole_month(exact) == 70


def test_payback_when_never_dearer_is_month_one() -> None:
    exact = payback_months(np.zeros(6), np.full(6, -10.0))
    assert exact == 0.0 and whole_month(exact) == 1


def test_discounted_payback_is_later() -> None:
    up = np.r_[10_000.0, np.zeros(35)]
    run = np.full(36, -500.0)
    plain = payback_months(up, run)
    late = payback_months(*discounted(up, run, 0.12))
    assert plain == pytest.approx(20.0)
    assert late is not None and late > plain


def test_irr_of_a_simple_investment() -> None:
    # pay 100 now, get 110 back at the end of month 12 (as the terminal value): 10% a year
    up = np.r_[-100.0, np.zeros(11)]
    assert irr_per_year(up, np.zeros(12), 110.0) == pytest.approx(0.10, abs=1e-9)
    # savings of 10 a month for 12 months on 100 up front: the monthly rate of a 12-month annuity
    rate = irr_per_year(up, np.full(12, 10.0), 0.0)
    assert rate is not None
    monthly = (1 + rate) ** (1 / 12) - 1
    assert 100 == pytest.approx(10 * (1 - (1 + monthly) ** -12) / monthly)


def test_irr_over_the_longest_horizon_is_the_annuitys_rate_without_overflow() -> None:
    # 10,000 up front, 100 a month saved for 240 months (the longest horizon): about 11.05% a year. The search's
    # lowest rate (-99% a month) discounts month 240 by 100^240, past any float: it read -100% a year (NaN signs),
    # with numpy's overflow warnings on stderr (`report --set horizon_months=160` of the CI example)
    up = np.r_[-10_000.0, np.zeros(239)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rate = irr_per_year(up, np.full(240, 100.0), 0.0)
    assert rate is not None
    monthly = (1 + rate) ** (1 / 12) - 1
    assert 10_000 == pytest.approx(100 * (1 - (1 + monthly) ** -240) / monthly, rel=1e-9)
    assert rate == pytest.approx(0.1105, abs=1e-4)


def test_no_irr_without_an_investment() -> None:
    assert irr_per_year(np.zeros(12), np.full(12, 5.0), 0.0) is None
    assert irr_per_year(np.r_[-100.0, np.zeros(11)], np.zeros(12), 0.0) is None


def test_discounted_flows_month_by_month() -> None:
    # 12% a year: up-front cash of month k (0-based) is worth 1.12^(-k/12), running cash 1.12^(-(k+1)/12)
    up, run = discounted(np.array([100.0, 100.0, 100.0]), np.array([10.0, 10.0, 10.0]), 0.12)
    np.testing.assert_allclose(up, 100.0 * 1.12 ** -(np.arange(3) / 12), rtol=1e-12)
    np.testing.assert_allclose(run, 10.0 * 1.12 ** -(np.arange(1, 4) / 12), rtol=1e-12)


def test_a_payback_on_a_month_boundary_falls_in_that_month() -> None:
    # $400 up front, $100 a month saved: paid back exactly 4 months from now, i.e. in month 4, not month 5
    exact = payback_months(np.r_[400.0, np.zeros(7)], np.full(8, -100.0))
    assert exact == pytest.approx(4.0)
    assert whole_month(4.0) == 4 and whole_month(4.0 + 1e-12) == 4 and whole_month(4.01) == 5
    assert whole_month(0.0) == 1 and whole_month(0.5) == 1


def test_amounts_above_a_billionth_of_a_dollar_are_money() -> None:
    # The rounding tolerance is a billionth of the flows' size, and never less than a billionth of a dollar:
    # $2e-9 still owed at the end is no payback, $5e-10 is rounding (paid back from the start).
    assert payback_months(np.array([2e-9]), np.array([0.0])) is None
    assert payback_months(np.array([5e-10]), np.array([0.0])) == 0.0
    # investing $1.5e-9 to get $3e-9 back a month later doubles the money in a month: 2^12 − 1 a year
    assert irr_per_year(np.array([-1.5e-9]), np.array([0.0]), 3e-9) == pytest.approx(2.0**12 - 1, rel=1e-9)
    assert irr_per_year(np.array([-5e-10]), np.array([0.0]), 3e-9) is None  # the investment is rounding


def test_payback_from_a_resale_at_the_next_months_start() -> None:
    # $100 dearer through month 1; $200 back at the start of month 2 (a resale): paid back exactly 1 month from now
    assert payback_months(np.array([100.0, -200.0]), np.zeros(2)) == 1.0


def test_exactly_a_billionth_of_a_dollar_is_rounding() -> None:
    # the tolerance is strict: $1e-9 dearer (a billionth of the $1 floor) is still no dearer, paid back from the start
    assert payback_months(np.array([1e-9]), np.array([0.0])) == 0.0


def test_a_month_that_ends_within_rounding_of_paid_back_pays_back_at_its_end() -> None:
    # $2e-9 dearer at the start of month 0, $1e-9 (the tolerance, at the $1 floor) at its end, then a $1 saving at
    # month 1's start: paid back at the end of month 0, 1.0 month, not at the line's zero two months out
    assert payback_months(np.array([2e-9, -1.0]), np.array([-1e-9, 0.0])) == 1.0
    # and a month that ends $0.50 dearer with the saving only next month: also its end
    assert payback_months(np.array([2.0, -3.0]), np.array([-1.5, 0.0])) == 1.0
