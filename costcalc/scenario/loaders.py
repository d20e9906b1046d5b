"""Scenario, usage and hardware YAML → validated models; every error names file, line and field."""

from __future__ import annotations

import os
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from costcalc.errors import InputError, did_you_mean
from costcalc.models import Hardware, Scenario, SelfHostedOption, Workload
from costcalc.scenario.fields import model_in
from costcalc.scenario.overrides import apply_overrides, set_path
from costcalc.scenario.yamlio import YamlDoc, parse, read_text

INPUT_TYPES = (int, float, str, bool)


def load_scenario(
    source: str | Path | dict[str, Any],
    *,
    overrides: typing.Sequence[str] = (),
    workload_file: str | None = None,
    stdin_text: str | None = None,
) -> Scenario:
    """Load a scenario from a path ('-' for stdin), a YAML string containing a newline, or a dict."""
    if isinstance(source, dict):
        doc = YamlDoc(data=source, origin="<dict>")
        base = Path.cwd()
    elif isinstance(source, str) and "\n" in source:
        doc = parse(source, "<string>")
        base = Path.cwd()
    else:
        text, origin = read_text(str(source), stdin_text)
        doc = parse(text, origin)
        base = Path.cwd() if origin == "<stdin>" else Path(origin).resolve().parent
    if not isinstance(doc.data, dict):
        raise InputError("a scenario must be a mapping with version, workload and options", file=doc.origin, line=1)
    from costcalc.scenario.distributions import split_uncertain

    point_data, uncertain = split_uncertain(doc.data, origin=doc.origin, lines=doc.lines)
    doc = YamlDoc(data=point_data, origin=doc.origin, lines=doc.lines)
    if workload_file is not None:
        doc.data["workload"] = str(Path(workload_file).resolve())
    data, into_files = apply_overrides(doc, overrides)
    _check_unique_names(data, doc)
    data = _resolve_references(absolute_references(data, base), into_files)
    scenario = validate(Scenario, data, doc)
    scenario._origin = doc.origin
    scenario._lines = shown_lines(doc)
    scenario._uncertain = tuple(uncertain)
    return scenario


def _check_unique_names(data: dict[str, Any], doc: YamlDoc) -> None:
    """Two options with one name would be indistinguishable in every report: name the second."""
    options = data.get("options")
    if not isinstance(options, list):
        return
    first: dict[str, int] = {}
    for i, opt in enumerate(options):
        name = opt.get("name") if isinstance(opt, dict) else None
        if not isinstance(name, str):
            continue
        if name in first:
            raise InputError(
                f"duplicate option name {name!r} (also options[{first[name]}]); give each option its own name",
                file=doc.origin,
                line=doc.line_of(("options", i, "name")),
                field=f"options[{i}].name",
            )
        first[name] = i


def shown_lines(doc: YamlDoc) -> dict[str, int]:
    """Line of every field path, written as errors show it (options by name)."""
    out: dict[str, int] = {}
    for path, line in doc.lines.items():
        shown = ""
        node = doc.data
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                name = node.get("name") if isinstance(node, dict) else None
                shown += f"[{name}]" if isinstance(name, str) else f"[{part}]"
            elif isinstance(node, dict) and part in node:
                node = node[part]
                shown += ("." if shown else "") + str(part)
            else:
                break
        else:
            out[shown] = line
    return out


Overrides = list[tuple[list[Any], Any, str]]


def load_workload(path: str, overrides: Overrides = ()) -> Workload:  # type: ignore[assignment]
    """A usage profile from its own YAML file (with parsed overrides applied)."""
    return _load_part(Workload, path, overrides)


def load_hardware(path: str, overrides: Overrides = ()) -> Hardware:  # type: ignore[assignment]
    """A hardware spec from its own YAML file (with parsed overrides applied)."""
    return _load_part(Hardware, path, overrides)


def _load_part(model: type[BaseModel], path: str, overrides: Overrides) -> Any:
    shown = os.path.relpath(path)
    text, origin = read_text(path if shown.startswith("..") else shown)
    doc = parse(text, origin)
    if overrides and not isinstance(doc.data, dict):
        raise InputError("expected a mapping of keys", file=origin, line=1)
    for parts, value, label in overrides:
        set_path(doc.data, parts, value, label, root=model)
    return validate(model, doc.data, doc)


def _resolve_references(data: dict[str, Any], into_files: dict[tuple[Any, ...], Overrides]) -> dict[str, Any]:
    """Replace `workload: FILE` and `hardware: FILE` (absolute paths by now) with the models loaded from them."""
    data = dict(data)
    if isinstance(data.get("workload"), str):
        data["workload"] = load_workload(data["workload"], into_files.get(("workload",), []))
    options = data.get("options")
    if isinstance(options, list):
        data["options"] = [
            {**opt, "hardware": load_hardware(opt["hardware"], into_files.get(("options", i, "hardware"), []))}
            if isinstance(opt, dict) and opt.get("kind") == "self_hosted" and isinstance(opt.get("hardware"), str)
            else opt
            for i, opt in enumerate(options)
        ]
    return data


