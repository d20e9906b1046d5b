"""Seat, rental, hardware and data-centre tables: provenance, server sizes and coverage (freshness: test_freshness)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from costcalc.pricing.schema import GpuRental, HardwarePrice, SeatPlan
from costcalc.pricing.tables import read_csv

PRICING_DIR = Path(__file__).resolve().parents[2] / "pricing"
SOURCED_TABLES = ("seats", "rental", "hardware", "datacenter")

REQUIRED_SEATS = (
    "openai/chatgpt-plus", "openai/chatgpt-pro", "openai/chatgpt-business", "openai/chatgpt-business-premium",
    "anthropic/claude-pro", "anthropic/claude-max-5x", "anthropic/claude-max-20x",
    "anthropic/claude-team-standard", "anthropic/claude-team-premium", "anthropic/claude-enterprise",
    "google/ai-pro", "google/ai-ultra", "google/workspace-business-standard", "microsoft/m365-copilot",
    "github/copilot-pro", "github/copilot-pro-plus", "github/copilot-business", "github/copilot-enterprise",
    "cursor/pro", "cursor/teams",
)  # fmt: skip
# GPU families every rental table must price on demand somewhere (prefix of the catalog id)
REQUIRED_RENTAL_GPUS = (
    "h100-sxm", "h200-", "b200-", "b300-", "gb200-", "gb300-", "mi300x-", "mi325x-", "mi355x-", "l40s-", "a100-",
)  # fmt: skip
HYPERSCALERS = ("aws", "gcp", "azure", "oracle")
MIN_GPU_CLOUDS = 6
RESERVED_AT = ("aws", "gcp", "azure")  # clouds that publish 1- and 3-year rates
REQUIRED_SERVERS = ("h100-sxm-80gb", "h200-sxm-141gb", "b200-sxm-180gb")  # 8-GPU server prices
REQUIRED_CARDS = ("a100-sxm-80gb", "rtx-4090-24gb", "rtx-5090-32gb", "rtx-pro-6000-96gb")


def _load(table: str) -> list:
    return read_csv(table, PRICING_DIR / f"{table}.csv")


def _raw(table: str) -> list[dict[str, str]]:
    with (PRICING_DIR / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def provenance_problems(rows: list) -> list[str]:
    """Rows that do not say whose number they are."""
    return [f"{row.id}: source_kind is empty" for row in rows if row.source_kind is None]


def hardware_size_problems(raw: list[dict[str, str]]) -> list[str]:
    """A hardware row must write how many GPUs one item holds; a server holds more than one."""
    problems = []
    for row in raw:
        count = (row.get("gpu_count") or "").strip()
        if not count:
            problems.append(f"{row['id']}: gpu_count is empty (write the GPUs one item holds)")
        elif row["kind"] == "server" and int(count) < 2:
            problems.append(f"{row['id']}: a server holds more than one GPU")
    return problems


def seat_coverage_problems(rows: list[SeatPlan]) -> list[str]:
    ids = {row.id for row in rows}
    return [f"seat plan {want} missing" for want in REQUIRED_SEATS if want not in ids]


def rental_coverage_problems(rows: list[GpuRental]) -> list[str]:
    problems = []
    on_demand = [row for row in rows if row.pricing_type == "on-demand"]
    for family in REQUIRED_RENTAL_GPUS:
        if not any(row.gpu.startswith(family) for row in on_demand):
            problems.append(f"no on-demand rental for GPU family {family!r}")
    providers = {row.provider for row in rows}
    problems += [f"no rental at {cloud}" for cloud in HYPERSCALERS if cloud not in providers]
    gpu_clouds = providers - set(HYPERSCALERS)
    if len(gpu_clouds) < MIN_GPU_CLOUDS:
        problems.append(f"only {len(gpu_clouds)} GPU clouds ({sorted(gpu_clouds)}), want {MIN_GPU_CLOUDS}")
    for cloud in RESERVED_AT:
        for term in ("reserved-1y", "reserved-3y"):
            if not any(row.provider == cloud and row.pricing_type == term for row in rows):
                problems.append(f"no {term} rental at {cloud}")
    return problems


def hardware_coverage_problems(rows: list[HardwarePrice]) -> list[str]:
    problems = []
    for gpu in REQUIRED_SERVERS:
        if not any(r.kind == "server" and r.gpu == gpu and r.gpu_count == 8 for r in rows):
            problems.append(f"no 8-GPU server price for {gpu}")
    for gpu in REQUIRED_CARDS:
        if not any(r.kind == "gpu" and r.gpu == gpu for r in rows):
            problems.append(f"no card price for {gpu}")
    return problems


@pytest.mark.parametrize("table", SOURCED_TABLES)
def test_every_row_says_whose_number_it_is(table: str) -> None:
    assert provenance_problems(_load(table)) == []


def test_hardware_rows_write_how_many_gpus_one_item_holds() -> None:
    assert hardware_size_problems(_raw("hardware")) == []


def test_required_seat_plans_are_priced() -> None:
    assert seat_coverage_problems(_load("seats")) == []


def test_required_gpus_clouds_and_terms_are_rented() -> None:
    assert rental_coverage_problems(_load("rental")) == []


def test_required_servers_and_cards_have_purchase_prices() -> None:
    assert hardware_coverage_problems(_load("hardware")) == []


def example_claim_problems(table: str, raw: list[dict[str, str]], root: Path) -> list[str]:
    """A row's notes that say a shipped example names it (the reason an old row is kept) must be true."""
    problems = []
    for row in raw:
        for named in re.findall(r"examples/[\w/.-]+\.ya?ml", row.get("notes") or ""):
            path = root / named
            if not path.is_file() or row["id"] not in path.read_text(encoding="utf-8"):
                problems.append(f"{table} {row['id']}: notes say {named} names it, but it does not")
    return problems


