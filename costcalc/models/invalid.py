"""Pydantic's refusal of an input model's data as one InputError naming the field and how to fix it.

The one wording of a bad value: a scenario file (scenario/validate.py adds file:line), a dict, an override, and a
model built directly in Python (`costcalc.Scenario(...)`, models.base.Input) all say it the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from costcalc.errors import InputError, did_you_mean
from costcalc.textsafe import shown as shown_value
from costcalc.textsafe import shown_name
from costcalc.words import counted
from costcalc.written_dates import date_hint
from costcalc.written_numbers import read_written

INPUT_TYPES = (int, float, str, bool)
KINDS = ("api", "subscription", "self_hosted")
KIND_SYNONYMS = {  # words people write for a kind, and the kind they mean
    "seats": "subscription",
    "seat": "subscription",
    "plan": "subscription",
    "license": "subscription",
    "licence": "subscription",
    "saas": "subscription",
    "self-hosted": "self_hosted",
    "selfhosted": "self_hosted",
    "self hosted": "self_hosted",
    "hosted": "self_hosted",
    "gpu": "self_hosted",
    "gpus": "self_hosted",
    "owned": "self_hosted",
    "rented": "self_hosted",
    "rent": "self_hosted",
    "buy": "self_hosted",
    "on-prem": "self_hosted",
    "on_prem": "self_hosted",
    "tokens": "api",
    "per-token": "api",
    "per_token": "api",
}


class BooleanNotNumber:
    """A true/false written where a number belongs; every number field refuses it."""

    def __init__(self, value: bool) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "true" if self.value else "false"


def first_refusal(
    exc: ValidationError,
    model: type[BaseModel],
    data: Any,
    *,
    origin: str | None = None,
    line_of: Callable[[tuple[Any, ...]], int | None] = lambda path: None,
    quote_values: bool = True,
) -> tuple[InputError, tuple[Any, ...]]:
    """The error to fix first of `model` refusing `data`, as one InputError (at `origin`, the line `line_of` gives
    its path), and that path in `data`. quote_values=False keeps the offending value out of the message (a file the
    user did not write)."""
    errors = _relevant(exc.errors(include_url=False))
    # a misspelt key also makes its correct name 'missing'; the unknown key (with its hint) is the fix
    first = min(errors, key=lambda e: e["type"] != "extra_forbidden")
    error = _to_input_error(first, len(errors), model, data, origin, line_of, quote_values)
    return error, _data_path(first["loc"], data)[0]


def _relevant(errors: list[Any]) -> list[Any]:
    """Drop union noise: 'not a string' for fields that also take a file path, and follow-on length errors."""

    def noise(err: Any) -> bool:
        loc = err["loc"]
        if err["type"] == "string_type" and loc and loc[-1] in ("str", "constrained-str"):
            return True
        return err["type"] == "too_short" and any(e["loc"][: len(loc)] == loc and e is not err for e in errors)

    kept = [e for e in errors if not noise(e)]
    return kept or errors


def _aside(key: Any) -> str:
    """For a key named as a block kept aside for YAML anchors (docker compose's `x-common: &common`, GitLab CI's
    `.defaults`), where a scenario keeps them; '' for other keys. qa24: 'x-defaults' listed the allowed keys only."""
    if not str(key).startswith(("x-", ".")):
        return ""
    return (
        "; a scenario keeps no block aside for YAML anchors: put the anchor where its values are first written"
        " (`hardware: &hw {...}`) and merge it into the others (`hardware: {<<: *hw, hourly_usd: 2}`)"
    )


def _to_input_error(
    err: Any,
    count: int,
    model: type[BaseModel],
    data: Any,
    origin: str | None,
    line_of: Callable[[tuple[Any, ...]], int | None],
    quote_values: bool = True,
) -> InputError:
    data_path, shown = _data_path(err["loc"], data)
    line = line_of(data_path)
    kind = err["type"]
    more = f" (+{count - 1} more)" if count > 1 else ""
    if kind == "extra_forbidden":
        key = data_path[-1] if data_path else "?"
        allowed = sorted(_fields_at(model, err["loc"][:-1], data))
        hint = did_you_mean(str(key), allowed) or _aside(key) or f"; allowed keys: {', '.join(allowed)}"
        msg = f"unknown key {key!r}{hint}"
    elif kind == "missing":
        msg = "missing required field; add it"
    elif kind == "union_tag_invalid" or kind == "union_tag_not_found":
        got = (err.get("ctx") or {}).get("tag")
        hint = (did_you_mean(str(got).lower(), KINDS) or _synonym(str(got))) if got else ""  # 'API' too
        msg = (
            f"kind {shown_value(got)} is not one of api, subscription, self_hosted{hint}"
            if got
            else "kind is missing; use api, subscription or self_hosted"
        )
        shown = f"{shown}.kind" if shown else "kind"
        line = line_of((*data_path, "kind"))
    elif (shape := _shape_message(kind, err.get("input"), err.get("ctx") or {})) is not None:
        msg = shape
    elif kind in DATE_KINDS:  # pydantic's 'invalid character in year', 'should have zero time': say how to write it
        value = err.get("input")
        got = f" (got {shown_value(value)})" if quote_values and isinstance(value, INPUT_TYPES) else ""
        if quote_values and isinstance(value, dt.datetime):
            got = f" (got {value.isoformat(sep=' ')}, a date and a time)"
        msg = (
            f"not a date{got}; {date_hint(value)}"
            if value is not None
            else f"expected a date, got nothing; {date_hint(None)}"
        )
    else:
        text = str(err["msg"]).removeprefix("Value error, ")
        value = err.get("input")
        got = f" (got {shown_value(value)})" if quote_values and isinstance(value, INPUT_TYPES) else ""
        msg = f"{text}{got}" + _percent_hint(kind, data_path, value) + _number_hint(kind, data_path, value)
        msg += _choice_hint(kind, value, err.get("ctx") or {})
        if kind == "int_from_float":  # 2.5 where a count belongs
            msg += "; write a whole number"
        if line is not None:  # a value read from YAML text (a file's line), not one passed in Python
            msg += _quote_hint(kind, value)
        if isinstance(value, BooleanNotNumber):
            msg = f"expected a number, got {value!r} (YAML reads true/false, yes/no and on/off as booleans); write a number"
        elif ";" not in msg:  # pydantic said what is wrong, no hint said how to write it
            msg += fix_hint(kind, value, err.get("ctx") or {})
    return InputError(msg + more, file=origin, line=line, field=shown or None)


CURRENCY_CODE = r"^[A-Z]{3}$"  # models.pricing.Currency.code
# pydantic's refusals of a date field's value: text that is no date, a number, a date with a time, nothing
DATE_KINDS = ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type")


def fix_hint(kind: str, value: Any, ctx: Mapping[str, Any]) -> str:
    """How to write a value pydantic refused by a bound or a length ('; write 1 or more', '; shorten it to 200
    characters or fewer'), else ''."""
    bound = {k: f"{v:g}" if isinstance(v, int | float) else str(v) for k, v in ctx.items()}
    if kind == "greater_than":
        return f"; write a number above {bound['gt']}"
    if kind == "greater_than_equal":
        return f"; write {bound['ge']} or more"
    if kind == "less_than":
        return f"; write a number below {bound['lt']}"
    if kind == "less_than_equal":
        return f"; write {bound['le']} or less"
    if kind == "finite_number":  # nan or inf through --set or Python (a file's .nan is refused before pydantic)
        return "; write a plain number"
    if kind == "string_too_long":
        return f"; shorten it to {ctx['max_length']:,} characters or fewer"
    if kind == "string_too_short" and value == "":
        return "; it is empty: write the text"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == CURRENCY_CODE:
        return "; write the ISO 4217 code in capitals, e.g. EUR"
    return ""


MAPPING_TYPES = ("dict_type", "model_type", "model_attributes_type")  # pydantic's 'not a mapping' errors
LIST_TYPES = ("tuple_type", "list_type")  # and its 'not a list' errors
NUMBER_TYPES = ("float_type", "int_type")  # its 'not a number' errors for a value that is no text


def _shape_message(kind: str, value: Any, ctx: Mapping[str, Any]) -> str | None:
    """What to write where a mapping or a list was expected and something else was given, or None.

    Pydantic says 'Input should be a valid dictionary or instance of Workload'; a person needs to hear which YAML
    shape belongs there ('key: value' lines, or '- ' items) and what they wrote instead.
    """
    if kind in MAPPING_TYPES:
        fix = "; remove the '- ' before its keys" if isinstance(value, list) else ""
        return f"expected a mapping of 'key: value' lines, got {_shape_of(value)}{fix}"
    if kind in LIST_TYPES:
        fix = "; start each item with '- '" if isinstance(value, dict) else ""
        return f"expected a list of '- ' items, got {_shape_of(value)}{fix}"
    if kind in NUMBER_TYPES and isinstance(value, list | tuple):
        return f"expected one number, got {_shape_of(value)}; write a single number"
    if kind in NUMBER_TYPES and isinstance(value, dict):
        where = " (a {dist: ...} distribution is written in the scenario file)" if "dist" in value else ""
        return f"expected one number, got {_shape_of(value)}; write a single number{where}"
    if kind in NUMBER_TYPES and value is None:
        return "expected a number, got nothing; write a number"
    if kind in NUMBER_TYPES and not isinstance(value, (*INPUT_TYPES, BooleanNotNumber)):
        return f"expected a number, got {_python_object(value)}; write a single number"
    if kind == "too_short" and ctx.get("actual_length") == 0:
        least = ctx.get("min_length", 1)
        return f"the list is empty; add at least {least} item{'s' if least != 1 else ''}"
    if kind in ("too_short", "too_long") and isinstance(ctx.get("actual_length"), int):  # was pydantic's 'Tuple
        # should have at least 24 items after validation, not 23'
        bound, side = (ctx.get("min_length"), "at least") if kind == "too_short" else (ctx.get("max_length"), "at most")
        return f"{counted(ctx['actual_length'], 'item')} given; give {side} {bound}"
    return None


def _shape_of(value: Any) -> str:
    """'a list', 'a mapping', 'the text 'a'', 'the number 5', 'nothing' for a YAML value."""
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value:g}"
    if not isinstance(value, str):
        return _python_object(value)
    return f"the text {shown_value(value)}"


