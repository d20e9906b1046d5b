"""Selection + upstream data → api.csv rows with provenance, dated periods and plausibility checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from costcalc.errors import PricingError
from costcalc.pricing.build import genai
from costcalc.pricing.build.pins import Pin
from costcalc.pricing.build.selection import Choice
from costcalc.pricing.schema import ApiPrice
from costcalc.pricing.sources.litellm import entry_prices
from costcalc.pricing.validate import implausible
from costcalc.pricing.windows import parse as parse_windows

LITELLM_FILE = "litellm/model_prices_and_context_window_backup.json"
GENAI_FILE = "genai_prices/data.py"
# costcalc provider slug → genai-prices provider id and litellm key prefix, where they differ
GENAI_PROVIDER = {"xai": "x-ai", "moonshot": "moonshotai"}
LITELLM_PREFIX = {"google": "gemini", "together": "together_ai", "fireworks": "fireworks_ai"}
# Tiers genai-prices records as request variants: where its entry has none and litellm prices the tier at the
# same standard price, the row valid on the build date takes litellm's (input and output both, cache read if given)
TIER_GROUPS = {
    "batch": ("batch_input_usd_per_mtok", "batch_output_usd_per_mtok"),
    "flex": ("flex_input_usd_per_mtok", "flex_output_usd_per_mtok", "flex_cached_input_usd_per_mtok"),
    "priority": ("priority_input_usd_per_mtok", "priority_output_usd_per_mtok", "priority_cached_input_usd_per_mtok"),
}
SAME_STANDARD_PRICE = 0.01  # litellm's tier applies only where its standard input and output match within 1 %


@dataclass
class Upstreams:
    """The two upstream datasets and the pinned releases they came from."""

    genai_providers: list[dict[str, Any]]
    litellm: dict[str, Any]
    genai_pin: Pin
    litellm_pin: Pin | None = None  # None: no litellm data (`pricing update` reads genai-prices alone)


@dataclass
class Built:
    """One selection line's rows, and both upstreams' values on the build date for the cross-check."""

    choice: Choice
    rows: list[ApiPrice]
    genai_now: dict[str, Any] | None = None
    litellm_now: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)
    successor_key: str | None = None  # the litellm key upstream names as the replacement of a retiring model
    from_litellm: tuple[str, ...] = ()  # fields of the row valid on the build date that came from litellm


def built_on(upstreams: Upstreams, hand_rows: list[ApiPrice]) -> dt.date:
    """The table's build date, from its inputs alone: the newest pinned release or hand-checked row."""
    pins = [pin for pin in (upstreams.genai_pin, upstreams.litellm_pin) if pin is not None]
    return max([pin.uploaded for pin in pins] + [r.as_of for r in hand_rows])


def build_choice(choice: Choice, upstreams: Upstreams, on: dt.date) -> Built:
    """The rows of one selection line: every dated period from its primary upstream."""
    where = f"pricing/build/selection.csv:{choice.line}: {choice.id}"
    built = Built(choice=choice, rows=[])
    facts = None
    if choice.genai_prices:
        facts = _genai_facts(choice, upstreams, where)
        current = next((p for p in facts.periods if _covers(p, on)), facts.periods[-1])
        built.genai_now = current.values
    entry = None
    if choice.litellm:
        entry = upstreams.litellm.get(choice.litellm)
        if not isinstance(entry, dict) or upstreams.litellm_pin is None:
            version = upstreams.litellm_pin.version if upstreams.litellm_pin else "(none loaded)"
            raise PricingError(f"{where}: litellm {version} has no key {choice.litellm!r}")
        built.litellm_now = {k: v for k, v in entry_prices(entry).items() if v is not None}
    retires = _retirement(entry)
    extra = [_retirement_note(entry, retires)] if retires else []
    if retires and retires <= on:
        built.warnings.append(f"{choice.id}: litellm lists deprecation on {retires}, before the build date {on}")
    if choice.primary == "genai-prices":
        assert facts is not None
        for period in facts.periods:
            built.rows.append(_genai_row(choice, facts, period, upstreams.genai_pin, where, extra))
        if built.litellm_now and upstreams.litellm_pin is not None:
            _add_litellm_tiers(built, upstreams.litellm_pin, on, where)
    else:
        assert entry is not None and upstreams.litellm_pin is not None
        built.rows.append(_litellm_row(choice, entry, upstreams.litellm_pin, where))
    if retires and retires > on:
        built.rows = end_at_retirement(built.rows, retires)
        built.successor_key = str(entry["successor_model"]) if entry and entry.get("successor_model") else None
    return built


