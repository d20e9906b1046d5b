"""costcalc: should we self-host an open-weight LLM, pay an API per token, or buy seats? Break-even analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports each name on first use
    from costcalc.api import analyze as analyze
    from costcalc.api import estimate_throughput as estimate_throughput
    from costcalc.api import load_scenario as load_scenario
    from costcalc.api import sensitivity as sensitivity
    from costcalc.api import simulate as simulate
    from costcalc.api import sweep as sweep
    from costcalc.errors import CostcalcError as CostcalcError
    from costcalc.errors import InputError as InputError
    from costcalc.models import Scenario as Scenario
    from costcalc.pricing.book import PriceBook as PriceBook
    from costcalc.report.result import Result as Result

__version__ = "0.1.0"

_LAZY = {
    "load_scenario": "costcalc.api",
    "analyze": "costcalc.api",
    "estimate_throughput": "costcalc.api",
    "sweep": "costcalc.api",
    "sensitivity": "costcalc.api",
    "simulate": "costcalc.api",
    "Result": "costcalc.report.result",
    "Scenario": "costcalc.models",
    "PriceBook": "costcalc.pricing.book",
    "CostcalcError": "costcalc.errors",
    "InputError": "costcalc.errors",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str) -> Any:
    """Import public names on first use so `costcalc --help` stays fast."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'costcalc' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
