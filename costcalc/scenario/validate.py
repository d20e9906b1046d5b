"""Validate loaded data against the input models; the first pydantic error becomes one InputError with file:line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from costcalc.errors import InputError
from costcalc.models.invalid import first_refusal
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
        text = next((t for at, t in (overridden or {}).items() if path[: len(at)] == at), None)
        if text is not None:
            error = InputError(error.detail, param="overrides", item=text)
        raise error from None