def _add_litellm_tiers(built: Built, pin: Pin, on: dt.date, where: str) -> None:
    """The row valid on the build date gains the batch/flex/priority tiers only litellm prices, with a note."""
    assert built.litellm_now is not None
    index = next((i for i, r in enumerate(built.rows) if r.valid_on(on)), None)
    if index is None:
        return
    row, theirs = built.rows[index], built.litellm_now
    added: dict[str, Any] = {}
    tiers = []
    for tier, names in TIER_GROUPS.items():
        if any(getattr(row, name) is not None for name in names) or any(theirs.get(n) is None for n in names[:2]):
            continue
        tiers.append(tier)
        added.update({name: theirs[name] for name in names if theirs.get(name) is not None})
    if not added:
        return
    if row.peak_hours_utc or not all(
        theirs.get(name) is not None and _close(float(theirs[name]), getattr(row, name))
        for name in ("input_usd_per_mtok", "output_usd_per_mtok")
    ):
        note = f"litellm {pin.version} also prices {_listed(tiers)} at another standard price (not shipped)"
        built.rows[index] = row.model_copy(update={"notes": "; ".join(n for n in (row.notes, note) if n)})
        return
    for name, value in added.items():
        problem = implausible(name, value)
        if problem:
            raise PricingError(f"{where}: {name} (litellm {pin.version}): {problem}")
    note = (
        f"{_listed(tiers)} prices from litellm {pin.version} key '{built.choice.litellm}'"
        f" (genai-prices has none; same standard price)"
    )
    built.rows[index] = ApiPrice.model_validate(
        row.model_dump()
        | added
        | {"as_of": max(row.as_of, pin.uploaded), "notes": "; ".join(n for n in (row.notes, note) if n)}
    )
    built.from_litellm = tuple(added)


def _listed(names: list[str]) -> str:
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def _close(theirs: float, ours: float) -> bool:
    return abs(theirs - ours) <= SAME_STANDARD_PRICE * abs(ours)


def _retirement(entry: dict[str, Any] | None) -> dt.date | None:
    """The day litellm says the model stops being served (its deprecation_date), or None."""
    value = entry.get("deprecation_date") if entry else None
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise PricingError(f"litellm deprecation_date {value!r} is not a date; update the build") from None


def _retirement_note(entry: dict[str, Any] | None, retires: dt.date) -> str:
    cited = entry.get("deprecation_source") if entry else None
    page = f" ({cited})" if isinstance(cited, str) and cited.startswith("http") else ""
    return f"litellm lists deprecation on {retires}{page}"


def end_at_retirement(rows: list[ApiPrice], retires: dt.date) -> list[ApiPrice]:
    """The series ends the day before `retires`: later periods go, the last one runs until then."""
    last_day = retires - dt.timedelta(days=1)
    kept = [r for r in rows if r.valid_from is None or r.valid_from <= last_day]
    return [
        r.model_copy(update={"valid_until": last_day}) if r.valid_until is None or r.valid_until > last_day else r
        for r in kept
    ]


def _covers(period: genai.Period, day: dt.date) -> bool:
    return (period.valid_from is None or period.valid_from <= day) and (
        period.valid_until is None or day <= period.valid_until
    )


def _genai_facts(choice: Choice, upstreams: Upstreams, where: str) -> genai.ModelFacts:
    assert choice.genai_prices is not None
    provider_id, ref = choice.genai_prices.split("/", 1)
    provider = genai.provider(upstreams.genai_providers, provider_id)
    version = upstreams.genai_pin.version
    if provider is None:
        raise PricingError(f"{where}: genai-prices {version} has no provider {provider_id!r}")
    model = genai.find_model(provider, ref)
    if model is None:
        raise PricingError(f"{where}: genai-prices {version} provider {provider_id!r} has no model matching {ref!r}")
    return genai.model_facts(provider, model, where)


