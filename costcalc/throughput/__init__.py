"""Throughput of a self-hosted replica: estimated, read from benchmark files, or measured live."""

from costcalc.throughput.points import LatencyStats, OperatingPoint

__all__ = ["LatencyStats", "OperatingPoint"]
