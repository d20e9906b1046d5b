"""Where a field path lands in the scenario's pydantic models: the model at a path, a field's type and bounds."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any

from pydantic.fields import FieldInfo

from costcalc.errors import InputError, option_hint
from costcalc.models import Scenario
from costcalc.textsafe import clean_name


def field_info(scenario: Scenario, parts: Sequence[str | int]) -> FieldInfo | None:
    """The pydantic FieldInfo of the leaf a path names (None when it is not a model field)."""
    model: Any = Scenario
    node: Any = scenario
    info: FieldInfo | None = None
    for part in parts:
        if isinstance(node, tuple):
            node = _pick(node, part)
            model = type(node)
            continue
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        info = fields[part]
        node = getattr(node, part, None)
        model = type(node)
    return info


def _pick(items: tuple[Any, ...], sel: str | int) -> Any:
    if isinstance(sel, int):
        return items[sel]
    for item in items:
        if getattr(item, "name", None) == clean_name(sel):  # names are kept cleaned (NFKC, no hidden characters)
            return item
    raise InputError(f"no option named {sel!r}{option_hint(str(sel), [getattr(i, 'name', '') for i in items])}")


def is_int_field(info: FieldInfo | None) -> bool:
    """True when a field takes whole numbers (int, Optional[int])."""
    if info is None:
        return False
    ann = info.annotation
    args = typing.get_args(ann) or (ann,)
    return int in args and float not in args


def bounds(info: FieldInfo | None) -> tuple[float, float, bool, bool]:
    """(low, high, low inclusive, high inclusive) from a field's ge/gt/le/lt constraints."""
    lo, hi, lo_inc, hi_inc = -float("inf"), float("inf"), True, True
    for m in getattr(info, "metadata", ()) if info is not None else ():
        for attr, is_low, inclusive in (
            ("ge", True, True),
            ("gt", True, False),
            ("le", False, True),
            ("lt", False, False),
        ):
            v = getattr(m, attr, None)
            if v is None:
                continue
            if is_low:
                lo, lo_inc = float(v), inclusive
            else:
                hi, hi_inc = float(v), inclusive
    return lo, hi, lo_inc, hi_inc
