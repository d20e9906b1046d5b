"""Whether benchmark files measured the model an option serves: the warning where one names another catalog model."""

from __future__ import annotations

from collections.abc import Iterable

from costcalc.catalog.specs import ModelSpec
from costcalc.errors import CatalogError
from costcalc.throughput.points import OperatingPoint


def catalog_model(name: str) -> ModelSpec | None:
    """The catalog model a benchmark's model name is (its id, its Hugging Face repo, or a local folder named like
    the repo: '/models/Llama-3.1-8B-Instruct'); None for a name the catalog does not hold (a served alias)."""
    from costcalc.catalog import get_model

    folder = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    for candidate in dict.fromkeys((name, folder)):
        try:
            return get_model(candidate)
        except CatalogError:
            continue
    return None


def other_model_warnings(points: Iterable[OperatingPoint], model: ModelSpec) -> list[str]:
    """One warning per file and model where a file's run names a catalog model other than `model`: its capacity is
    another model's (a run under a name the catalog does not hold is taken as the option's)."""
    said: set[tuple[str, str]] = set()
    out = []
    for point in points:
        if not isinstance(point.model, str) or (point.source, point.model) in said:
            continue
        said.add((point.source, point.model))
        measured = catalog_model(point.model)
        if measured is not None and measured.id != model.id:
            out.append(
                f"{point.source} measured {point.model} ({measured.id}), not the option's {model.id}: its capacity is"
                f" another model's; point throughput.measured at a run of {model.id}, or set the option's model to"
                f" {measured.id}"
            )
    return out
