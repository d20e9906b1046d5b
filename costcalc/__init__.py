"""costcalc: should we self-host an open-weight LLM, pay an API per token, or buy seats? Break-even analysis."""

from __future__ import annotations

from typing import Any

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
