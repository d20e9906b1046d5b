"""What a recommend run is asked for: the models, the constraints and how many configurations to show."""

from __future__ import annotations

from dataclasses import dataclass, field

from costcalc.analysis.recommend.space import Constraints

DEFAULT_TOP = 10


@dataclass(frozen=True)
class Request:
    """What to search: models (default: the scenario's self-hosted ones), constraints, how many to show."""

    models: tuple[str, ...] = ()
    limits: Constraints = field(default_factory=Constraints)
    top: int = DEFAULT_TOP
    exhaustive: bool = False


DEFAULT_REQUEST = Request()  # every model of the scenario, no constraints, the top DEFAULT_TOP
