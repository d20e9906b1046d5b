"""The shipped price tables in pricing/: they load through the schema and pass sanity checks."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from costcalc.catalog import list_gpus
from costcalc.errors import PricingError
from costcalc.pricing.schema import ApiPrice, GpuRental, HardwarePrice, SeatPlan
from costcalc.pricing.tables import read_csv

PRICING_DIR = Path(__file__).resolve().parents[2] / "pricing"
REQUIRED_TABLES = ("api", "seats", "rental", "hardware", "datacenter")
OPTIONAL_TABLES = ("fx",)

CATALOG_GPU_IDS = frozenset(gpu.id for gpu in list_gpus())
WORKSTATION_GPU_IDS = frozenset({"apple-m3-ultra", "apple-m4-max", "dgx-spark-gb10"})
API_PROVIDERS = frozenset(
    {
        "openai",
        "anthropic",
        "google",
        "xai",
        "mistral",
        "deepseek",
        "moonshot",
        "zai",
        "together",
        "fireworks",
        "groq",
        "deepinfra",
        "cerebras",
        "openrouter",
        "novita",
        "baseten",
        "ovhcloud",
        "avian",
        "databricks",
        "cloudflare",
        "modal",
        "nebius",
        "sambanova",
    }
)
DATACENTER_KEYS = (
    "pue",
    "electricity_usd_per_kwh",
    "colocation_usd_per_kw_month",
    "useful_life_months",
)

# Plausibility bands: wide enough for every real price, narrow enough to catch a unit slip
# (a per-token price pasted as per-MTok, an instance price pasted as per-GPU, a typo'd zero).
API_INPUT_USD_PER_MTOK = (0.001, 200.0)
USD_PER_GPU_HOUR = (0.05, 40.0)  # Azure's GB200 VM lists 27.04
HARDWARE_USD_PER_GPU = (300.0, 600_000.0)
EARLIEST_AS_OF = dt.date(2020, 1, 1)

SOURCE_URL = re.compile(r"https?://\S+")
SOURCE_REPO_AT_COMMIT = re.compile(r"github\.com/[\w.-]+/[\w.-]+@[0-9a-f]{7,40}\b")
SLUG = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")


def _load(table: str) -> list:
    return read_csv(table, PRICING_DIR / f"{table}.csv")


def _discount_tiers(row: ApiPrice) -> list[tuple[str, float | None, float]]:
    """(field, tier price, standard price) for tiers that must not cost more than standard."""
    return [
        ("cached_input_usd_per_mtok", row.cached_input_usd_per_mtok, row.input_usd_per_mtok),
        ("batch_input_usd_per_mtok", row.batch_input_usd_per_mtok, row.input_usd_per_mtok),
        ("batch_output_usd_per_mtok", row.batch_output_usd_per_mtok, row.output_usd_per_mtok),
        ("flex_input_usd_per_mtok", row.flex_input_usd_per_mtok, row.input_usd_per_mtok),
        ("flex_output_usd_per_mtok", row.flex_output_usd_per_mtok, row.output_usd_per_mtok),
        ("off_peak_input_usd_per_mtok", row.off_peak_input_usd_per_mtok, row.input_usd_per_mtok),
        ("off_peak_output_usd_per_mtok", row.off_peak_output_usd_per_mtok, row.output_usd_per_mtok),
    ]


def _long_context_tiers(row: ApiPrice) -> list[tuple[str, float | None, float | None]]:
    """(field, long-context price, standard price): a long-context tier never costs less."""
    return [
        (
            "long_context_input_usd_per_mtok",
            row.long_context_input_usd_per_mtok,
            row.input_usd_per_mtok,
        ),
        (
            "long_context_output_usd_per_mtok",
            row.long_context_output_usd_per_mtok,
            row.output_usd_per_mtok,
        ),
        (
            "long_context_cached_input_usd_per_mtok",
            row.long_context_cached_input_usd_per_mtok,
            row.cached_input_usd_per_mtok,
        ),
    ]


def api_problems(rows: list[ApiPrice]) -> list[str]:
    """Every reason an API row is implausible or breaks the id conventions (empty when fine)."""
    problems: list[str] = []
    seen: dict[tuple[str, str, dt.date | None], str] = {}
    lo, hi = API_INPUT_USD_PER_MTOK
    for row in rows:
        dated = f"@{row.valid_from.isoformat()}" if row.valid_from else ""
        if row.id != f"{row.provider}/{row.model}{dated}":
            problems.append(f"{row.id}: id must be '<provider>/<model>[@<valid_from>]'")
        if row.provider not in API_PROVIDERS:
            problems.append(f"{row.id}: provider {row.provider!r} is not a known slug")
        key = (row.provider, row.model, row.valid_from)
        if key in seen:
            problems.append(f"{row.id}: duplicate (provider, model, valid_from) with {seen[key]}")
        seen[key] = row.id
        if row.open_weight_model is not None and not SLUG.match(row.open_weight_model):
            problems.append(f"{row.id}: open_weight_model must be a lowercase catalog id")
        if not lo <= row.input_usd_per_mtok <= hi:
            problems.append(f"{row.id}: input {row.input_usd_per_mtok} $/MTok outside {lo}..{hi}")
        for field, tier, standard in _discount_tiers(row):
            if tier is not None and tier > standard:
                problems.append(f"{row.id}: {field} {tier} exceeds standard {standard}")
        if row.long_context_threshold_tokens is not None:
            for field, tier, standard in _long_context_tiers(row):
                if tier is not None and standard is not None and tier < standard:
                    problems.append(f"{row.id}: {field} {tier} is below standard {standard}")
    return problems


def rental_problems(rows: list[GpuRental]) -> list[str]:
    """Every reason a rental row is implausible or breaks the id conventions."""
    problems: list[str] = []
    lo, hi = USD_PER_GPU_HOUR
    for row in rows:
        expected = f"{row.provider}/{row.instance}/{row.pricing_type}"
        if row.id not in (expected, f"{expected}/{row.region}"):
            problems.append(f"{row.id}: id must be '<provider>/<instance>/<type>[/<region>]'")
        if row.gpu not in CATALOG_GPU_IDS:
            problems.append(f"{row.id}: gpu {row.gpu!r} is not a catalog GPU id")
        if not lo <= row.usd_per_gpu_hour <= hi:
            problems.append(f"{row.id}: {row.usd_per_gpu_hour} $/GPU-hour outside {lo}..{hi}")
    return problems


def hardware_problems(rows: list[HardwarePrice]) -> list[str]:
    """Every reason a hardware row is implausible."""
    problems: list[str] = []
    lo, hi = HARDWARE_USD_PER_GPU
    for row in rows:
        if row.gpu is not None and row.gpu not in CATALOG_GPU_IDS | WORKSTATION_GPU_IDS:
            problems.append(f"{row.id}: gpu {row.gpu!r} is not a catalog GPU id")
        per_gpu = row.price_usd / row.gpu_count
        if not lo <= per_gpu <= hi:
            problems.append(f"{row.id}: {per_gpu:.0f} $ per GPU outside {lo:.0f}..{hi:.0f}")
        idle, peak = row.idle_power_w, row.max_power_w
        if idle is not None and peak is not None and idle > peak:
            problems.append(f"{row.id}: idle power above max power")
    return problems


def common_problems(rows: list, today: dt.date) -> list[str]:
    """Source and date rules every priced row follows."""
    problems: list[str] = []
    for row in rows:
        if not (SOURCE_URL.search(row.source) or SOURCE_REPO_AT_COMMIT.search(row.source)):
            problems.append(f"{row.id}: source names neither an http(s) URL nor a repo@commit")
        scheduled = getattr(row, "valid_from", None)  # a scheduled price is dated by its start
        if row.as_of > today and row.as_of != scheduled:
            problems.append(f"{row.id}: as_of {row.as_of} is in the future")
        if row.as_of < EARLIEST_AS_OF:
            problems.append(f"{row.id}: as_of {row.as_of} is before {EARLIEST_AS_OF}")
    return problems


def _shipped_tables() -> list[str]:
    present = [t for t in OPTIONAL_TABLES if (PRICING_DIR / f"{t}.csv").is_file()]
    return [*REQUIRED_TABLES, *present]


@pytest.mark.parametrize("table", REQUIRED_TABLES)
def test_required_table_is_shipped(table: str) -> None:
    assert (PRICING_DIR / f"{table}.csv").is_file()


@pytest.mark.parametrize("table", _shipped_tables())
def test_table_loads_through_the_schema(table: str) -> None:
    rows = _load(table)
    assert rows, f"{table}.csv has no rows"


@pytest.mark.parametrize("table", _shipped_tables())
def test_every_row_has_a_source_and_a_sane_date(table: str) -> None:
    assert common_problems(_load(table), dt.date.today()) == []


def test_api_rows_are_plausible() -> None:
    assert api_problems(_load("api")) == []


def test_rental_rows_are_plausible() -> None:
    assert rental_problems(_load("rental")) == []


def test_hardware_rows_are_plausible() -> None:
    assert hardware_problems(_load("hardware")) == []


def test_seat_ids_follow_the_convention() -> None:
    rows: list[SeatPlan] = _load("seats")
    bad = [r.id for r in rows if not r.id.startswith(f"{r.provider}/") or not SLUG.match(r.id.split("/", 1)[1])]
    assert bad == []


def test_datacenter_defaults_cover_the_engine_inputs() -> None:
    keys = {row.id for row in _load("datacenter")}
    assert set(DATACENTER_KEYS) <= keys


@pytest.mark.parametrize("provider", ["openai", "anthropic", "google", "deepseek"])
def test_api_coverage_per_first_party_provider(provider: str) -> None:
    assert sum(row.provider == provider for row in _load("api")) >= 3


OPEN_WEIGHT_CREATORS = {
    "gpt-oss": "openai",
    "llama": "meta",
    "qwen": "alibaba",
    "deepseek": "deepseek",
    "kimi": "moonshot",
    "glm": "zai",
}


@pytest.mark.parametrize("family", sorted(OPEN_WEIGHT_CREATORS))
def test_each_open_weight_family_is_hosted_at_eight_providers_or_more(family: str) -> None:
    hosts = {
        row.provider
        for row in _load("api")
        if (row.open_weight_model or "").startswith(family) and row.provider != OPEN_WEIGHT_CREATORS[family]
    }
    assert len(hosts) >= 8, sorted(hosts)


# Open-weight models priced at hosts whose specs the catalog does not have, each with the reason
NO_CATALOG_SPECS_YET: dict[str, str] = {}


def test_open_weight_ids_are_catalog_models_or_listed() -> None:
    from costcalc.catalog.lookup import list_models

    catalog = {model.id for model in list_models()}
    named = {row.open_weight_model for row in _load("api") if row.open_weight_model}
    assert sorted(named - catalog - set(NO_CATALOG_SPECS_YET)) == []
    assert sorted(set(NO_CATALOG_SPECS_YET) & catalog) == []  # a model that gained specs leaves the list
    assert sorted(set(NO_CATALOG_SPECS_YET) - named) == []  # and one no longer priced leaves it too
    assert all(len(reason) > 40 for reason in NO_CATALOG_SPECS_YET.values())


def test_gpt_oss_120b_is_hosted_at_eight_providers_or_more() -> None:
    providers = {row.provider for row in _load("api") if row.open_weight_model == "gpt-oss-120b"}
    assert len(providers) >= 8, providers


@pytest.mark.parametrize(
    "series",
    [
        "openai/gpt-6.2-astra",
        "openai/gpt-6-cyber",
        "openai/gpt-6-rosalind",
        "openai/gpt-5.6-cyber",
        "openai/gpt-5.5-cyber",
        "anthropic/claude-fable-5-2",
        "anthropic/claude-mythos-5-2",
        "google/gemini-3.7-flash",
        "google/gemini-3.8-flash",
        "google/gemini-4-argon",
        "google/gemini-4-carbon",
        "google/gemini-4-hydrogen",
        "google/gemini-4-neon",
        "xai/grok-4.5",
        "xai/grok-4.6",
        "xai/grok-4.7",
        "xai/grok-build-0.1",
        "mistral/mistral-large-4",
    ],
)
def test_models_released_since_2026_06_are_priced(series: str) -> None:
    assert any(row.series == series for row in _load("api"))


@pytest.mark.parametrize("family", ["h100-", "a100-"])
def test_rental_coverage_per_gpu_family(family: str) -> None:
    providers = {row.provider for row in _load("rental") if row.gpu.startswith(family)}
    assert len(providers) >= 3, providers


@pytest.mark.parametrize("gpu", ["h100-sxm-80gb", "h200-sxm-141gb", "rtx-4090-24gb"])
def test_hardware_has_a_purchase_price_for(gpu: str) -> None:
    assert any(row.gpu == gpu for row in _load("hardware"))


# --- the checks above can fail: each one rejects a deliberately bad row ------------------------


def _api_row(**changes: object) -> ApiPrice:
    base = _load("api")[0].model_dump()
    base.update(changes)
    return ApiPrice.model_validate(base)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"input_usd_per_mtok": 2_500.0}, "outside"),  # the schema itself refuses past 10,000 (costcalc.limits)
        ({"cached_input_usd_per_mtok": 1_000.0}, "cached_input_usd_per_mtok"),
        ({"batch_output_usd_per_mtok": 10_000.0}, "batch_output_usd_per_mtok"),
        ({"id": "openai/not-the-model"}, "id must be"),
        ({"valid_from": dt.date(2027, 1, 1)}, "id must be"),
        ({"provider": "OpenAI", "id": "OpenAI/x", "model": "x"}, "not a known slug"),
    ],
)
def test_api_checks_reject_a_bad_row(changes: dict, expected: str) -> None:
    assert any(expected in p for p in api_problems([_api_row(**changes)]))


def test_api_price_histories_do_not_overlap() -> None:
    series: dict[str, list[ApiPrice]] = {}
    for row in _load("api"):
        series.setdefault(row.series, []).append(row)
    overlaps = []
    for key, rows in series.items():
        rows.sort(key=lambda r: r.valid_from or dt.date.min)
        for before, after in zip(rows, rows[1:]):
            if before.valid_until is None or after.valid_from is None or before.valid_until >= after.valid_from:
                overlaps.append(f"{before.id} / {after.id}")
    assert overlaps == []


def test_api_checks_reject_a_duplicate_provider_model() -> None:
    row = _load("api")[0]
    twin = _api_row(id=row.id)  # same provider and model
    assert any("duplicate" in p for p in api_problems([row, twin]))


def test_api_checks_reject_a_long_context_tier_below_standard() -> None:
    row = next(r for r in _load("api") if r.long_context_threshold_tokens is not None)
    data = row.model_dump() | {"long_context_output_usd_per_mtok": row.output_usd_per_mtok / 2}
    assert any("long_context_output" in p for p in api_problems([ApiPrice.model_validate(data)]))


def test_rental_checks_reject_an_unknown_gpu_and_an_instance_price_as_per_gpu() -> None:
    row = _load("rental")[0]
    unknown = GpuRental.model_validate(row.model_dump() | {"gpu": "h100"})
    per_gpu = 100.0
    one_gpu = {"gpu_count": 1, "usd_per_hour": per_gpu, "usd_per_gpu_hour": per_gpu}
    slip = GpuRental.model_validate(row.model_dump() | one_gpu)
    problems = rental_problems([unknown, slip])
    assert any("not a catalog GPU id" in p for p in problems)
    assert any("outside" in p for p in problems)


def test_hardware_checks_reject_a_price_in_thousands() -> None:
    row = next(r for r in _load("hardware") if r.kind == "gpu")
    slip = HardwarePrice.model_validate(row.model_dump() | {"price_usd": row.price_usd / 1000})
    assert any("outside" in p for p in hardware_problems([slip]))


def test_common_checks_reject_a_future_date_and_a_bare_source() -> None:
    row = _load("seats")[0]
    today = dt.date.today()
    future = SeatPlan.model_validate(row.model_dump() | {"as_of": today + dt.timedelta(days=1)})
    bare = SeatPlan.model_validate(row.model_dump() | {"source": "the vendor's website"})
    problems = common_problems([future, bare], today)
    assert any("future" in p for p in problems)
    assert any("neither" in p for p in problems)


def _copy_with_bad_cell(tmp_path: Path, table: str, row_index: int, column: str, value: str) -> tuple[Path, int]:
    """Copy a shipped table to tmp_path with one cell replaced; return the copy and its line."""
    src = PRICING_DIR / f"{table}.csv"
    with src.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    rows[row_index][column] = value
    dst = tmp_path / f"{table}.csv"
    with dst.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return dst, row_index + 2  # header is line 1


@pytest.mark.parametrize(
    ("table", "column", "value", "field"),
    [
        ("api", "input_usd_per_mtok", "-1", "input_usd_per_mtok"),
        ("api", "as_of", "last week", "as_of"),
        ("rental", "usd_per_gpu_hour", "0.01", None),
        ("seats", "monthly_usd_per_seat", "twenty", "monthly_usd_per_seat"),
        ("hardware", "kind", "rack", "kind"),
    ],
)
def test_a_broken_copy_is_rejected_with_file_and_line(
    tmp_path: Path, table: str, column: str, value: str, field: str | None
) -> None:
    row_index = 3
    path, line = _copy_with_bad_cell(tmp_path, table, row_index, column, value)
    with pytest.raises(PricingError) as info:
        read_csv(table, path)
    message = str(info.value)
    assert f"{path}:{line}:" in message
    if field is not None:
        assert field in message


def test_a_duplicated_row_is_rejected_with_both_lines(tmp_path: Path) -> None:
    lines = (PRICING_DIR / "api.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "api.csv"
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    with pytest.raises(PricingError) as info:
        read_csv("api", path)
    message = str(info.value)
    assert f"{path}:{len(lines) + 1}:" in message
    assert "first on line 2" in message


def test_the_electricity_rows_note_is_read_whole() -> None:
    """Its note held an unquoted comma ('the EIA table, which states ...'): the reader dropped the rest unsaid and
    `pricing show electricity_usd_per_kwh` ended the note at 'the dated read of the EIA table'."""
    from costcalc.pricing.tables import shipped

    row = next(r for r in shipped("datacenter") if r.id == "electricity_usd_per_kwh")
    assert row.notes is not None and row.notes.endswith("(table read 2026-04-26 via energypricestoday.com)")
