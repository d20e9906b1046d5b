"""Serving simulation: continuous batching under Poisson arrivals gives latency percentiles and capacity."""
