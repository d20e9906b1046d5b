"""A GPU price a scenario gives itself, set beside the price tables' for that GPU: one far outside them is said.

The slip this catches is a unit: `hourly_usd` is per GPU-hour, and an 8-GPU instance's price written there costs
every GPU-hour eight times; `price_usd` is a server's (of gpus_per_server GPUs), and one GPU's price written there
buys the server for an eighth. Neither is an error (a quote may be dear or cheap), so each is a warning naming the
tables' price it is far from and the price it would be in the other unit. qa24: hourly_usd 24 on an H100 cost
$140,160 a month, unsaid.
"""

from __future__ import annotations

from costcalc.pricing.book import PriceBook
from costcalc.pricing.schema import GpuRental, HardwarePrice

# The rental table spans providers' on-demand, reserved and spot prices (an H100 SXM from $2.15 to $12.29 a
# GPU-hour): a rate past 1.5x its dearest or under a quarter of its cheapest is one no listed provider charges.
RENTAL_ABOVE, RENTAL_BELOW = 1.5, 0.25
# Purchase prices vary more (a card, an HGX server, a vendor's DGX, a reseller's quote: $30,000 to $39,625 a GPU
# for an H100 SXM); the bounds are wider.
PURCHASE_ABOVE, PURCHASE_BELOW = 2.5, 0.4
MIN_ROWS = 2  # prices the tables must hold for the GPU to say what is usual
# The data-centre table's useful life (60 months) rests on hyperscalers writing servers off over 4 to 6 years; twice it
# is a life no operator books for GPUs, and every month's depreciation rests on it.
LIFE_ABOVE = 2.0


def rental_line(name: str, gpu: str, usd_per_gpu_hour: float, gpus_per_instance: int | None, book: PriceBook) -> str:
    """A warning where a given hourly_usd is far outside the rental table's prices of `gpu`; '' otherwise."""
    rows = sorted(
        (p.row for p in book.rows("rental") if isinstance(p.row, GpuRental) and p.row.gpu == gpu),
        key=lambda row: row.usd_per_gpu_hour,
    )
    if len(rows) < MIN_ROWS:
        return ""
    low, high = rows[0], rows[-1]
    if usd_per_gpu_hour > RENTAL_ABOVE * high.usd_per_gpu_hour:
        per = usd_per_gpu_hour / (gpus_per_instance or 8)
        instance = f"its {gpus_per_instance}-GPU instance" if gpus_per_instance else "an 8-GPU instance"
        return (
            f"{name}: hourly_usd {usd_per_gpu_hour:,.2f} is a GPU-hour's price, {usd_per_gpu_hour / high.usd_per_gpu_hour:.1f}x"
            f" the dearest {gpu} rental in the price table (${high.usd_per_gpu_hour:,.2f}, {high.id}); if it is an"
            f" instance's price, divide it by its GPUs ({instance}: {per:,.2f})"
        )
    if usd_per_gpu_hour < RENTAL_BELOW * low.usd_per_gpu_hour:
        return (
            f"{name}: hourly_usd {usd_per_gpu_hour:,.2f} a GPU-hour is {usd_per_gpu_hour / low.usd_per_gpu_hour:.2f}x"
            f" the cheapest {gpu} rental in the price table (${low.usd_per_gpu_hour:,.2f}, {low.id}); check it"
            " (USD per GPU-hour)"
        )
    return ""


def purchase_line(name: str, gpu: str, price_usd: float, server_gpus: int, per_gpu: bool, book: PriceBook) -> str:
    """A warning where a given price_usd, a GPU's share of it, is far outside the hardware table's prices of `gpu`
    (per GPU); '' otherwise. `per_gpu`: purchase_unit gpu (the price is still a server's, shared)."""
    rows = sorted(
        (p.row for p in book.rows("hardware") if isinstance(p.row, HardwarePrice) and p.row.gpu == gpu),
        key=lambda row: row.price_usd / row.gpu_count,
    )
    if len(rows) < MIN_ROWS:
        return ""
    each = price_usd / server_gpus
    low, high = rows[0], rows[-1]
    low_each, high_each = low.price_usd / low.gpu_count, high.price_usd / high.gpu_count
    bought = f"a server of {server_gpus} GPUs (${each:,.0f} a GPU)" if server_gpus > 1 else "one GPU"
    if each < PURCHASE_BELOW * low_each and server_gpus > 1:
        meant = "" if per_gpu else ", or gpus_per_server: 1"
        return (
            f"{name}: price_usd {price_usd:,.0f} buys {bought}, {each / low_each:.2f}x the cheapest {gpu} in the"
            f" hardware table (${low_each:,.0f} a GPU, {low.id}); if {price_usd:,.0f} is one GPU's price, write the"
            f" server's ({price_usd * server_gpus:,.0f}){meant}"
        )
    if each > PURCHASE_ABOVE * high_each:
        return (
            f"{name}: price_usd {price_usd:,.0f} buys {bought}, {each / high_each:.1f}x the dearest {gpu} in the"
            f" hardware table (${high_each:,.0f} a GPU, {high.id}); check it and gpus_per_server"
        )
    return ""


def life_line(name: str, months: int, book: PriceBook) -> str:
    """A warning where a given useful_life_months is past LIFE_ABOVE times the data-centre table's; '' otherwise.
    qa24: useful_life_months 600 (50 years) depreciated a $9,000 GPU at $15 a month, unsaid."""
    usual = book.datacenter("useful_life_months")
    if usual is None or months <= LIFE_ABOVE * float(usual.row.value):
        return ""
    return (
        f"{name}: useful_life_months {months:,} ({months / 12:,.0f} years) is {months / float(usual.row.value):.0f}x"
        f" the data-centre table's {float(usual.row.value):g} months (servers are written off over 4 to 6 years), and"
        " each month's depreciation rests on it: check it"
    )