def _genai_row(
    choice: Choice, facts: genai.ModelFacts, period: genai.Period, pin: Pin, where: str, extra: list[str]
) -> ApiPrice:
    values = dict(period.values)
    notes = [*period.notes, *extra]
    if values.get("peak_hours_utc") and choice.peak_days:
        windows = parse_windows(str(values["peak_hours_utc"]))
        values["peak_hours_utc"] = " ".join([choice.peak_days, *str(windows).split()[1:]])
        notes.append(f"peak windows apply {choice.peak_days} (upstream's price comments; its data has no weekday)")
    if facts.dropped_history_before and period.valid_from == facts.dropped_history_before:
        notes.append("earlier prices not shipped: upstream's daily windows carry no date (genai-prices issue #582)")
    if facts.deprecated:
        notes.append("upstream marks the model deprecated")
    entry = f"{GENAI_FILE} provider '{facts.provider_id}' model '{facts.model_id}'"
    return _validated(
        choice,
        values,
        where,
        valid_from=period.valid_from,
        valid_until=period.valid_until,
        context_window_tokens=facts.context_window,
        source=pin.url,
        as_of=max(pin.uploaded, period.valid_from) if period.valid_from else pin.uploaded,
        upstream_entry=entry,
        reference_url=facts.reference_url,
        notes=notes,
    )


def _litellm_row(choice: Choice, entry: dict[str, Any], pin: Pin, where: str) -> ApiPrice:
    notes = []
    retires = _retirement(entry)
    if retires:
        notes.append(_retirement_note(entry, retires))
    cited = entry.get("source")
    window = entry.get("max_input_tokens")
    return _validated(
        choice,
        {k: v for k, v in entry_prices(entry).items() if v is not None},
        where,
        valid_from=None,
        valid_until=None,
        context_window_tokens=int(window) if isinstance(window, (int, float)) and window > 0 else None,
        source=pin.url,
        as_of=pin.uploaded,
        upstream_entry=f"{LITELLM_FILE} key '{choice.litellm}'",
        reference_url=cited if isinstance(cited, str) and cited.startswith("http") else None,
        notes=notes,
    )


def _validated(choice: Choice, values: dict[str, Any], where: str, **meta: Any) -> ApiPrice:
    """One row through the plausibility bounds of `pricing validate` and the schema; errors name the row."""
    valid_from = meta["valid_from"]
    notes = meta.pop("notes")
    data = {
        "id": choice.id + (f"@{valid_from.isoformat()}" if valid_from else ""),
        "provider": choice.provider,
        "model": choice.model,
        "open_weight_model": choice.open_weight_model,
        **values,
        **meta,
        "notes": "; ".join(notes) or None,
    }
    for name, value in data.items():
        problem = implausible(name, value)
        if problem:
            raise PricingError(f"{where}: {name}: {problem}")
    try:
        return ApiPrice.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise PricingError(f"{where}: {'.'.join(str(x) for x in err['loc'])}: {err['msg']}") from None


def check_hand_row(row: ApiPrice, upstreams: Upstreams, where: str) -> None:
    """A hand-researched row is allowed only for a model neither upstream prices."""
    if not row.source.startswith(("http://", "https://")):
        raise PricingError(f"{where}: source must be the vendor's page (an http(s) URL)")
    provider = genai.provider(upstreams.genai_providers, GENAI_PROVIDER.get(row.provider, row.provider))
    if provider is not None and genai.find_model(provider, row.model) is not None:
        raise PricingError(
            f"{where}: genai-prices {upstreams.genai_pin.version} prices {row.series}; "
            "add it to pricing/build/selection.csv instead of researching it by hand"
        )
    prefix = LITELLM_PREFIX.get(row.provider, row.provider)
    version = upstreams.litellm_pin.version if upstreams.litellm_pin else ""
    for key in (f"{prefix}/{row.model}", row.model if row.provider in ("openai", "anthropic") else None):
        if key and key in upstreams.litellm:
            raise PricingError(
                f"{where}: litellm {version} prices {row.series} (key {key!r}); "
                "add it to pricing/build/selection.csv instead of researching it by hand"
            )
