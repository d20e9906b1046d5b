"""Read-only mappings for the Result's dict fields (costs by line, by option): frozen as the Result is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, NoReturn, TypeVar

from pydantic import AfterValidator

K = TypeVar("K")
V = TypeVar("V")

REFUSAL = (
    "a Result's mappings are read-only (a Result is frozen); dict(...) gives a copy to change, and costcalc.analyze"
    " on a changed scenario gives a new Result"
)


class ReadOnlyDict(dict[K, V]):
    """A dict whose every change raises one TypeError line; read, copied, pickled and written to JSON as a dict is.

    A dict subclass rather than a MappingProxyType, so that copy.deepcopy, pickle and dataclasses.asdict keep working
    on a Result; `dict(d)` and `d.copy()` give a plain dict to change."""

    def __setitem__(self, key: K, value: V) -> NoReturn:
        raise TypeError(REFUSAL)

    def __delitem__(self, key: K) -> NoReturn:
        raise TypeError(REFUSAL)

    def __ior__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        raise TypeError(REFUSAL)

    def clear(self) -> NoReturn:
        raise TypeError(REFUSAL)

    def pop(self, *args: Any) -> NoReturn:
        raise TypeError(REFUSAL)

    def popitem(self) -> NoReturn:
        raise TypeError(REFUSAL)

    def setdefault(self, *args: Any) -> NoReturn:
        raise TypeError(REFUSAL)

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(REFUSAL)

    def __reduce__(self) -> tuple[type[ReadOnlyDict[K, V]], tuple[dict[K, V]]]:
        """Pickled and deep-copied by its items (the default way sets them one by one, which is refused)."""
        return (type(self), (dict(self),))


def read_only(value: Mapping[K, V]) -> ReadOnlyDict[K, V]:
    """The validated mapping, read-only."""
    return value if isinstance(value, ReadOnlyDict) else ReadOnlyDict(value)


# a Result field: validated as a dict of these values, stored read-only, serialised as a dict
CostByName = Annotated[Mapping[str, float], AfterValidator(read_only)]
SeriesByName = Annotated[Mapping[str, tuple[float, ...]], AfterValidator(read_only)]


__all__ = ["REFUSAL", "CostByName", "ReadOnlyDict", "SeriesByName", "read_only"]
