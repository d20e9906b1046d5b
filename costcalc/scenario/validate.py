"""Validate loaded data against the input models; the first pydantic error becomes one InputError with file:line."""

from __future__ import annotations

import copy
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from costcalc.errors import InputError
from costcalc.models.invalid import first_refusal, shown_field
from costcalc.scenario.yamlio import YamlDoc

M = TypeVar("M", bound=BaseModel)


def validate(
    model: type[M],
    data: Any,
    doc: YamlDoc,
    *,
    quote_values: bool = True,
    overridden: Mapping[tuple[Any, ...], str] | None = None,
) -> M:
    """Validate `data` against `model`; the first error becomes one InputError with file:line and field.

    quote_values=False keeps the offending value out of the message (a file the user did not write).
    overridden: data paths set by `--set PATH=VALUE` (→ that text): an error there names the override, not the
    file's line of the value it replaced.
    """
    try:  # pydantic's validator itself: an Input's model_validate would word the error without the file's lines
        validated: M = model.__pydantic_validator__.validate_python(data)
        return validated
    except ValidationError as exc:
        error, path = first_refusal(exc, model, data, origin=doc.origin, line_of=doc.line_of, quote_values=quote_values)
        blamed = _blamed_override(path, overridden or {}, doc) or _blamed_inside(model, data, path, overridden, doc)
        lacking = None if blamed is None else _lacking(model, doc.data, path, blamed[0])
        if blamed is not None and lacking is not None:  # the file lacks a required mapping the override set part of
            error = InputError(
                f"missing required field; add it (overrides={blamed[1]!r} sets only part of it: {error.field} is"
                " missing)",
                file=doc.origin,
                line=doc.line_of(lacking[:-1]) or 1,
                field=shown_field(lacking, doc.data),
                mentions=("overrides",),
            )
        elif blamed is None and (written := doc.written.get(path)) is not None and "whole number" in error.detail:
            # 'seats: 2.500' is 2.5 in YAML, 2500 where a dot separates thousands (German): say both
            meant = written.lstrip("+").replace(".", "")
            error = error.moved(
                f"{error.detail}; if the dot separates thousands, write {meant}", file=error.file, line=error.line
            )
        elif blamed is not None:
            at, text = blamed
            # below the value the override set ('workload={}' lacks output_tokens): say which field; above it (the
            # check of a mapping it set a value in) the override's own path names it
            above = len(path) < len(at) and at[: len(path)] == path
            detail = f"{error.field}: {error.detail}" if error.field and path != at and not above else error.detail
            error = InputError(detail, param="overrides", item=text)
        raise error from None


def _blamed_override(
    path: tuple[Any, ...], overridden: Mapping[tuple[Any, ...], str], doc: YamlDoc
) -> tuple[tuple[Any, ...], str] | None:
    """(path, 'PATH=VALUE') of the override an error at `path` is due to, or None where the file's line is at fault:
    one that set `path` or a value holding it; one that created the mapping it lies in, which has no line in the
    file (`currency.code=EUR` leaves currency.per_usd missing); one that changed the kind of the option it lies in
    (`options[A].kind=self_hosted` makes its prices an unknown key)."""
    for at, text in overridden.items():
        if path[: len(at)] == at:
            return at, text
    in_file = _depth_in(doc.data, path)
    for at, text in overridden.items():
        shared = next((i for i, (a, b) in enumerate(zip(at, path, strict=False)) if a != b), min(len(at), len(path)))
        if shared > in_file or (at[-1:] == ("kind",) and path[: len(at) - 1] == at[:-1]):
            return at, text
    return None


def _blamed_inside(
    model: type[BaseModel],
    data: Any,
    path: tuple[Any, ...],
    overridden: Mapping[tuple[Any, ...], str] | None,
    doc: YamlDoc,
) -> tuple[tuple[Any, ...], str] | None:
    """(path, 'PATH=VALUE') of an override inside the mapping at `path` whose whole check failed
    (`--set workload.hourly_profile[0]=-1` breaks workload's 'hourly_profile needs 24 non-negative values'), where the
    file's own mapping there passes that check; None where the file's own mapping fails it too, or no override set a
    value inside it."""
    inside = [(at, text) for at, text in (overridden or {}).items() if len(at) > len(path) and at[: len(path)] == path]
    if not inside or not path or _depth_in(doc.data, path) < len(path) or _depth_in(data, path) < len(path):
        return None
    own, trial = doc.data, copy.deepcopy(data)
    node = trial
    for part in path[:-1]:
        own, node = own[part], node[part]
    node[path[-1]] = copy.deepcopy(own[path[-1]])  # the file's own mapping in place of the overridden one
    try:
        model.__pydantic_validator__.validate_python(trial)
    except ValidationError as again:
        if first_refusal(again, model, trial)[1] == path:
            return None  # the file's own mapping fails the same check: its line is at fault
    return inside[0]


def _lacking(model: type[BaseModel], data: Any, path: tuple[Any, ...], at: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The path of a required mapping the file lacks, when the override at `at` set only a part of it and the error
    at `path` lies in it (`--set workload.growth_per_month=0.05` on a file without `workload:`): the file is at fault,
    not the override. None otherwise: the override set the mapping whole, or created an optional one (`currency`)."""
    depth = _depth_in(data, path)
    container = path[: depth + 1]
    if len(container) <= depth or len(at) <= len(container) or at[: len(container)] != container:
        return None
    node: type[BaseModel] = model
    for part in container[:-1]:  # the model holding the container, where each step names a single model
        inner = _only_model(node.model_fields[part].annotation) if part in node.model_fields else None
        if inner is None:
            return None
        node = inner
    name = container[-1]
    if not isinstance(name, str) or name not in node.model_fields:
        return None
    return container if node.model_fields[name].is_required() else None


def _only_model(annotation: Any) -> type[BaseModel] | None:
    """The one pydantic model an annotation names (`Workload | str` -> Workload), else None."""
    found = [
        a for a in (typing.get_args(annotation) or (annotation,)) if isinstance(a, type) and issubclass(a, BaseModel)
    ]
    return found[0] if len(found) == 1 else None


def _depth_in(data: Any, path: tuple[Any, ...]) -> int:
    """How many steps of `path` the document's own data holds (0: not even the first key)."""
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and -len(node) <= part < len(node):
            node = node[part]
        else:
            return depth
    return len(path)
