"""Payback of a self-hosted option against an API: cash and discounted, the month's fraction, IRR, within its life."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from costcalc.engine.finance import discounted, irr_per_year, payback_months, whole_month
from costcalc.engine.flows import Flows
from costcalc.resolve.hardware import ResolvedSelfHosted


@dataclass(frozen=True)
class PaybackFacts:
    """When the option's extra cash up front is recovered against an API, and at what return."""

    months: int | None = None  # the month (1-based) it pays back in; None with `reason`
    exact: float | None = None  # months from now, with the fraction
    reason: str | None = None  # why there is no payback (or why it does not apply)
    discounted: float | None = None  # months from now, on discounted cash
    irr_per_year: float | None = None


def life_months(opt: ResolvedSelfHosted) -> int | None:
    """Months one purchase (or lease) of owned hardware serves before its end of life; None when rented."""
    plan, life = opt.plan, opt.cost.life
    if not plan.owned:
        return None
    if plan.acquisition == "lease" and life.lease_buyout_usd_per_replica is None:
        return life.lease_term_months
    return int(plan.useful_life_months)


def payback_facts(opt: ResolvedSelfHosted, own: Flows, versus: Flows, rate_per_year: float) -> PaybackFacts:
    """Payback (plain and discounted) and IRR of `own` against `versus` on cash, within the hardware's first life.

    A replacement is a new investment: payback is the month from which the first purchase has paid for itself
    and stays paid for until its end of life (or the horizon's end, if sooner); None with the reason otherwise.
    """
    months = len(own.running)
    if not np.any(own.upfront > 0):
        return PaybackFacts(reason="does not apply: no cash paid up front")
    life = life_months(opt)
    retires = opt.cost.life.at_end_of_life == "retire" and life is not None and life < months
    span = min(life, months) if life is not None else months
    up, run = own.upfront - versus.upfront, own.running - versus.running
    exact = payback_months(up[:span], run[:span])
    d_up, d_run = discounted(up, run, rate_per_year)
    late_discounted = payback_months(d_up[:span], d_run[:span])
    terminal = 0.0 if retires else float(own.terminal_value) - float(versus.terminal_value)
    irr = irr_per_year(-up[: span if retires else months], -run[: span if retires else months], terminal)
    if exact is not None:
        return PaybackFacts(whole_month(exact), exact, None, late_discounted, irr)
    if life is None or life >= months:
        return PaybackFacts(reason=f"does not pay back within the {months}-month horizon", irr_per_year=irr)
    why = f"does not pay back within the hardware's {life}-month life"
    if retires:
        why += "; it is retired then"
    else:
        later = payback_months(up, run)
        if later is not None:
            why += f" (with its replacements, cumulative cash catches up in month {whole_month(later)})"
    return PaybackFacts(reason=why, irr_per_year=irr)