def _python_object(value: Any) -> str:
    """A value that only Python code passes (YAML reads none like it), by its type: pandas' missing value (a
    DataFrame's empty cell), a numpy array or pandas Series of several values, a date, anything else."""
    kind = type(value)
    if kind.__name__ in ("NAType", "NaTType"):  # pandas.NA, pandas.NaT
        return f"pandas' missing value {value!r} (an empty cell?)"
    size = getattr(value, "size", None)
    if isinstance(size, int) and hasattr(value, "shape"):  # numpy / pandas: say how many values it holds
        return f"a {kind.__module__.split('.')[0]} {kind.__name__} of {size:,} value{'' if size == 1 else 's'}"
    return f"a value of type {kind.__name__} ({shown_value(str(value))})"


def _choice_hint(kind: str, value: Any, ctx: Mapping[str, Any]) -> str:
    """' (did you mean: rent?)' for a near miss of one of a field's fixed values ('rented', 'vlm'), else ''."""
    if kind != "literal_error" or not isinstance(value, str):
        return ""
    return did_you_mean(value, re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))


def _synonym(kind: str) -> str:
    """' (did you mean: subscription?)' for a word people use for a kind ('seats'), else ''."""
    meant = KIND_SYNONYMS.get(kind.strip().lower())
    return f" (did you mean: {meant}?)" if meant else ""


