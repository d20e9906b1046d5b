"""The one scenario loader: YAML (file, stdin, string or dict) → raw data kept with its lines → validated Scenario.

A ScenarioSource keeps the raw data (uncertain numbers at their point values, file references made
absolute, `variants:` parsed) and builds a validated Scenario with any `PATH=VALUE` settings applied:
`report` builds it once, the what-if commands once per point group or variant.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from costcalc.errors import InputError, did_you_mean
from costcalc.file_kinds import file_kind, said_as
from costcalc.models import Scenario, SelfHostedOption
from costcalc.models.invalid import shown_field
from costcalc.scenario.distributions import Uncertain, drawn, split_uncertain
from costcalc.scenario.overrides import SetAt, apply_overrides, split_assignment
from costcalc.scenario.references import FileLines, ReferencePolicy, absolute_references, resolve_references
from costcalc.scenario.validate import validate
from costcalc.scenario.yamlio import DOTTED_THOUSANDS, PathKey, YamlDoc, parse, read_text
from costcalc.textsafe import clean_name, shown_name

VARIANTS_KEY = "variants"
BASE_VARIANT = "base"  # the scenario itself, shown beside its variants
BUILD_CACHE = 256  # scenarios kept per source (corners, groups)


def load_scenario(
    source: str | Path | dict[str, Any] | Scenario,
    *,
    overrides: Sequence[str] = (),
    workload_file: str | None = None,
    stdin_text: str | None = None,
    allow_outside: bool | None = None,
) -> Scenario:
    """A validated Scenario from a path ('-' for stdin), a YAML string containing a newline, a dict or a Scenario.

    File references resolve against the scenario's folder (the working folder for stdin, strings and
    dicts) and may not leave it unless `allow_outside` (None: the command's --allow-outside).
    """
    return ScenarioSource.load(
        source, overrides=overrides, workload_file=workload_file, stdin_text=stdin_text, allow_outside=allow_outside
    ).build()


@dataclass(frozen=True)
class ScenarioSource:
    """Raw scenario data (uncertain numbers at their point values, file references made absolute), its
    variants, the overrides every build applies, and the file's line numbers for errors."""

    doc: YamlDoc
    overrides: tuple[str, ...] = ()
    uncertain: tuple[Uncertain, ...] = ()
    variants: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    references: ReferencePolicy | None = None
    typed: tuple[str, ...] = ()  # the overrides the user typed (--set): a bad value there is blamed on the flag
    _cache: dict[Any, Scenario] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(
        cls,
        source: str | Path | dict[str, Any] | Scenario | ScenarioSource,
        *,
        overrides: Sequence[str] = (),
        workload_file: str | None = None,
        stdin_text: str | None = None,
        allow_outside: bool | None = None,
    ) -> ScenarioSource:
        """From a path ('-' = stdin), a YAML string (with a newline), a dict or a Scenario; validated now.

        File references may not leave the scenario's folder unless `allow_outside` (None: --allow-outside).
        """
        if isinstance(source, ScenarioSource):
            return source.with_settings({}, overrides=overrides)
        base = Path.cwd()
        carried: tuple[Uncertain, ...] = ()
        if isinstance(source, Scenario):
            doc = YamlDoc(
                data=source.model_dump(mode="json", exclude_unset=True),
                origin=source._origin or "<scenario>",
            )
            carried = source._uncertain  # its fields hold their point values: the {dist: ...} inputs ride along
        elif isinstance(source, dict):
            doc = YamlDoc(data=copy.deepcopy(source), origin="<dict>")
        elif isinstance(source, str) and "\n" in source:
            doc = parse(source, "<string>")
        elif not isinstance(source, (str, os.PathLike)):
            raise InputError(
                f"a scenario is a file path, a YAML string, a dict or a Scenario, not {type(source).__name__}",
                field="scenario",
            )
        else:
            text, origin = _read(source, stdin_text)
            doc = parse(text, origin)
            if origin != "<stdin>":
                base = Path(os.path.abspath(origin)).parent
        if not isinstance(doc.data, dict):
            raise InputError(
                "a scenario must be a mapping with version, workload and options",
                file=doc.origin,
                line=1,
            )
        if (kind := file_kind(doc.data)) is not None and kind.name != "scenario":
            # qa23: a saved report read "workload.requests_per_month: unknown key ... (+70 more)"; qa24: a vLLM
            # result "date: unknown key 'date' (did you mean: name?) (+52 more)"
            raise InputError(said_as(kind, "a scenario"), file=doc.origin, line=1)
        data, found = split_uncertain(doc.data, origin=doc.origin, lines=doc.lines)
        uncertain = (*found, *carried)
        variants = _parse_variants(data.get(VARIANTS_KEY), doc)
        trusted: tuple[str, ...] = ()
        if workload_file is not None:
            data["workload"] = os.path.abspath(workload_file)
            trusted = (data["workload"],)
        folder = "the working folder" if base == Path.cwd() and doc.origin.startswith("<") else "the scenario's folder"
        references = ReferencePolicy.for_root(base, allow_outside, trusted, folder)
        located = located_references(data, references, YamlDoc(data=data, origin=doc.origin, lines=doc.lines))
        doc = YamlDoc(data=located, origin=doc.origin, lines=doc.lines, written=doc.written)
        src = cls(doc, tuple(overrides), uncertain, variants, references, typed=tuple(overrides))
        src.build()  # validate now: errors name the file and line
        src.check_variants()
        return src

    def check_variants(self) -> None:
        """Build every named variant once, so that an error one of them makes names its line under `variants:`."""
        for name, settings in self.variants:
            try:
                self.with_settings(dict(settings)).build()
            except InputError as exc:
                raise self.variant_error(name, exc) from None

    def variant_error(self, name: str, exc: InputError) -> InputError:
        """`exc`, met building or costing the variant `name` (the scenario itself was fine), at the variant's line
        under `variants:` and the setting at fault: neither a `--set` the user typed nor the line of the value it
        replaced, which is fine as written."""
        settings = dict(self.variants).get(name, ())
        said = exc.field or ""

        def caused(path: str, value: Any) -> bool:
            return exc.item == _override(path, value) or said == path or said.startswith((f"{path}.", f"{path}["))

        path = next((p for p, v in settings if caused(p, v)), None)
        at = (VARIANTS_KEY, name, path) if path is not None else (VARIANTS_KEY, name)
        field = f"{VARIANTS_KEY}.{name}" + (f".{path}" if path is not None else "")
        below = exc.param is None and said and said != path  # the field at fault lies below what it set
        detail = f"{said}: {exc.detail}" if below else exc.detail
        return type(exc)(detail, file=self.doc.origin, line=self.doc.line_of(at), field=field)

    def with_settings(self, settings: Mapping[str, Any], *, overrides: Sequence[str] = ()) -> ScenarioSource:
        """A new source whose builds also apply these settings (path → value) and 'PATH=VALUE' overrides."""
        extra = tuple(_override(p, v) for p, v in settings.items()) + tuple(overrides)
        return replace(self, overrides=self.overrides + extra, typed=self.typed + tuple(overrides), _cache={})

    def build(self, settings: Mapping[str, Any] | None = None) -> Scenario:
        """The validated Scenario with the source's overrides and these settings applied (path → value)."""
        texts = self.overrides + tuple(_override(p, v) for p, v in (settings or {}).items())
        if texts in self._cache:
            return self._cache[texts]
        set_at: SetAt = {}
        data, into_files = apply_overrides(self.doc, texts, set_at)
        typed_at = {at: text for at, text in set_at.items() if text in self.typed}  # what the user typed (--set)
        _check_unique_names(data, self.doc, typed_at)
        _check_guardrails(data, self.doc, typed_at)
        policy = self.references or ReferencePolicy.for_root(Path.cwd(), root_named="the working folder")
        # --set workload=FILE is checked like the file's own, and a refusal names the --set, not the file's line
        data = located_references(data, policy, self.doc, {shown_field(at, data): t for at, t in typed_at.items()})
        typed = {at: text for at, text in set_at.items() if text in self.typed}  # not a what-if's settings
        files: FileLines = {}
        try:
            scenario: Scenario = validate(
                Scenario, resolve_references(data, into_files, policy, files), self.doc, overridden=typed
            )
        except InputError as exc:
            raise drawn(exc, self.uncertain) from None
        scenario._origin = self.doc.origin
        scenario._lines = self.shown_lines
        scenario._files = files
        scenario._uncertain = tuple(u for u in self.uncertain if not _set_by_override(u.data_path, set_at))
        scenario._set_by = {shown_field(at, data): text for at, text in typed.items()}
        written = {shown: self.doc.written[at] for at, shown in shown_paths(self.doc, self.doc.written).items()}
        for at, text in typed.items():  # --set PATH=1.000 reads as the file's 1.000 does
            value = split_assignment(text)[1].strip()
            if DOTTED_THOUSANDS.fullmatch(value):
                written[shown_field(at, data)] = value
        scenario._written = written
        _check_engine_args(scenario)
        if len(self._cache) < BUILD_CACHE:
            self._cache[texts] = scenario
        return scenario

    @property
    def shown_lines(self) -> dict[str, int]:
        """Line of every field path, as errors show it (options by name)."""
        key = ("__lines__",)
        if key not in self._cache:
            self._cache[key] = shown_lines(self.doc)  # type: ignore[assignment]
        return self._cache[key]  # type: ignore[return-value]

    def line_of(self, path: str | None) -> int | None:
        """Line of a shown path such as 'options[GPT-5].model' (or its nearest parent) in the file."""
        if not path or path.startswith("--"):
            return None
        probe, shown = path, self.shown_lines
        while probe:
            if probe in shown:
                return shown[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return None


def _read(source: str | os.PathLike[str], stdin_text: str | None) -> tuple[str, str]:
    """The text of a scenario file (or stdin for '-'); a one-line string that is no file but reads as YAML ('a: 1',
    '{...}') is told that a YAML string needs a line break, since without one it is taken for a path."""
    try:
        return read_text(str(source), stdin_text)
    except InputError as exc:
        text = source if isinstance(source, str) else ""
        if text.lstrip().startswith("{") or ": " in text:
            raise exc.moved(
                f"{exc.detail}; a YAML string is read as one only when it holds a line break (end it with '\\n')",
                file=exc.file,
                line=exc.line,
            ) from None
        raise


def located_references(
    data: dict[str, Any], references: ReferencePolicy, doc: YamlDoc, set_by: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """absolute_references, with a refused reference's error pointing at its line in the scenario, or at the `--set`
    that wrote it (`set_by`: shown field → 'PATH=VALUE'; the file's line holds something else)."""
    try:
        return absolute_references(data, references)
    except InputError as exc:
        if set_by and exc.field is not None and exc.field in set_by:
            raise InputError(exc.detail, param="overrides", item=set_by[exc.field]) from None
        lines = shown_lines(doc)
        probe = exc.field or ""
        line = None
        while probe and line is None:
            line = lines.get(probe)
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        raise exc.moved(file=doc.origin, line=line, field=exc.field) from None


def _check_engine_args(scenario: Scenario) -> None:
    """Each self-hosted option's engine arguments, checked as `estimate --engine-args` checks them (the flags the
    estimator reads, with their values): an error at the option's engine_args line, or at the `--set` that wrote it."""
    from costcalc.catalog import get_model
    from costcalc.errors import CatalogError
    from costcalc.throughput.serving.engine_args import engine_arguments

    for opt in scenario.options:
        if isinstance(opt, SelfHostedOption) and opt.engine_args is not None:
            try:
                model = get_model(opt.model)
            except CatalogError:  # an unknown model is refused where it is resolved, naming its field
                model = None
            try:
                gpus = None if isinstance(opt.hardware, str) else opt.hardware.gpus_per_replica
                engine_arguments(opt.engine, opt.engine_args, opt.engine_version, gpus, model)
            except InputError as exc:
                wrong = InputError(exc.detail, field=f"options[{opt.name}].engine_args")
                raise scenario.blamed(wrong) from None


def _check_unique_names(data: dict[str, Any], doc: YamlDoc, typed: Mapping[tuple[Any, ...], str]) -> None:
    """Two options with one name would be indistinguishable in every report: name the second, or the `--set` that
    gave one of them its name (the file's line was not changed)."""
    options = data.get("options")
    if not isinstance(options, list):
        return
    first: dict[str, int] = {}
    for i, opt in enumerate(options):
        name = opt.get("name") if isinstance(opt, dict) else None
        if not isinstance(name, str):
            continue
        name = clean_name(name)  # look-alikes (a zero-width space, full-width letters) are the same name
        if name in first:
            for this, other in ((i, first[name]), (first[name], i)):
                at = ("options", this, "name")
                override = next((o for path, o in typed.items() if at[: len(path)] == path), None)
                if override is not None:
                    raise InputError(_duplicate(name, other, doc), param="overrides", item=override)
            raise InputError(
                _duplicate(name, first[name]),
                file=doc.origin,
                line=doc.line_of(("options", i, "name")),
                field=f"options[{i}].name",
            )
        first[name] = i


def _duplicate(name: str, other: int, doc: YamlDoc | None = None) -> str:
    """The refusal of a second option named `name`; `doc` given: the other's line in the file is named too."""
    where = f"options[{other}]"
    line = doc.line_of(("options", other, "name")) if doc is not None else None
    if doc is not None and line is not None:
        where += f", {doc.origin}:{line}"
    return f"duplicate option name {name!r} (also {where}); give each option its own name"


def _check_guardrails(data: dict[str, Any], doc: YamlDoc, typed: Mapping[tuple[Any, ...], str]) -> None:
    """A guardrail that does not parse, at its own line (the model's check knows no lines: it said the first line of
    the file), or at the `--set` that wrote it."""
    from costcalc.models.base import MAX_TEXT_CHARS
    from costcalc.models.guardrails import parse as parse_guardrail

    guards = data.get("guardrails")
    if not isinstance(guards, list):
        return
    options = data.get("options")
    options = options if isinstance(options, list) else []
    names = [clean_name(o["name"]) for o in options if isinstance(o, dict) and isinstance(o.get("name"), str)]
    for i, text in enumerate(guards):
        if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
            continue  # the model says what a guardrail must be, and the cap every text of a scenario has
        try:
            guard = parse_guardrail(text, origin=f"guardrails[{i}]")
            named = guard.value if guard.metric == "cheapest" else guard.option  # 'cheapest != NAME' names one too
            if isinstance(named, str) and not guard.is_diff and clean_name(named) not in names:
                raise InputError(  # as the report's check words it; every command reads the scenario, not all check
                    f"guardrail {text!r}: no option {named!r}{did_you_mean(named, names)}; options: {', '.join(names)}"
                )
        except InputError as exc:
            at = ("guardrails", i)
            override = next((o for path, o in typed.items() if at[: len(path)] == path), None)
            if override is not None:
                raise InputError(exc.detail, param="overrides", item=override) from None
            raise InputError(exc.detail, file=doc.origin, line=doc.line_of(at), field=f"guardrails[{i}]") from None


def shown_lines(doc: YamlDoc) -> dict[str, int]:
    """Line of every field path, written as errors show it (options by name)."""
    return {shown: doc.lines[path] for path, shown in shown_paths(doc, doc.lines).items()}


def shown_paths(doc: YamlDoc, paths: Iterable[PathKey]) -> dict[PathKey, str]:
    """Each path of the document's data as errors show it ('options[GPT-5].model': options by name)."""
    out: dict[PathKey, str] = {}
    for path in paths:
        shown = ""
        node = doc.data
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                name = node.get("name") if isinstance(node, dict) else None
                shown += f"[{shown_name(name)}]" if isinstance(name, str) else f"[{part}]"
            elif isinstance(node, dict) and part in node:
                node = node[part]
                shown += ("." if shown else "") + str(part)
            else:
                break
        else:
            out[path] = shown
    return out


def _override(path: str, value: Any) -> str:
    """'PATH=VALUE' that parses back to exactly this value (floats by repr, lists and mappings as JSON)."""
    item = getattr(value, "item", None)
    value = item() if callable(item) else value
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, tuple)):
        text = json.dumps(value)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    return f"{path}={text}"


def _parse_variants(raw: Any, doc: YamlDoc) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """`variants: {NAME: {PATH: VALUE, ...}, ...}` → ((name, ((path, value), ...)), ...); paths checked when built."""
    if raw is None:
        return ()
    line = doc.line_of((VARIANTS_KEY,))
    if not isinstance(raw, dict):
        raise InputError(
            "variants must map a name to {PATH: VALUE} overrides",
            file=doc.origin,
            line=line,
            field="variants",
        )
    out: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
    for name, settings in raw.items():
        if not isinstance(settings, dict):
            raise InputError(
                "a variant is a mapping of PATH: VALUE overrides, e.g. {workload.requests_per_day: 3e5}",
                file=doc.origin,
                line=doc.line_of((VARIANTS_KEY, name)) or line,
                field=f"variants.{name}",
            )
        if str(name) == BASE_VARIANT:
            raise InputError(
                f"{BASE_VARIANT!r} names the scenario itself beside its variants; give this variant another name",
                file=doc.origin,
                line=doc.line_of((VARIANTS_KEY, name)) or line,
                field=f"variants.{name}",
            )
        pairs = tuple((str(k), v) for k, v in settings.items())
        twin = next((other for other, given in out if sorted(map(repr, given)) == sorted(map(repr, pairs))), None)
        why = None
        if not pairs:  # qa23: it gave the scenario's own rows again under its name
            why = "the variant sets nothing, so it would repeat the scenario's own rows; give it PATH: VALUE settings"
        elif twin is not None:  # qa23: two names for the same rows, as a value listed twice in --vary (refused)
            why = f"the variant sets what variants.{twin} sets, so it would give the same rows twice; change or remove one"
        if why is not None:
            raise InputError(
                why, file=doc.origin, line=doc.line_of((VARIANTS_KEY, name)) or line, field=f"variants.{name}"
            )
        out.append((str(name), pairs))
    return tuple(out)


def _set_by_override(data_path: tuple[Any, ...], set_at: SetAt) -> bool:
    """Whether an override set this data path or a part above it (`workload=usage.yaml`): a value the user chose,
    no longer the uncertain input the file gives it."""
    return any(data_path[:n] in set_at for n in range(1, len(data_path) + 1))
