"""The units self-hosted hardware is bought or rented in (servers, workstations, instances, single GPUs), how replicas
fill them, and the assumption lines that say so."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from costcalc.errors import InputError
from costcalc.models import Hardware


def _gpus(n: float) -> str:
    """A GPU count as the notes write it: '1 GPU', '2 GPUs', '0.5 GPUs'."""
    return f"{n:g} GPU{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class PurchaseUnit:
    """What owned hardware is bought (or leased) in: whole servers or workstations, or single GPUs; and how replicas
    fill it."""

    name: str  # server | workstation | gpu
    gpus: int  # GPUs in one unit
    replica_block: int  # replicas acquired together (those one server holds)
    units_per_replica: float  # units one replica takes (1/block, or servers a wide replica spans)
    spare_gpus_per_replica: float  # GPUs of the units that no replica uses, per replica

    server_gpus: int  # GPUs of the server the price is for

    def price_per_unit(self, server_price: float) -> float:
        """One unit's price from a server's (or workstation's): the whole price, or its per-GPU share for purchase_unit
        gpu."""
        return float(server_price) / self.server_gpus if self.name == "gpu" else float(server_price)


def purchase_unit(hw: Hardware, row: Any, gpus_per_replica: int, where: str) -> PurchaseUnit:
    """Servers of the offer's (or the given) GPU count, each holding whole replicas; or single GPUs, as
    purchase_unit gpu says or as an offer of one card (a hardware row of kind gpu) is bought: it is no server, so
    the report counts it in GPUs, not servers (the cost is the same either way); an offer of a workstation (a
    hardware row of kind workstation: a Mac Studio, a DGX Spark) is bought as servers are, whole, and counted as
    workstations."""
    per_server = hw.gpus_per_server or (row.gpu_count if row is not None else gpus_per_replica)
    if row is not None and hw.gpus_per_server is not None and hw.gpus_per_server != row.gpu_count:
        raise InputError(
            f"gpus_per_server {hw.gpus_per_server} differs from the offer's {row.gpu_count}; drop it or pick"
            " another offer",
            field=f"{where}.hardware.gpus_per_server",
        )
    if (hw.purchase_unit or "server") == "gpu" or getattr(row, "kind", None) == "gpu":
        return PurchaseUnit("gpu", 1, 1, float(gpus_per_replica), 0.0, per_server)
    return _packed(
        "workstation" if getattr(row, "kind", None) == "workstation" else "server", per_server, gpus_per_replica
    )


def _packed(name: str, unit_gpus: int, gpus_per_replica: int) -> PurchaseUnit:
    """Whole units of unit_gpus GPUs: as many whole replicas as fit in one (a replica never spans units), or, for a
    replica wider than a unit, the fewest whole units that hold it; the GPUs no replica uses are spare."""
    if gpus_per_replica <= unit_gpus:
        block = unit_gpus // gpus_per_replica
        spare = (unit_gpus - block * gpus_per_replica) / block
        return PurchaseUnit(name, unit_gpus, block, 1.0 / block, spare, unit_gpus)
    spans = math.ceil(gpus_per_replica / unit_gpus)  # a replica wider than a unit spans several
    return PurchaseUnit(name, unit_gpus, 1, float(spans), float(spans * unit_gpus - gpus_per_replica), unit_gpus)


def rental_instance(hw: Hardware, row: Any, gpus_per_replica: int, where: str) -> PurchaseUnit:
    """What a rental bills: whole instances of the offer's (or the given) GPU count, replicas packed into them;
    an offer of one GPU (a provider that rents single GPUs) bills each replica's GPUs."""
    per_instance = hw.gpus_per_instance or (row.gpu_count if row is not None else 1)
    if row is not None and hw.gpus_per_instance is not None and hw.gpus_per_instance != row.gpu_count:
        raise InputError(
            f"gpus_per_instance {hw.gpus_per_instance} differs from the offer's {row.gpu_count}; drop it or pick"
            " another offer",
            field=f"{where}.hardware.gpus_per_instance",
        )
    if per_instance == 1:
        return PurchaseUnit("gpu", 1, 1, float(gpus_per_replica), 0.0, 1)
    return _packed("instance", per_instance, gpus_per_replica)


def unit_note(name: str, unit: PurchaseUnit, gpus_per_replica: int) -> str:
    """How bought hardware is counted: by the GPU, or whole servers / workstations and the replicas each holds."""
    if unit.name == "gpu":
        return f"{name}: bought by the GPU (purchase_unit: gpu), {_gpus(gpus_per_replica)} a replica"
    what = unit.name  # server | workstation
    server = f"{name}: bought by the {what} ({_gpus(unit.gpus)})"
    if unit.replica_block > 1:
        idle = unit.spare_gpus_per_replica * unit.replica_block
        spare = f", {_gpus(idle)} of each idle" if idle else ""
        return f"{server}, {unit.replica_block} replicas of {_gpus(gpus_per_replica)} per {what}{spare}"
    if unit.units_per_replica > 1:
        return f"{server}, {unit.units_per_replica:g} {what}s a replica"
    idle = unit.spare_gpus_per_replica
    return f"{server}, one replica per {what}" + (f", {_gpus(idle)} of each idle" if idle else "")


def instance_note(name: str, offer: str | None, unit: PurchaseUnit, gpus_per_replica: int) -> str:
    """How a rental that does not bill each replica's GPUs alone packs its replicas into whole instances."""

    what = f"{offer}, {_gpus(unit.gpus)} an instance" if offer else f"{_gpus(unit.gpus)} an instance"
    head = f"{name}: rented by the whole instance ({what}), billed every hour it runs"
    if unit.replica_block > 1:
        idle = unit.spare_gpus_per_replica * unit.replica_block
        spare = f", {_gpus(idle)} of each idle" if idle else ""
        return f"{head}; replicas packed {unit.replica_block} of {_gpus(gpus_per_replica)} to an instance{spare}"
    idle = unit.spare_gpus_per_replica
    return f"{head}; {unit.units_per_replica:g} instances a replica of {_gpus(gpus_per_replica)}, {_gpus(idle)} idle"
