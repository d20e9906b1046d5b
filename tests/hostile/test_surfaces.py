"""The corpus's bookkeeping: case ids are unique and every case counts under one surface."""

from __future__ import annotations

from collections import Counter

from tests.hostile.cases import CASES
from tests.hostile.surfaces import surface


def test_case_ids_are_unique() -> None:
    repeated = [name for name, n in Counter(c.id for c in CASES).items() if n > 1]
    assert repeated == []


def test_server_cases_count_under_their_server() -> None:
    for case in CASES:
        if case.server:
            assert surface(case).endswith("server"), case.id
        else:
            assert not surface(case).endswith("server"), case.id