def _quote_hint(kind: str, value: Any) -> str:
    """Where text belongs and YAML read a bare word as something else (`name: No` is false, `name: 2027` a number,
    `name: 2026-12-06` a date): put it in quotes; where nothing was written (`name:`), say so."""
    if kind != "string_type" or isinstance(value, str):
        return ""
    if value is None:
        return "; it is empty: write the text after the colon"
    if isinstance(value, bool):
        return "; YAML reads yes/no, on/off and true/false as booleans: put the text in quotes, e.g. 'No'"
    what = "date" if isinstance(value, (dt.date, dt.datetime)) else "number"
    return f"; YAML reads {value} as a {what}: put the text in quotes, e.g. '{value}'"


def _percent_hint(kind: str, data_path: tuple[Any, ...], value: Any) -> str:
    """'; shares are fractions: did you mean 0.6?' when a share, a rate or growth was written as a percentage."""
    field = str(data_path[-1]) if data_path else ""
    fractional = field.endswith(("_share", "_per_year", "_per_month")) or field in ("discount",)
    percent = isinstance(value, (int, float)) and 2 <= value <= 100 and float(value).is_integer()  # 60, not 1.5
    if kind in ("less_than_equal", "less_than") and fractional and percent:
        return f"; shares are fractions (0.6 = 60%): did you mean {value / 100:g}?"
    return ""


SUFFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "%": 0.01}  # what people append to numbers
TIME_UNITS = {"ms": 1.0, "s": 1000.0}  # for a field in milliseconds (..._ms)
SECOND_UNITS = {"ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}  # for one in seconds


def _number_hint(kind: str, data_path: tuple[Any, ...], value: Any) -> str:
    """'; write a plain number: did you mean 40000?' for '40k', '8%', '$2.49', '1.5s' (in an _ms field), '1,200';
    '; write a plain number (no units or suffixes)' for other text where a number belongs."""
    if kind not in ("float_parsing", "int_parsing") or not isinstance(value, str):
        return ""
    return "; " + number_hint(value, str(data_path[-1]) if data_path else "", whole=False)


def number_hint(text: str, name: str, *, whole: bool, seconds: bool = False) -> str:
    """How to write `text` (refused where a number belongs) as the plain number of `name` (a field or flag; a name
    ending in _ms or -ms counts milliseconds, one ending in _s or given `seconds` counts seconds): 'write a plain
    number: did you mean 40000?' for '40k', '1.5s', '2m' (seconds), '$2.49', '1,200'; 'write a whole number' when
    `whole` and it is not one; else 'write a plain number (no units ...)'."""
    seconds = seconds or name.endswith("_s")
    written = read_written(text)
    if written is not None:
        number, unit = written
        if name.endswith(("_ms", "-ms")):
            scale = TIME_UNITS.get(unit)
        elif seconds and unit:
            scale = SECOND_UNITS.get(unit)
        else:
            scale = SUFFIXES.get(unit) if unit else 1.0
        if scale is not None:
            value = number * scale
            if whole and not value.is_integer():
                return "write a whole number"
            shown = str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"  # 1000000, not 1e+06
            return f"write a plain number: did you mean {shown}?"
    if seconds and name[:2] == "--":  # --duration SECONDS: its name holds no unit
        return "write a plain number of seconds (no units or suffixes)"
    return f"write a plain number (no units or suffixes; the unit is in the {'flag' if name[:2] == '--' else 'field'}'s name)"


def shown_field(path: tuple[Any, ...], data: Any) -> str:
    """A data path as errors show it: 'options[GPT-5].model' for ('options', 0, 'model')."""
    return _data_path(path, data)[1]


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], str]:
    """Map pydantic's loc (with union tags) to a path in the data and a readable field name."""
    path: list[Any] = []
    shown = ""
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
            name = node.get("name") if isinstance(node, dict) else None
            shown += f"[{shown_name(name)}]" if isinstance(name, str) else f"[{part}]"
        elif isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
            shown += ("." if shown else "") + str(part)
        elif isinstance(node, dict) and isinstance(part, str) and not _is_tag(part, node):
            path.append(part)  # a missing key: point at its parent's line
            shown += ("." if shown else "") + part
            node = None
        # else: a union tag such as 'self_hosted' or a validator name: not part of the data path
    return tuple(path), shown


def _is_tag(part: str, node: dict[str, Any]) -> bool:
    # a union member's name ('Currency' in currency: Currency | str) is pydantic's, never a key (keys are snake_case)
    return (
        node.get("kind") == part
        or part[:1].isupper()
        or part.startswith(("function-", "tagged-union", "str", "dict", "constrained-"))
    )


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...], data: Any) -> set[str]:
    """Field names of the model that validates the mapping at `loc`."""
    current: Any = model
    annotation: Any = None  # of the last field: a list item's model is chosen by that item, not the first one
    node = data
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if annotation is not None and isinstance(node, dict):
                current = model_in(annotation, node)
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            continue  # a union tag; the next real field decides
        annotation = fields[part].annotation
        current = model_in(annotation, node.get(part) if isinstance(node, dict) else None)
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict) and hasattr(current, "__args__"):
        current = model_in(current, node)
    return set(getattr(current, "model_fields", {}))


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
