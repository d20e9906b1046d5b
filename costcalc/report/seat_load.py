"""What each seat of a plan would carry at a volume, and the usage cap that bounds it, in words a reader can judge.

Seats are bought for people (workload.users, or the option's seats), not for tokens: the seat count stays fixed as
usage grows, so a seat plan that overtakes an API at a higher volume does so only if each seat carries that much
more. These words say how much, and what bounds it: a numeric cap (cap_requests_per_user_per_month, from the
scenario or seats.csv), or that the plan publishes none (its terms in words, seats.csv usage_cap, are in the
assumptions), or that none are recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from costcalc.units import DAYS_PER_MONTH
from costcalc.words import count, fractional_count, half_up_significant, tokens

if TYPE_CHECKING:
    from costcalc.report.result import OptionResult, Result


LEAST_A_DAY = 0.01  # fewer requests a seat a day are said as 'under 0.01' (not '5e-05')


def requests_a_day(per_seat_month: float) -> str:
    """Requests a seat a month as a day's: 32,140 → 'about 1,060', 365 → 'about 12', 2.4 → 'about 0.0789' (three
    significant digits), 0.0015 → 'under 0.01'."""
    day = half_up_significant(per_seat_month / DAYS_PER_MONTH, 3)
    if day < LEAST_A_DAY:
        return f"under {LEAST_A_DAY:g}"
    return f"about {count(day) if day >= 10 else f'{day:.3g}'}"


def per_seat(option: OptionResult, tokens_per_month: float) -> str:
    """'93.5M tokens a seat a month': `tokens_per_month` over the option's seats."""
    assert option.seats
    return seat_share(option.seats, tokens_per_month)


def seat_share(seats: float, tokens_per_month: float) -> str:
    """'93.5M tokens a seat a month': `tokens_per_month` over `seats` (above 0)."""
    return f"{tokens(tokens_per_month / seats)} tokens a seat a month"


def carried_at(result: Result, option: OptionResult, tokens_per_month: float) -> str:
    """'93.5M tokens a seat a month (about 1,060 requests a day)': what each of the option's seats carries at
    `tokens_per_month`, the workload's mean request held."""
    assert option.seats
    wl = result.workload
    requests = tokens_per_month / (wl.tokens_per_month / wl.requests_per_month)
    return f"{per_seat(option, tokens_per_month)} ({requests_a_day(requests / option.seats)} requests a day)"


def most_carried(result: Result, option: OptionResult) -> float | None:
    """Tokens a month the seats carry at most under the numeric cap (seats x cap x the mean request); None: no cap."""
    cap = option.cap_requests_per_seat_month
    if cap is None or not option.seats:
        return None
    wl = result.workload
    return option.seats * cap * wl.tokens_per_month / wl.requests_per_month


def cap_words(result: Result, option: OptionResult, tokens_per_month: float = 0.0) -> str:
    """What bounds a seat: 'within the cap of 40,000 requests a seat a month (at most 232B tokens/month on the 2,000
    seats)' ('above the cap ...' where `tokens_per_month` is more than that), 'the plan publishes no numeric usage cap'
    (its terms in words, the option's usage_cap, are in the assumptions), 'the price table records no usage cap for
    the plan' or 'no usage cap is given (cap_requests_per_user_per_month)'."""
    most = most_carried(result, option)
    if most is not None and option.cap_requests_per_seat_month is not None:
        where = "above" if tokens_per_month > most else "within"
        return (
            f"{where} the cap of {fractional_count(option.cap_requests_per_seat_month)} requests a seat a month (at most"
            f" {tokens(most)} tokens/month on the {count(option.seats or 0)} seats)"
        )
    if option.usage_cap:
        return "the plan publishes no numeric usage cap"
    if any(p.table == "seats" for p in option.prices):
        return "the price table records no usage cap for the plan"
    return "no usage cap is given (cap_requests_per_user_per_month)"


def seat_load(result: Result, name: str, tokens_per_month: float) -> str | None:
    """For a seat option at `tokens_per_month`: '93.5M tokens a seat a month (about 1,060 requests a day); the plan
    publishes no numeric usage cap'; None for any other option."""
    option = result.option(name)
    if option.kind != "subscription" or not option.seats:
        return None
    joint = ", " if most_carried(result, option) is not None else "; "  # within (above) the cap, or what is known
    return f"{carried_at(result, option, tokens_per_month)}{joint}{cap_words(result, option, tokens_per_month)}"
