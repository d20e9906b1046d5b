"""recommend's request checks (analysis/recommend/checks.py): unknown GPUs, engines and precisions say what they may be."""

from __future__ import annotations

import pytest

from costcalc.analysis.recommend.checks import checked, models_to_search
from costcalc.analysis.recommend.space import Constraints
from costcalc.errors import CatalogError, InputError
from costcalc.models import Scenario


def test_gpu_ids_are_made_canonical_and_unknown_ones_refused() -> None:
    assert checked(Constraints(gpus=("h100-sxm-80gb",))).gpus == ("h100-sxm-80gb",)
    with pytest.raises(CatalogError, match=r"h100x.*did you mean: h100-sxm-80gb"):
        checked(Constraints(gpus=("h100x",)))


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Constraints(engines=("vlm",)), r"^engines=: unknown engine 'vlm' \(did you mean: vllm\?\); valid: "),
        (Constraints(max_gpus=0), r"^max_gpus=: must be at least 1$"),
        (Constraints(acquisition="lease"), r"^acquisition=: rent or buy, not 'lease'$"),
    ],
)
def test_a_bad_constraint_is_named(limits: Constraints, message: str) -> None:
    with pytest.raises(InputError, match=message):
        checked(limits)


def test_models_come_from_the_request_else_the_scenarios_self_hosted_options(base_scenario: dict) -> None:
    scenario = Scenario(**base_scenario)
    assert [m.id for m in models_to_search(scenario, ["gpt-oss-20b"])] == ["gpt-oss-20b"]
    own = [o["model"] for o in base_scenario["options"] if o.get("kind") == "self_hosted"]
    assert [m.id for m in models_to_search(scenario, [])] == list(dict.fromkeys(own))
