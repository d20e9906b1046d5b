"""Engine tests: a numpy RuntimeWarning (division by zero, an invalid value) fails every hand-worked test.

The engine silences the ones it expects (np.errstate, arrays.divide); any other would reach the user's terminal.
Hypothesis tests are left out: a drawn extreme may warn without being wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).parents and not getattr(
            getattr(item, "obj", None), "is_hypothesis_test", False
        ):
            item.add_marker(pytest.mark.filterwarnings("error::RuntimeWarning"))