def absolute_references(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """A copy with workload, hardware and benchmark file paths made absolute against the scenario's folder."""

    def absolute(p: Any) -> Any:
        if not isinstance(p, str):
            return p
        path = Path(p).expanduser()
        return str(path if path.is_absolute() else (base / path).resolve())

    data = dict(data)
    if isinstance(data.get("workload"), str):
        data["workload"] = absolute(data["workload"])
    options = data.get("options")
    if isinstance(options, list):
        fixed = []
        for opt in options:
            if isinstance(opt, dict):
                opt = dict(opt)
                if isinstance(opt.get("hardware"), str):
                    opt["hardware"] = absolute(opt["hardware"])
                throughput = opt.get("throughput")
                if isinstance(throughput, dict) and "measured" in throughput:
                    m = throughput["measured"]
                    opt["throughput"] = {
                        **throughput,
                        "measured": [absolute(x) for x in m] if isinstance(m, list) else absolute(m),
                    }
            fixed.append(opt)
        data["options"] = fixed
    return data


def validate(model: type[BaseModel], data: Any, doc: YamlDoc) -> Any:
    """Validate `data` against `model`; the first error becomes one InputError with file:line and field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = _relevant(exc.errors(include_url=False))
        # a misspelt key also makes its correct name 'missing'; the unknown key (with its hint) is the fix
        first = min(errors, key=lambda e: e["type"] != "extra_forbidden")
        raise _to_input_error(first, len(errors), model, data, doc) from None


def _relevant(errors: list[Any]) -> list[Any]:
    """Drop union noise: 'not a string' for fields that also take a file path, and follow-on length errors."""

    def noise(err: Any) -> bool:
        loc = err["loc"]
        if err["type"] == "string_type" and loc and loc[-1] == "str":
            return True
        return err["type"] == "too_short" and any(e["loc"][: len(loc)] == loc and e is not err for e in errors)

    kept = [e for e in errors if not noise(e)]
    return kept or errors


def _to_input_error(err: Any, count: int, model: type[BaseModel], data: Any, doc: YamlDoc) -> InputError:
    data_path, shown = _data_path(err["loc"], data)
    line = doc.line_of(data_path)
    kind = err["type"]
    more = f" (+{count - 1} more)" if count > 1 else ""
    if kind == "extra_forbidden":
        key = data_path[-1] if data_path else "?"
        allowed = sorted(_fields_at(model, err["loc"][:-1], data))
        hint = did_you_mean(str(key), allowed) or f"; allowed keys: {', '.join(allowed)}"
        msg = f"unknown key {key!r}{hint}"
    elif kind == "missing":
        msg = "missing required field; add it"
    elif kind == "union_tag_invalid" or kind == "union_tag_not_found":
        got = (err.get("ctx") or {}).get("tag")
        hint = did_you_mean(str(got), ["api", "subscription", "self_hosted"]) if got else ""
        msg = (
            f"kind {got!r} is not one of api, subscription, self_hosted{hint}"
            if got
            else "kind is missing; use api, subscription or self_hosted"
        )
        shown = f"{shown}.kind" if shown else "kind"
        line = doc.line_of((*data_path, "kind"))
    else:
        text = str(err["msg"]).removeprefix("Value error, ")
        value = err.get("input")
        got = f" (got {value!r})" if isinstance(value, INPUT_TYPES) else ""
        msg = f"{text}{got}"
    return InputError(msg + more, file=doc.origin, line=line, field=shown or None)


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], str]:
    """Map pydantic's loc (with union tags) to a path in the data and a readable field name."""
    path: list[Any] = []
    shown = ""
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
            name = node.get("name") if isinstance(node, dict) else None
            shown += f"[{name}]" if isinstance(name, str) else f"[{part}]"
        elif isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
            shown += ("." if shown else "") + str(part)
        elif isinstance(node, dict) and isinstance(part, str) and not _is_tag(part, node):
            path.append(part)  # a missing key: point at its parent's line
            shown += ("." if shown else "") + part
            node = None
        # else: a union tag such as 'self_hosted' or a validator name: not part of the data path
    return tuple(path), shown


def _is_tag(part: str, node: dict[str, Any]) -> bool:
    return node.get("kind") == part or part.startswith(("function-", "tagged-union", "str", "dict"))


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...], data: Any) -> set[str]:
    """Field names of the model that validates the mapping at `loc`."""
    current: Any = model
    annotation: Any = None  # of the last field: a list item's model is chosen by that item, not the first one
    node = data
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if annotation is not None and isinstance(node, dict):
                current = model_in(annotation, node)
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            continue  # a union tag; the next real field decides
        annotation = fields[part].annotation
        current = model_in(annotation, node.get(part) if isinstance(node, dict) else None)
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict) and hasattr(current, "__args__"):
        current = model_in(current, node)
    return set(getattr(current, "model_fields", {}))


def self_hosted_options(scenario: Scenario) -> list[SelfHostedOption]:
    """The self-hosted options of a scenario, in order."""
    return [o for o in scenario.options if isinstance(o, SelfHostedOption)]
