"""Shared pydantic base for user-written input: frozen, unknown keys refused, finite numbers, no booleans as numbers."""

from __future__ import annotations

import json
import math
import re
import types
import typing
from dataclasses import FrozenInstanceError
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator

from costcalc.errors import did_you_mean
from costcalc.models.invalid import BooleanNotNumber, first_refusal

MAX_TEXT_CHARS = 4096  # any string a scenario holds (a path is at most this long)


class Input(BaseModel):
    """Base of every user-facing input model: strict about unknown keys, immutable.

    inf and NaN are refused everywhere (`.inf` in YAML, 1e400), and so is `true`/`false` where a
    number is expected (YAML reads `yes` as true; pydantic would take it as 1).
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False, str_max_length=MAX_TEXT_CHARS
    )

    def __init__(self, /, **data: Any) -> None:
        """Built from keyword arguments (`costcalc.Scenario(version=1, ...)`): bad data raises the InputError a
        scenario file's would (models.invalid), at 'Scenario(...)', not pydantic's multi-line ValidationError."""
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _refused(exc, type(self), data, "") from None

    # pydantic's own flag for an __init__ that only wraps its own (as RootModel's does): model_validate and nested
    # models keep validating without calling it, so a file's errors keep their file:line and full field path
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        """Inputs are immutable: setting a field raises one line saying how to change a copy (pydantic said '1
        validation error for Scenario ... Instance is frozen' and a URL)."""
        if name.startswith("_"):  # pydantic's own private state
            super().__setattr__(name, value)
            return
        raise frozen_error(type(self), name, value)

    def __delattr__(self, name: str) -> None:
        """As __setattr__: a field cannot be removed from an input."""
        if name.startswith("_"):
            super().__delattr__(name)
            return
        raise frozen_error(type(self), name, None)

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """pydantic's model_validate; bad data raises the InputError `Input(...)` does, at 'Scenario.model_validate(...)'
        (the loader validates through scenario.validate, which says the file and line)."""
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _refused(exc, cls, obj, "model_validate") from None

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> Self:
        """pydantic's model_validate_json; bad JSON or data raises an InputError, as model_validate does."""
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as exc:
            try:  # the data, to name the field at fault; None where the text is no JSON (the error says so)
                data = json.loads(json_data)
            except ValueError:
                data = None
            raise _refused(exc, cls, data, "model_validate_json") from None

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, data: Any) -> Any:
        """true/false given for a number becomes a marker its field refuses (so the error names that field)."""
        if not isinstance(data, dict):
            return data
        out = None
        for key, value in data.items():
            field = cls.model_fields.get(key) if isinstance(key, str) else None
            if field is None:
                continue
            items = value if isinstance(value, (list, tuple)) else (value,)
            if any(_is_boolean(v) for v in items) and wants_number(field.annotation):
                out = dict(data) if out is None else out
                out[key] = (
                    type(value)(BooleanNotNumber(v) if _is_boolean(v) else v for v in value)
                    if isinstance(value, (list, tuple))
                    else BooleanNotNumber(value)
                )
        return data if out is None else out

    @field_validator("name", mode="after", check_fields=False)
    @classmethod
    def _clean_name(cls, value: Any) -> Any:
        """Names are shown and compared as NFKC text without control, zero-width or bidi characters."""
        if not isinstance(value, str):
            return value
        from costcalc.textsafe import clean_name

        cleaned = clean_name(value)
        if not cleaned:
            raise ValueError("a name needs visible characters")
        return cleaned

    @field_validator("*", mode="after")
    @classmethod
    def _plausible(cls, value: Any, info: ValidationInfo) -> Any:
        """Numbers past costcalc.limits' bounds are refused: a typo or a unit mix-up, and they would overflow."""
        from costcalc.limits import value_problem

        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, (int, float)) and not isinstance(item, bool) and info.field_name:
                problem = value_problem(info.field_name, _as_float(item))
                if problem:
                    raise ValueError(problem)
        return value


def _is_boolean(value: Any) -> bool:
    """Python's bool, or numpy's (np.True_, a DataFrame's boolean cell), which pydantic took as the number 1 or 0."""
    kind = type(value)
    return isinstance(value, bool) or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"))


def frozen_error(model: type[BaseModel], name: str, value: Any) -> FrozenInstanceError:
    """The one-line refusal of changing an input in place (an AttributeError, as a frozen dataclass's), naming the
    field and the validated way to a changed copy: load_scenario's overrides, in the --set syntax."""
    kind = model.__name__
    if name not in model.model_fields:
        hint = did_you_mean(name, list(model.model_fields))
        return FrozenInstanceError(f"{kind} has no field {name!r}{hint}, and costcalc inputs are frozen")
    said = _override_value(value)
    if kind == "Scenario":
        how = f"costcalc.load_scenario(scenario, overrides=[{f'{name}={said}'!r}])"
    else:
        how = (
            f"costcalc.load_scenario(scenario, overrides=[{f'PATH.{name}={said}'!r}]), PATH as --set writes it "
            "(e.g. workload, options[NAME].hardware)"
        )
    return FrozenInstanceError(
        f"{kind}.{name} is read-only (costcalc inputs are frozen); make a changed, validated copy: {how}"
    )


def _override_value(value: Any) -> str:
    """`value` as an override writes it where it reads back as itself (a number, a plain word), else VALUE."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z][\w.\-/]*", value):
        return value
    return "VALUE"


def _refused(exc: ValidationError, model: type[BaseModel], data: Any, method: str) -> Exception:
    """pydantic's refusal of `data` as the one-line InputError a scenario file gets (models.invalid), at
    'Scenario(...)' or 'Scenario.model_validate(...)'."""
    origin = f"{model.__name__}.{method}(...)" if method else f"{model.__name__}(...)"
    return first_refusal(exc, model, data, origin=origin)[0]


def _as_float(number: float) -> float:
    """The number as a float; an integer beyond float range counts as infinite."""
    try:
        return float(number)
    except OverflowError:
        return math.inf


def wants_number(annotation: Any) -> bool:
    """Whether a field takes numbers and not booleans (int, float, their Optional and tuple forms)."""
    found: set[Any] = set()
    stack = [annotation]
    while stack:
        item = stack.pop()
        origin = typing.get_origin(item)
        if origin is typing.Annotated:
            stack.append(typing.get_args(item)[0])
        elif origin in (typing.Union, types.UnionType, tuple, list):
            stack.extend(a for a in typing.get_args(item) if a is not Ellipsis)
        else:
            found.add(item)
    return bool(found & {int, float}) and bool not in found
