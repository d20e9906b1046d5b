"""The README's input reference, generated from the scenario models (every key, type, default, meaning)."""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel

import costcalc.models as m
from costcalc.models.options import CustomGpu

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("Scenario (top level)", m.Scenario),
    ("`workload` (a mapping, or a path to a usage YAML file)", m.Workload),
    ("`workload.slo`", m.Slo),
    ("`workload.input_length_buckets[]`", m.LengthBucket),
    ("`options[]` with `kind: api`", m.ApiOption),
    ("`options[].prices` (api)", m.ApiPrices),
    ("`options[]` with `kind: subscription`", m.SubscriptionOption),
    ("`options[]` with `kind: self_hosted`", m.SelfHostedOption),
    ("`options[].one_off_costs[]` (any kind)", m.OneOffCost),
    ("`options[].hardware` (a mapping, or a path to a hardware YAML file)", m.Hardware),
    ("`options[].hardware.lease` (acquisition: lease)", m.Lease),
    ("`options[].hardware.custom_gpu`", CustomGpu),
    ("`options[].power` (bought hardware)", m.Power),
    ("`options[].hosting` (bought hardware)", m.Hosting),
    ("`options[].operations`", m.Operations),
    ("`options[].throughput`", m.Throughput),
    ("`options[].throughput.points[]`", m.ThroughputPoint),
    ("`pricing[]` (negotiated prices)", m.PriceOverride),
    ("`currency`", m.Currency),
]

_NAMES = {"str": "text", "float": "number", "int": "integer", "bool": "true/false", "date": "date", "Any": "any"}


def _type(annotation: typing.Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return "option mapping"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type(a) for a in typing.get_args(annotation) if a is not type(None))
    if origin is tuple:
        return f"list of {_type(typing.get_args(annotation)[0])}"
    if origin is dict:
        return "mapping"
    if origin is typing.Literal:
        return " \\| ".join(str(a) for a in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    name = getattr(annotation, "__name__", str(annotation))
    return _NAMES.get(name, name)


def _default(field: typing.Any) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None or field.default == ():
        return "empty"
    if field.default is None:
        return "-"
    return f"`{field.default}`"


def reference_markdown() -> str:
    """Markdown tables, one per input model."""
    out: list[str] = []
    for title, model in SECTIONS:
        out += ["", f"#### {title}", "", "| key | type | default | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            meaning = (field.description or "").replace("|", "/")
            out.append(f"| `{name}` | {_type(field.annotation)} | {_default(field)} | {meaning} |")
    return "\n".join(out) + "\n"
