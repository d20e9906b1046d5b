"""Counted nouns: the number decides the noun's form, as a person writes it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from costcalc.words import (
    count,
    counted,
    fractional_count,
    half_up,
    half_up_significant,
    milliseconds,
    power_of_ten,
    tokens,
)


@pytest.mark.parametrize(
    ("count", "noun", "plural", "said"),
    [
        (0, "price", None, "0 prices"),
        (1, "price", None, "1 price"),
        (2, "price", None, "2 prices"),
        (1_200, "uncertain input", None, "1,200 uncertain inputs"),
        (3, "replica", None, "3 replicas"),
        (2, "box", "boxes", "2 boxes"),
    ],
)
def test_counted(count: int, noun: str, plural: str | None, said: str) -> None:
    assert counted(count, noun, plural) == said


@pytest.mark.parametrize(("n", "said"), [(0, "0"), (42, "42"), (131_072, "131,072"), (5_000_250, "5,000,250")])
def test_count_has_thousands_separators(n: int, said: str) -> None:
    assert count(n) == said


@pytest.mark.parametrize(
    ("ms", "said"),
    [
        (2_870.4, "2,870 ms"),
        (3_000.0, "3,000 ms"),  # a target given as 3000 read '3000 ms' beside '2,870 ms'
        (100.0, "100 ms"),
        (99.96, "100 ms"),  # named by what it rounds to, never '100.0 ms'
        (99.94, "99.9 ms"),
        (33.333, "33.3 ms"),
        (50.0, "50 ms"),  # a target as given, not '50.0 ms'
        (4.96, "5 ms"),
        (0.8, "0.8 ms"),
        (-0.04, "0 ms"),
        (float("inf"), "inf ms"),
    ],
)
def test_milliseconds_one_spelling(ms: float, said: str) -> None:
    assert milliseconds(ms) == said


@pytest.mark.parametrize(
    ("x", "places", "rounded"),
    [(1.095, 2, 1.1), (2.675, 2, 2.68), (232.5, 0, 233.0), (-1.095, 2, -1.1), (1.0949, 2, 1.09), (1e30, 2, 1e30)],
)
def test_half_up_rounds_the_written_decimal_halves_away_from_zero(x: float, places: int, rounded: float) -> None:
    assert half_up(x, places) == rounded


def test_half_up_takes_numpy_floats_and_leaves_non_finite_values() -> None:
    assert half_up(np.float64(1.095), 2) == 1.1
    assert half_up_significant(np.float64(3_125.0), 3) == 3_130.0
    assert math.isnan(half_up(math.nan, 2)) and half_up(math.inf, 2) == math.inf


def test_a_count_that_may_hold_a_fraction_shows_its_value() -> None:
    # a usage cap of 0.5 requests a seat a month read "0" (count); 100 and above whole, as count says them
    cases = {
        40_000: "40,000",
        9_733.33: "9,733",
        43.45: "43.5",
        2.0: "2",
        0.5: "0.5",
        1 / 3: "0.333",
        0.00012: "0.00012",
    }
    assert {n: fractional_count(n) for n in cases} == cases


@pytest.mark.parametrize(
    ("volume", "said"),
    [
        (0.5, "0.5"),  # a chart's volume ticks under one token read '0 0 0 0 1' (qa23 finding 12)
        (0.0608, "0.0608"),
        (0.0, "0"),
        (12.7, "13"),
        (2.5e15, "2,500T"),
        (9_990e12, "9,990T"),
        (9_999.6e12, "1e16"),  # rounds to 10,000T: past the named sizes
        (3.04e18, "3.04e18"),  # was '3,040,000T' (qa23 finding 13)
    ],
)
def test_token_volumes_below_one_and_past_ten_thousand_trillion_read_as_their_values(volume: float, said: str) -> None:
    assert tokens(volume) == said


@pytest.mark.parametrize(
    ("x", "said"), [(3.04e18, "3.04e18"), (1e18, "1e18"), (-2.5e20, "-2.5e20"), (1.2345e21, "1.23e21")]
)
def test_a_power_of_ten_has_three_significant_digits_and_no_plus_sign(x: float, said: str) -> None:
    assert power_of_ten(x) == said
