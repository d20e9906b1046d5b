"""Tests of the refit's starting point."""

from __future__ import annotations

from costcalc.throughput.factors import ENGINES
from costcalc.throughput.priors import prior_factors


def test_priors_are_a_fixed_start():
    assert prior_factors() == prior_factors()
    assert set(prior_factors().engines) == set(ENGINES)
