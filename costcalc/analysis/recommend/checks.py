"""The models and constraints of a recommend request checked against the catalog, and why nothing was left."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costcalc.analysis.recommend.space import Constraints, build_space, known_engines, known_precisions
from costcalc.catalog import get_gpu, get_model
from costcalc.catalog.specs import ModelSpec
from costcalc.errors import CatalogError, InputError, did_you_mean
from costcalc.models import Scenario, SelfHostedOption
from costcalc.resolve.blame import at_scenario


def models_to_search(scenario: Scenario, given: Sequence[str]) -> list[ModelSpec]:
    """--model ids (checked against the catalog), else the models of the scenario's self-hosted options."""
    own: dict[str, str] = {}  # each model the scenario self-hosts → its first option's name (for the error's line)
    for o in scenario.options:
        if isinstance(o, SelfHostedOption) and not given:
            own.setdefault(o.model, o.name)
    ids = list(given) or list(own)
    if not ids:
        raise InputError(
            "the scenario has no self_hosted option to take a model from; give the model ids to search, e.g."
            " models=gpt-oss-120b (`costcalc catalog models` lists them)",
            param="models",
            mentions=("models",),
            named=True,
        )
    out: list[ModelSpec] = []
    for model_id in ids:
        try:
            spec = get_model(model_id)
        except CatalogError as exc:
            if given:
                raise CatalogError(exc.detail, param="models") from None
            raise at_scenario(CatalogError(exc.detail, field=f"options[{own[model_id]}].model"), scenario) from None
        if spec not in out:
            out.append(spec)
    return out


def checked(limits: Constraints, custom: tuple[str, ...] = ()) -> Constraints:
    """Constraints with GPU ids made canonical; unknown GPUs, engines and precisions say what they may be. `custom`:
    the names of the scenario's custom GPUs searched, which --gpu may name too."""
    gpus = []
    for gpu_id in limits.gpus:
        if gpu_id in custom:
            gpus.append(gpu_id)
            continue
        try:
            gpus.append(get_gpu(gpu_id).id)
        except CatalogError as exc:
            raise CatalogError(exc.detail, param="gpus") from None
    for param, values, known in (
        ("engines", limits.engines, known_engines()),
        ("precisions", limits.precisions, known_precisions()),
    ):
        for value in values:
            if value not in known:
                raise InputError(
                    f"unknown {param[:-1]} {value!r}{did_you_mean(value, known)}; valid: {', '.join(known)}",
                    param=param,
                )
    if limits.max_gpus < 1:
        raise InputError("must be at least 1", param="max_gpus")
    if limits.acquisition not in (None, "rent", "buy"):
        raise InputError(f"rent or buy, not {limits.acquisition!r}", param="acquisition")
    return Constraints(
        gpus=tuple(gpus),
        max_gpus=limits.max_gpus,
        acquisition=limits.acquisition,
        providers=limits.providers,
        engines=limits.engines,
        precisions=limits.precisions,
    )


def nothing_left(
    models: list[ModelSpec], catalog: Any, book: Any, limits: Constraints, own_offers: Any = None
) -> InputError:
    """The constraints left nothing with a price: name the one that removed the most candidates on its own."""
    from dataclasses import replace

    free = Constraints()
    total = build_space(models, catalog, book, free, own_offers).candidates
    given = limits.given()  # by the API's names; the command line says each as its flag (`mentions`)
    if not given:
        return InputError(
            "no catalog GPU has a rental offer or purchase price to search; give a price file with rental or"
            " hardware rows (pricing_files=)",
            mentions=("pricing_files",),
        )
    removed = {
        name: total
        - build_space(models, catalog, book, replace(free, **{name: getattr(limits, name)}), own_offers).candidates
        for name in given
    }
    worst = max(removed, key=lambda n: (removed[n], n))
    providers = sorted({p.row.provider for p in book.rows("rental")})
    hint = f" (providers: {', '.join(providers)})" if worst == "providers" else ""
    return InputError(
        f"{' '.join(f'{n}={v}' for n, v in given.items())} leave no priced configuration of"
        f" {', '.join(m.id for m in models)} to search ({total:,} without them); {worst}={given[worst]} alone"
        f" removes the most ({removed[worst]:,}): loosen it{hint}",
        param=worst,
        mentions=tuple(given),
        named=True,
    )
