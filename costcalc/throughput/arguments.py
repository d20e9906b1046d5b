"""Checks of the estimator's numeric arguments: each refusal names the parameter (the CLI says its flag)."""

from __future__ import annotations

import math
import numbers

from costcalc.errors import InputError


def number(value: object, param: str, *, least: float, whole: bool = False) -> float:
    """`value` as a finite number of at least `least` (a whole one when `whole`), else an InputError naming `param`:
    text, None, a bool, NaN or infinity would otherwise flow on into NaN throughputs or a TypeError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"must be a number, not {_shown(value)}", param=param)
    x = float(value)
    if not math.isfinite(x):
        raise InputError(f"must be a finite number, got {x}", param=param)
    if whole and not x.is_integer():
        raise InputError(f"must be a whole number, got {x:g}", param=param)
    if x < least:
        raise InputError(f"must be at least {least:g}, got {x:g}", param=param)
    return x


def text(value: object, param: str) -> str:
    """`value` when it is a string (an id or a name), else an InputError naming `param`."""
    if not isinstance(value, str):
        raise InputError(f"must be a string, not {_shown(value)}", param=param)
    return value


def _shown(value: object) -> str:
    """'str '10k'' / 'NoneType': what was passed, short."""
    name = type(value).__name__
    return f"{name} {value!r}" if isinstance(value, (str, bool)) else name
