"""Domain errors: each carries the exit code the CLI returns for it."""

from __future__ import annotations

import re
from collections.abc import Mapping


class CostcalcError(Exception):
    """Base of every error costcalc reports to a user (never a bug). `mentions`: the parameters its message names
    as `name=` ('pass as_of=2026-11-30'), which the command line says as its flags (`reworded`)."""

    exit_code = 2

    def __init__(self, message: str, *, mentions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.mentions = mentions

    def __str__(self) -> str:
        return self.message

    def reworded(self, flags: Mapping[str, str]) -> CostcalcError:
        """The same error with each parameter its message mentions named by `flags` (parameter -> flag)."""
        if not any(m in flags for m in self.mentions):
            return self
        return type(self)(said_as(self.message, self.mentions, flags), mentions=self.mentions)


def said_as(text: str, mentions: tuple[str, ...], flags: Mapping[str, str]) -> str:
    """`text` with each mentioned `name=` as its flag: 'as_of=2026-11-30' -> '--as-of 2026-11-30', '(today=)' ->
    '(--today)'."""
    for name in mentions:
        flag = flags.get(name)
        if flag is not None:
            pattern = rf"(?<![^\s(]){re.escape(name)}=(?=([\w'\"\[.-]?))"  # a value right after it: a space
            text = re.sub(pattern, lambda m, f=flag: f + (" " if m.group(1) else ""), text)  # type: ignore[misc]
    return text


class InputError(CostcalcError):
    """Invalid user input: a file, a field, a flag. Exit code 2.

    An argument at fault is named by `param`, the Python API's parameter ('today', 'overrides'), with `item`, the
    entry of it at fault (an override's text): the message says `today=` or `overrides='PATH=VALUE'`, and the
    command line says its flag instead (`reworded`). `mentions` are parameters the message itself names as `name=`
    ('price it on an earlier day (today=)'), reworded the same way. So each layer words its own arguments.
    `named`: the message itself names its parameter ('gpus=l4-24gb acquisition=buy leave ...', 'drop as_of=', among
    its `mentions`), so no `param=: ` goes before it, nor the flag on the command line: it reads once.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        param: str | None = None,
        item: str | None = None,
        mentions: tuple[str, ...] = (),
        named: bool = False,
    ) -> None:
        self.file = file
        self.line = line
        self.param, self.item, self.named = param, item, named
        if field is None and param is not None and not named:
            field = f"{param}={item!r}" if item is not None else f"{param}="
        self.field = field
        where = ""
        if file:
            where = f"{file}:{line}: " if line else f"{file}: "
        what = f"{field}: " if field else ""
        super().__init__(f"{where}{what}{message}", mentions=mentions)
        self.detail = message

    def moved(
        self, detail: str | None = None, *, file: str | None = None, line: int | None = None, field: str | None = None
    ) -> InputError:
        """The same error (its kind, parameter and mentions) at another place, or in other words (`field` None: its
        own)."""
        field = self.field if field is None else field
        other = type(self)(self.detail if detail is None else detail, file=file, line=line, field=field)
        other.param, other.item, other.mentions, other.named = self.param, self.item, self.mentions, self.named
        return other

    def reworded(self, flags: Mapping[str, str]) -> InputError:
        """The same error naming its parameter, and those its message mentions, by `flags` (parameter -> the
        command line's flag: 'overrides' -> '--set'): '--set PATH=VALUE: ...' where the API says
        "overrides='PATH=VALUE': ..."; itself when it names none of them."""
        if self.param not in flags and not any(m in flags for m in self.mentions):
            return self
        detail = said_as(self.detail, self.mentions, flags)
        field = self.field
        flag = flags.get(self.param or "")
        if flag is not None and not self.named:
            field = f"{flag} {self.item}" if self.item is not None else flag
        return self.moved(detail, file=self.file, line=self.line, field=field)


class CatalogError(InputError):
    """An unknown GPU, model, price or plan id."""


class PricingError(InputError):
    """A pricing table or override that cannot be used."""


class ThroughputError(InputError):
    """No usable throughput for a self-hosted option (does not fit, no data, bad file)."""


class ExternalError(CostcalcError):
    """Something outside costcalc failed: network, endpoint, remote catalog. Exit code 3."""

    exit_code = 3


def closest(name: str, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """The few choices nearest to `name`, for 'did you mean' hints."""
    import difflib

    return difflib.get_close_matches(name, list(choices), n=n, cutoff=0.5)


def did_you_mean(name: str, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean: a, b?)' or '' when nothing is close."""
    near = closest(name, choices)
    return f" (did you mean: {', '.join(near)}?)" if near else ""


def option_hint(name: str, options: list[str] | tuple[str, ...]) -> str:
    """For an option name that names none: ' (did you mean: a?)' when one is close, else the names to pick from
    ("; the scenario's options are 'A', 'B'"), so the line always says how to fix it."""
    near = did_you_mean(name, options)
    if near or not options:
        return near
    return "; the scenario's options are " + ", ".join(repr(o) for o in options)
