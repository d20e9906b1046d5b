"""What-if analysis: overrides, variants, sweeps, sensitivity and Monte Carlo, vectorised over the engine."""

from costcalc.analysis.sensitivity import sensitivity
from costcalc.analysis.simulate import Simulation, simulate
from costcalc.analysis.sweep import Vary, parse_vary, sweep
from costcalc.analysis.variants import analyze_variants

__all__ = [
    "Simulation",
    "Vary",
    "analyze_variants",
    "parse_vary",
    "sensitivity",
    "simulate",
    "sweep",
]
