"""Where a field path lands in the scenario's pydantic models: the model at a path, a field's type and bounds."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from costcalc.errors import InputError, did_you_mean
from costcalc.models import Scenario


def model_in(annotation: Any, value: Any) -> Any:
    """The BaseModel class inside an annotation (Optional, tuple, Union by kind)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return model_in(typing.get_args(annotation)[0], value)
    if origin in (typing.Union, types.UnionType, tuple, list):
        candidates = [a for a in typing.get_args(annotation) if a is not type(None) and a is not Ellipsis]
        models = [model_in(a, value) for a in candidates]
        models = [m for m in models if isinstance(m, type) and issubclass(m, BaseModel)]
        if isinstance(value, dict) and "kind" in value:
            for m in models:
                kind = m.model_fields.get("kind")
                if kind is not None and value["kind"] in typing.get_args(kind.annotation):
                    return m
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return model_in(annotation, value[0])
        return models[0] if models else annotation
    return annotation


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
        if getattr(item, "name", None) == sel:
            return item
    raise InputError(f"no option named {sel!r}{did_you_mean(str(sel), [getattr(i, 'name', '') for i in items])}")


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
