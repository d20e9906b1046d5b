"""Amounts, shares, counts and lists as the report writes them: $1,234, '+$685', '0.2%', '3 instances', 'A and B'."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from costcalc.words import half_up

if TYPE_CHECKING:
    from costcalc.report.result import OptionResult


CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def money(amount: float, currency: str = "USD", *, decimals: int | None = None) -> str:
    """$1,234 for large amounts, $12.34 for small ones (or `decimals` places); other currencies by symbol or code."""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if amount < 0 else ""  # -$2,935 (savings), not $-2,935
    size = abs(amount)
    places = decimals if decimals is not None else _places(size)
    return f"{sign}{symbol}{half_up(size, places):,.{places}f}"


def _places(amount: float) -> int:
    """The decimals `money` writes an amount with: whole units from 100, cents below."""
    return 0 if abs(amount) >= 100 else 2


def money_change(before: float, after: float, currency: str = "USD", *, signed: bool = True) -> str:
    """`after` minus `before` as the two read where `money` writes them, so a reader's subtraction agrees: '+$685'
    from $232 to $917 (the exact $684.16 reads a dollar off), '+$13' from $12,647 to $12,660 (not '+$13.59' beside
    whole dollars), cents where either amount shows cents; '$0' where they read the same."""
    change = half_up(after, _places(after)) - half_up(before, _places(before))
    places = max(_places(before), _places(after))
    if half_up(change, places) == 0:
        return money(0, currency, decimals=0)
    text = money(change if signed else abs(change), currency, decimals=places)
    return "+" + text if signed and change > 0 else text


MAX_DECIMALS = 6  # money_apart's limit


def money_apart(a: float, b: float, currency: str = "USD") -> tuple[str, str]:
    """`a` and `b` as `money` writes them, with more decimals only where two amounts that differ would read the same
    ('$0.2141' vs '$0.2139', where money says '$0.21' twice)."""
    left, right = money_each((a, b), currency)
    return left, right


def money_each(amounts: Sequence[float], currency: str = "USD") -> list[str]:
    """Amounts as `money` writes them, all with more decimals only where two that differ would read the same (money_apart
    of any number of amounts: an input's low and high, or its P10, P50 and P90)."""
    texts = [money(x, currency) for x in amounts]
    places = 3 if all(abs(x) < 100 for x in amounts) else 1
    while len(set(texts)) < len(set(amounts)) and places <= MAX_DECIMALS:  # two amounts that differ read the same
        texts = [money(x, currency, decimals=places) for x in amounts]
        places += 1
    return texts


class WholeUnits(Protocol):
    """What an option is billed or bought in, whole (an OptionResult, a recommend Candidate)."""

    @property
    def instances(self) -> int | None: ...
    @property
    def servers(self) -> int | None: ...
    @property
    def workstations(self) -> int | None: ...


def whole_units(o: WholeUnits) -> str | None:
    """'3 instances', '1 server', '2 workstations': the whole units a rental bills or a purchase buys, as the Result
    counts them; None for an option counted by the GPU (a card bought alone, a rental by the GPU)."""
    for count, unit in ((o.instances, "instance"), (o.servers, "server"), (o.workstations, "workstation")):
        if count is not None:
            return f"{count:,} {unit}{'' if count == 1 else 's'}"
    return None


def units_bought(o: OptionResult) -> str:
    """'1 server', '2 workstations', or a card bought alone counted in GPUs: '2 GPUs'."""
    return whole_units(o) or f"{o.gpus} GPU{'' if o.gpus == 1 else 's'}"


def percent(share: float) -> str:
    """0.00036 → '0.04%', 0.0021 → '0.2%', 0.86 → '86%', 12.3 → '1,230%'."""
    if abs(share) < 0.001:
        return f"{share:.2%}"
    return f"{share:.1%}" if abs(share) < 0.1 else f"{share:,.0%}"


def growth_words(share: float) -> str:
    """0.05 → '5%', 0.015 → '1.5%'."""
    return f"{share:.0%}" if round(share * 100, 6).is_integer() else f"{share:.1%}"


def names(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"
