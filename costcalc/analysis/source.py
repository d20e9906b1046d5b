"""A scenario kept as raw YAML data, rebuilt with `PATH=VALUE` settings without re-reading files (what-if base)."""

from __future__ import annotations

import copy
import typing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from costcalc.analysis.distributions import Uncertain, split_uncertain
from costcalc.errors import InputError, did_you_mean
from costcalc.models import Scenario
from costcalc.yamlio import YamlDoc

VARIANTS_KEY = "variants"


@dataclass(frozen=True)
class ScenarioSource:
    """Raw scenario data (uncertain numbers at their point values, variants set aside) plus where it came from."""

    doc: YamlDoc
    base_dir: Path
    workload_dir: Path
    uncertain: tuple[Uncertain, ...] = ()
    variants: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(
        cls,
        source: "str | Path | dict[str, Any] | Scenario | ScenarioSource",
        *,
        overrides: Sequence[str] = (),
        workload_file: str | None = None,
        stdin_text: str | None = None,
    ) -> "ScenarioSource":
        """From a path ('-' = stdin), a YAML string (with a newline), a dict or a Scenario; overrides applied."""
        from costcalc.overrides import apply_overrides
        from costcalc.yamlio import parse, read_text

        if isinstance(source, ScenarioSource):
            return source.with_settings({}, overrides=overrides)
        base = Path.cwd()
        if isinstance(source, Scenario):
            doc = YamlDoc(data=source.model_dump(mode="python", exclude_unset=True), origin=source._origin or "<scenario>")
        elif isinstance(source, dict):
            doc = YamlDoc(data=copy.deepcopy(source), origin="<dict>")
        elif isinstance(source, str) and "\n" in source:
            doc = parse(source, "<string>")
        else:
            text, origin = read_text(str(source), stdin_text)
            doc = parse(text, origin)
            if origin != "<stdin>":
                base = Path(origin).resolve().parent
        if not isinstance(doc.data, dict):
            raise InputError("a scenario must be a mapping with version, workload and options", file=doc.origin, line=1)
        data, uncertain = split_uncertain(doc.data, origin=doc.origin, lines=doc.lines)
        raw_variants = data.pop(VARIANTS_KEY, None)
        doc = YamlDoc(data=data, origin=doc.origin, lines=doc.lines)
        variants = _parse_variants(raw_variants, doc)
        if overrides:
            doc = YamlDoc(data=apply_overrides(doc, overrides), origin=doc.origin, lines=doc.lines)
        workload_dir = base
        if workload_file is not None:
            doc.data["workload"] = workload_file
            workload_dir = Path.cwd()
        src = cls(doc, base, workload_dir, tuple(uncertain), variants)
        src.build()  # validate now: errors name the file and line
        return src

    def with_settings(self, settings: Mapping[str, Any], *, overrides: Sequence[str] = ()) -> "ScenarioSource":
        """A new source whose data has these settings (path → value) and 'PATH=VALUE' overrides applied."""
        from costcalc.overrides import parse_override

        data = self.data_with(settings)
        for text in overrides:
            parts, value = parse_override(text)
            _set(data, parts, value, text)
        return replace(self, doc=YamlDoc(data=data, origin=self.doc.origin, lines=self.doc.lines), _cache={})

    def data_with(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """A deep copy of the data with each setting applied (paths as for --set)."""
        from costcalc.overrides import parse_path

        data = copy.deepcopy(self.doc.data)
        for path, value in settings.items():
            _set(data, parse_path(path), _plain(value), f"{path}={value}")
        return data

    def build(self, settings: Mapping[str, Any] | None = None) -> Scenario:
        """The validated Scenario with these settings applied; validated exactly like the file."""
        from costcalc.loaders import _resolve_references, _shown_lines, validate

        key = tuple(sorted((k, repr(v)) for k, v in (settings or {}).items()))
        if key in self._cache:
            return self._cache[key]
        data = self.data_with(settings or {})
        data = _resolve_references(data, self.doc, self.base_dir, self.workload_dir)
        scenario = validate(Scenario, data, self.doc)
        scenario._origin = self.doc.origin
        scenario._lines = _shown_lines(self.doc)
        if len(self._cache) < 256:
            self._cache[key] = scenario
        return scenario

    def line_of(self, path: str) -> int | None:
        """Line of a shown path such as 'options[GPT-5].model' in the file."""
        from costcalc.loaders import _shown_lines

        probe = path
        shown = _shown_lines(self.doc)
        while probe:
            if probe in shown:
                return shown[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return None


def _plain(value: Any) -> Any:
    """numpy scalars → Python numbers (pydantic and YAML want plain values)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _set(data: dict[str, Any], parts: list[str | int], value: Any, label: str) -> None:
    from costcalc.overrides import set_path

    set_path(data, parts, value, label)


def _parse_variants(raw: Any, doc: YamlDoc) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """`variants: {NAME: {PATH: VALUE, ...}, ...}` → ((name, ((path, value), ...)), ...); paths checked when built."""
    if raw is None:
        return ()
    line = doc.line_of((VARIANTS_KEY,))
    if not isinstance(raw, dict):
        raise InputError("variants must map a name to {PATH: VALUE} overrides", file=doc.origin, line=line, field="variants")
    items = [(str(k), v or {}) for k, v in raw.items()]
    out = []
    for name, settings in items:
        if not isinstance(settings, dict):
            raise InputError("a variant is a mapping of PATH: VALUE overrides, e.g. {workload.requests_per_day: 3e5}",
                             file=doc.origin, line=line, field=f"variants.{name}")
        out.append((name, tuple((str(k), v) for k, v in settings.items())))
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        raise InputError("variant names must be unique", file=doc.origin, line=line, field="variants")
    return tuple(out)


def field_info(scenario: Scenario, parts: Sequence[str | int]) -> Any:
    """The pydantic FieldInfo of the leaf a path names (None when it is not a model field)."""
    from costcalc.loaders import _model_in

    model: Any = Scenario
    node: Any = scenario
    info = None
    for part in parts:
        if isinstance(part, int) or (isinstance(node, tuple)):
            if isinstance(node, tuple):
                node = _pick(node, part)
                model = type(node)
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        info = fields[part]
        node = getattr(node, part, None)
        model = type(node) if hasattr(type(node), "model_fields") else _model_in(info.annotation, None)
    return info


def _pick(items: tuple[Any, ...], sel: str | int) -> Any:
    if isinstance(sel, int):
        return items[sel]
    for item in items:
        if getattr(item, "name", None) == sel:
            return item
    raise InputError(f"no option named {sel!r}{did_you_mean(str(sel), [getattr(i, 'name', '') for i in items])}")


def is_int_field(info: Any) -> bool:
    """True when a field takes whole numbers (int, Optional[int])."""
    if info is None:
        return False
    ann = info.annotation
    args = typing.get_args(ann) or (ann,)
    return int in args and float not in args


def bounds(info: Any) -> tuple[float, float, bool, bool]:
    """(low, high, low inclusive, high inclusive) from a field's ge/gt/le/lt constraints."""
    lo, hi, lo_inc, hi_inc = -float("inf"), float("inf"), True, True
    for m in getattr(info, "metadata", ()) if info is not None else ():
        for attr, is_low, inclusive in (("ge", True, True), ("gt", True, False), ("le", False, True), ("lt", False, False)):
            v = getattr(m, attr, None)
            if v is None:
                continue
            if is_low:
                lo, lo_inc = float(v), inclusive
            else:
                hi, hi_inc = float(v), inclusive
    return lo, hi, lo_inc, hi_inc
