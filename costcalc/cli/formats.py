"""--format and -o together: a file's extension names a format; it picks the format when -f is absent, else must agree."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TypeVar

from costcalc.errors import InputError

F = TypeVar("F", bound=Enum)

EXTENSIONS = {  # file extension → the format it names
    ".txt": "table",
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".parquet": "parquet",
    ".svg": "svg",
    ".png": "png",
    ".xlsx": "xlsx",
}
SUFFIX_OF = {
    "table": ".txt",
    "json": ".json",
    "csv": ".csv",
    "markdown": ".md",
    "html": ".html",
    "parquet": ".parquet",
    "svg": ".svg",
    "png": ".png",
    "xlsx": ".xlsx",
}
NOT_WRITTEN = {  # extensions a user may reach for that costcalc writes in no format: refused unless -f says what to write
    ".pdf": "for a PDF, write -o FILE.html and print it from a browser",
    ".docx": "for a document, write -o FILE.md or FILE.html",
    ".doc": "for a document, write -o FILE.md or FILE.html",
    ".pptx": "for slides, draw a chart: costcalc chart SCENARIO -o FILE.png",
    ".xls": "for a spreadsheet, write -o FILE.xlsx or FILE.csv",
    ".ods": "for a spreadsheet, write -o FILE.xlsx or FILE.csv",
    ".jpg": "for a picture, draw a chart: costcalc chart SCENARIO -o FILE.png",
    ".jpeg": "for a picture, draw a chart: costcalc chart SCENARIO -o FILE.png",
}
FORMAT_HELP = "output format (default: the one -o's extension names, else {default}); any case"


def named_by(output: str | None) -> str | None:
    """The format an output file's extension names (None for stdout or an extension that names none)."""
    if output in (None, "-"):
        return None
    return EXTENSIONS.get(Path(output).suffix.lower())


def pick_format(given: F | None, output: str | None, default: F) -> F:
    """-f if given (it must agree with -o's extension), else the format -o's extension names, else the default."""
    choices = type(default)
    named = named_by(output)
    name = Path(output).name if output else ""
    if given is not None:
        if named is not None and named != given.value:
            suffix = SUFFIX_OF.get(given.value, "")
            raise InputError(
                f"{name} names the {named} format but --format is {given.value}; "
                f"drop --format or name the file *{suffix}",
                field="-o",
            )
        return given
    if named is None:
        hint = NOT_WRITTEN.get(Path(output).suffix.lower()) if output else None
        if hint is not None:
            raise InputError(f"costcalc writes no {Path(name).suffix} file ({name}); {hint}", field="-o")
        return default
    try:
        return choices(named)
    except ValueError:
        offered = ", ".join(SUFFIX_OF[c.value] for c in choices if c.value in SUFFIX_OF)
        raise InputError(
            f"{name} names the {named} format, which this command does not write; name the file {offered}",
            field="-o",
        ) from None
