"""Counted nouns: the number decides the noun's form, as a person writes it."""

from __future__ import annotations

import pytest

from costcalc.words import counted


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
