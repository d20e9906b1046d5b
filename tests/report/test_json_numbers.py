"""report/json_numbers: a figure is a number or null, and a null says why."""

from __future__ import annotations

import math

from costcalc.report.json_numbers import ABSENT, NEVER, NO_LONGER_NEVER, number, why_key, with_why


def test_a_finite_number_is_itself_and_needs_no_reason():
    assert number(12.5) == (12.5, None) and number(3) == (3, None) and number(0.0) == (0.0, None)


def test_an_infinity_is_null_and_what_it_stands_for():
    assert number(math.inf) == (None, NEVER)
    assert number(-math.inf, infinite="became_never", minus_infinite=NO_LONGER_NEVER) == (None, NO_LONGER_NEVER)
    assert number(-math.inf, infinite="up_from_zero") == (None, "up_from_zero")  # one word for both signs


def test_a_missing_value_is_null_with_the_callers_reason():
    assert number(None) == (None, None) and number(math.nan, missing=ABSENT) == (None, ABSENT)


def test_with_why_writes_the_figure_and_its_sibling():
    assert with_why("after", math.inf) == {"after": None, "after_is": "never"}
    assert with_why("after", 7.0, missing=ABSENT) == {"after": 7.0, "after_is": None}


def test_a_per_option_column_keeps_its_option_last_in_the_sibling():
    assert why_key("after") == "after_is"
    assert why_key("break_even_tokens_per_month[H100 [eu]]") == "break_even_tokens_per_month_is[H100 [eu]]"
    assert with_why("break_even_tokens_per_month[A]", math.nan, missing=NEVER) == {
        "break_even_tokens_per_month[A]": None,
        "break_even_tokens_per_month_is[A]": NEVER,
    }
