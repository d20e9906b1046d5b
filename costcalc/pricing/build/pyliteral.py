"""Read a generated Python data module (genai-prices' data.py) as plain data, without running it."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from typing import Any

from costcalc.errors import PricingError

TYPE_KEY = "_type"  # the constructor's name, kept on every object read from a call


def read_assignment(source: str, name: str, origin: str) -> Any:
    """The value assigned to the module-level `name`, as dicts, lists, Decimals, dates and times.

    A call `Provider(id='x', ...)` becomes `{'_type': 'Provider', 'id': 'x', ...}`. Only literals,
    keyword calls and the stdlib constructors the data module uses are understood; anything else
    is refused with its line, so nothing in the file is ever executed.
    """
    try:
        tree = ast.parse(source, filename=origin)
    except SyntaxError as exc:
        raise PricingError(f"not Python: {exc.msg}", file=origin, line=exc.lineno) from None
    for node in tree.body:
        target = None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        if target == name and value is not None:
            return _value(value, origin)
    raise PricingError(f"no module-level assignment to {name!r}; is this the expected data module?", file=origin)


def _dotted(node: ast.expr) -> str:
    """'datetime.date' for an attribute chain, 'Decimal' for a name, '' otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def _value(node: ast.expr, origin: str) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_value(item, origin) for item in node.elts]
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise _refuse(node, origin, "dict unpacking")
        return {_value(k, origin): _value(v, origin) for k, v in zip(node.keys, node.values)}  # type: ignore[arg-type]
    if isinstance(node, ast.Attribute) and _dotted(node) in ("datetime.UTC", "datetime.timezone.utc"):
        return dt.UTC
    if isinstance(node, ast.Call):
        return _call(node, origin)
    raise _refuse(node, origin, type(node).__name__)


def _call(node: ast.Call, origin: str) -> Any:
    name = _dotted(node.func)
    args = [_value(a, origin) for a in node.args]
    kwargs = {}
    for kw in node.keywords:
        if kw.arg is None:
            raise _refuse(node, origin, "** arguments")
        kwargs[kw.arg] = _value(kw.value, origin)
    if name == "Decimal" and len(args) == 1 and not kwargs and isinstance(args[0], (str, int)):
        return Decimal(args[0])
    if name in ("datetime.date", "date"):
        return dt.date(*args, **kwargs)
    if name in ("datetime.time", "time"):
        return dt.time(*args, **kwargs)
    if not name or "." in name or not name[:1].isupper():
        raise _refuse(node, origin, f"call of {name or 'an expression'}")
    if args:
        raise _refuse(node, origin, f"positional arguments to {name}")
    return {TYPE_KEY: name, **kwargs}


def _refuse(node: ast.AST, origin: str, what: str) -> PricingError:
    return PricingError(
        f"unexpected {what} in a data module; the upstream format changed, update the build",
        file=origin,
        line=getattr(node, "lineno", None),
    )
