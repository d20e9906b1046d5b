"""A self-hosted option whose replica serves no more within its SLO than one of half its GPUs: said, with the fix."""

from __future__ import annotations

from costcalc.models import SelfHostedOption
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedOption, ResolvedScenario
from costcalc.resolve.throughput import HalfReplica, half_replica_serves_more
from costcalc.words import counted


def fewer_gpus_lines(resolved: ResolvedScenario) -> list[str]:
    """'NAME: a replica of 1 GPU serves more within the SLO than one of 2 (7.87 against 7.63 requests/s, simulated):
    ...; with gpus_per_replica: 1 the same 2 GPUs serve 15.7 requests/s' for each estimated option where it holds
    (resolve.throughput.half_replica_serves_more: the serving simulation's capacity of both, one path)."""
    return [line for opt in resolved.options if (line := fewer_gpus_line(resolved, opt)) is not None]


def fewer_gpus_line(resolved: ResolvedScenario, opt: ResolvedOption) -> str | None:
    """fewer_gpus_lines' line for one option of `resolved`, or None where half its GPUs do not serve more."""
    if not isinstance(opt, ResolvedSelfHosted):
        return None
    option = next((o for o in resolved.scenario.options if o.name == opt.name), None)
    if not isinstance(option, SelfHostedOption):
        return None
    gpus = option.hardware.gpus_per_replica  # type: ignore[union-attr]  # hardware files are loaded by the loader
    own = opt.throughput
    half = half_replica_serves_more(option, opt.gpu, opt.model, gpus, resolved.workload, own)
    if half is None:
        return None
    setting = f"gpus_per_replica: {half.gpus}"
    return f"{opt.name}: {half_sentence(half, gpus, own.requests_per_s, own.meets_slo, opt.model.id, setting)}"


def half_sentence(
    half: HalfReplica, gpus: int, own_requests_per_s: float, own_meets_slo: bool, model: str, setting: str
) -> str:
    """'a replica of 1 GPU serves more within the SLO than one of 2 (7.87 against 7.63 requests/s, simulated):
    splitting MODEL over 2 GPUs costs more in their exchange than it saves; with SETTING the same 2 GPUs serve 15.7
    requests/s as 2 replicas' (SETTING: the report's 'gpus_per_replica: 1', estimate's '--gpus 1')."""
    them = counted(half.gpus, "GPU")
    if not own_meets_slo:
        said = (
            f"a replica of {them} meets the SLO at {half.requests_per_s:,.3g} requests/s, where one of {gpus} does not"
        )
    else:
        said = (
            f"a replica of {them} serves more within the SLO than one of {gpus}"
            f" ({half.requests_per_s:,.3g} against {own_requests_per_s:,.3g} requests/s, simulated)"
        )
    replicas = gpus // half.gpus
    return (
        f"{said}: splitting {model} over {gpus} GPUs costs more in their exchange than it saves; with {setting} the"
        f" same {gpus} GPUs serve {replicas * half.requests_per_s:,.3g} requests/s as {replicas} replicas"
    )
