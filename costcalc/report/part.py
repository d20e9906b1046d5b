"""The base of the Result's parts: frozen, a wrong field refused in one line, a newer 1.x writer's keys ignored."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

# How a hand-built Result or part that was refused is made instead
MADE_BY = "a Result comes from costcalc.analyze(scenario), or Result.from_dict(a saved report's JSON)"


class Part(BaseModel):
    """Base of the Result's parts: immutable; keys a newer 1.x writer added are ignored when read."""

    model_config = ConfigDict(frozen=True, extra="ignore", protected_namespaces=())

    def __init__(self, /, **data: Any) -> None:
        """Built by costcalc (analysis/costing.py); built by hand, a wrong, missing or unknown field raises one
        TypeError line naming it (was pydantic's multi-line ValidationError; an unknown one was dropped silently).
        Not costcalc's InputError: a bug inside costcalc still crashes with its traceback and crash log (exit 70)."""
        from pydantic import ValidationError

        from costcalc.errors import did_you_mean
        from costcalc.models.invalid import first_refusal

        name = type(self).__name__
        fields = type(self).model_fields
        for key in data:
            if key not in fields:
                raise TypeError(f"{name}(...): {key}: unknown field{did_you_mean(key, list(fields))}; {MADE_BY}")
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise TypeError(f"{first_refusal(exc, type(self), data, origin=f'{name}(...)')[0]}; {MADE_BY}") from None

    # pydantic's flag for an __init__ that only wraps its own (models/base.py): from_dict and nested parts validate
    # without calling it, so a newer writer's extra keys stay ignored when read
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        """A Result is immutable: setting a field raises one AttributeError line (was pydantic's ValidationError)."""
        if name.startswith("_"):  # pydantic's own private state
            super().__setattr__(name, value)
            return
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(
            f"{type(self).__name__}.{name} is read-only (a Result is frozen); costcalc.analyze on a changed scenario "
            "gives a new one"
        )


__all__ = ["MADE_BY", "Part"]
