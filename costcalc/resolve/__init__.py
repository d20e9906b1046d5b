"""Lookups: join a validated scenario with price tables, catalogs and throughput into engine inputs."""

from costcalc.resolve.scenario import ResolvedOption, ResolvedScenario, resolve_scenario

__all__ = ["ResolvedOption", "ResolvedScenario", "resolve_scenario"]
