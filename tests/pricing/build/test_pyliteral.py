"""Reading genai-prices' generated data module as data, never running it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from costcalc.errors import PricingError
from costcalc.pricing.build.pyliteral import read_assignment

MODULE = """
import datetime
from decimal import Decimal

providers: list[Provider] = [
    Provider(id='x', prices=ModelPrice(input_mtok=Decimal('0.75')), flags=(1, None, True),
             start=datetime.date(2027, 1, 1), at=datetime.time(1, 30, tzinfo=datetime.UTC), when={'a': 'b'}),
]
"""


def test_calls_become_typed_dicts_with_exact_numbers_and_dates() -> None:
    (provider,) = read_assignment(MODULE, "providers", "data.py")
    assert provider["_type"] == "Provider" and provider["id"] == "x"
    assert provider["prices"] == {"_type": "ModelPrice", "input_mtok": Decimal("0.75")}
    assert provider["flags"] == [1, None, True]
    assert provider["start"] == dt.date(2027, 1, 1)
    assert provider["at"] == dt.time(1, 30, tzinfo=dt.UTC)
    assert provider["when"] == {"a": "b"}


@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("providers = [__import__('os').system('true')]", "call of an expression"),
        ("providers = [open('f')]", "call of open"),
        ("providers = [Provider('positional')]", "positional arguments to Provider"),
        ("providers = [x + 1]", "BinOp"),
        ("providers = [some_name]", "Name"),
    ],
)
def test_anything_but_data_is_refused_with_its_line(code: str, what: str) -> None:
    with pytest.raises(PricingError, match=f"data.py:1: unexpected {what}"):
        read_assignment(code, "providers", "data.py")


def test_a_module_without_the_name_is_refused() -> None:
    with pytest.raises(PricingError, match="no module-level assignment to 'providers'"):
        read_assignment("other = []", "providers", "data.py")
