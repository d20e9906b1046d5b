"""Domain errors: each carries the exit code the CLI returns for it."""

from __future__ import annotations


class CostcalcError(Exception):
    """Base of every error costcalc reports to a user (never a bug)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(CostcalcError):
    """Invalid user input: a file, a field, a flag. Exit code 2."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        where = ""
        if file:
            where = f"{file}:{line}: " if line else f"{file}: "
        what = f"{field}: " if field else ""
        super().__init__(f"{where}{what}{message}")
        self.detail = message


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
