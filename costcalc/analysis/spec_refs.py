"""The catalog rows a self-hosted option's figures rest on, as the JSON report names them beside its prices."""

from __future__ import annotations

from costcalc.catalog.specs import CustomGpuSpec
from costcalc.report.result import SpecRef
from costcalc.resolve.hardware import ResolvedSelfHosted


def spec_refs(opt: ResolvedSelfHosted) -> tuple[SpecRef, ...]:
    """The GPU catalog row (its power and the specs behind any estimate) and, where the throughput is estimated, the
    model catalog row (parameters, layers, attention, experts): the rows the assumptions cite as 'gpu ...' and
    'model ...'. A custom_gpu is the scenario's own figures, no catalog row."""
    refs = []
    gpu = opt.gpu
    if not isinstance(gpu, CustomGpuSpec):
        refs.append(SpecRef(catalog="gpus", id=gpu.id, source=gpu.source, as_of=gpu.as_of))
    if opt.throughput.kind == "estimated":
        model = opt.model
        refs.append(SpecRef(catalog="models", id=model.id, source=model.source, as_of=model.as_of))
    return tuple(refs)