@pytest.mark.parametrize("table", SOURCED_TABLES)
def test_a_row_kept_for_an_example_is_named_by_that_example(table: str) -> None:
    """nvidia-dgx-h100 and hgx-h100-8-thinkmate-quote said 'kept because examples/internal-assistant.yaml (and
    nightly-batch.yaml) names it' after both examples had moved to hgx-h100-8gpu-server-2026: a reader tracing the
    row was sent to a file that does not use it (pricing/README.md already said no shipped example does)."""
    assert example_claim_problems(table, _raw(table), PRICING_DIR.parent) == []


# --- the checks above can fail: each one rejects a deliberately broken table -------------------


def test_a_note_naming_an_example_that_does_not_use_the_row_is_reported() -> None:
    raw = [{"id": "old-server", "notes": "superseded (kept because examples/startup-chatbot.yaml names it)"}]
    assert example_claim_problems("hardware", raw, PRICING_DIR.parent) == [
        "hardware old-server: notes say examples/startup-chatbot.yaml names it, but it does not"
    ]


def test_a_row_without_source_kind_is_reported() -> None:
    row = _load("seats")[0]
    bare = SeatPlan.model_validate(row.model_dump() | {"source_kind": None})
    assert provenance_problems([bare]) == [f"{row.id}: source_kind is empty"]


def test_an_unknown_source_kind_is_rejected_by_the_schema() -> None:
    row = _load("rental")[0]
    with pytest.raises(ValidationError, match="source_kind"):
        GpuRental.model_validate(row.model_dump() | {"source_kind": "blog"})


def test_a_card_holding_eight_gpus_is_rejected_by_the_schema() -> None:
    row = next(r for r in _load("hardware") if r.kind == "gpu")
    with pytest.raises(ValidationError, match="gpu_count must be 1"):
        HardwarePrice.model_validate(row.model_dump() | {"gpu_count": 8})


def test_hardware_sizes_must_be_written_and_servers_hold_several_gpus() -> None:
    raw = _raw("hardware")
    server = next(r for r in raw if r["kind"] == "server")
    problems = hardware_size_problems([server | {"gpu_count": ""}, server | {"gpu_count": "1"}])
    assert len(problems) == 2


def test_coverage_checks_notice_a_missing_plan_gpu_cloud_and_server() -> None:
    seats = [r for r in _load("seats") if r.id != "cursor/teams"]
    assert seat_coverage_problems(seats) == ["seat plan cursor/teams missing"]
    rental = [r for r in _load("rental") if not r.gpu.startswith("mi355x-") and r.provider != "oracle"]
    problems = rental_coverage_problems(rental)
    assert "no on-demand rental for GPU family 'mi355x-'" in problems
    assert "no rental at oracle" in problems
    no_3y = [r for r in _load("rental") if not (r.provider == "azure" and r.pricing_type == "reserved-3y")]
    assert rental_coverage_problems(no_3y) == ["no reserved-3y rental at azure"]
    hardware = [r for r in _load("hardware") if r.gpu != "h200-sxm-141gb"]
    assert hardware_coverage_problems(hardware) == ["no 8-GPU server price for h200-sxm-141gb"]
