"""An unexpected exception at the top: one line on stderr, the traceback in a crash log, exit 70."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tempfile
import traceback
from pathlib import Path

EXIT_INTERNAL = 70  # EX_SOFTWARE: an internal error (exit 1 is reserved for guardrails)
CRASH_SUBDIR = "crash"
# Environment variables whose values are secrets: never written into a crash log
_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSW|AUTH|CREDENTIAL", re.IGNORECASE)
MIN_SECRET_CHARS = 6


def report_crash(exc: BaseException) -> int:
    """Write the traceback to a crash log, print one line naming it, and return the exit code."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    header = (
        f"costcalc crash at {dt.datetime.now().isoformat(timespec='seconds')}\n"
        f"command: {' '.join(sys.argv[1:])}\n"
        f"python: {sys.version.split()[0]}\n\n"
    )
    log = _write_log(_mask(header + text))
    where = f"; the traceback is in {log}" if log else ""
    try:
        sys.stderr.write(
            f"error: internal error ({type(exc).__name__}); this is a bug in costcalc, please report it{where}\n"
        )
        sys.stderr.flush()
    except OSError:  # stderr's reader left (or its disk is full): the exit code still says it
        pass
    return EXIT_INTERNAL


def _secrets() -> list[str]:
    """Values that must not reach a log: secret-looking environment variables, and the one --api-key-env names."""
    names = {name for name in os.environ if _SECRET_NAME.search(name)}
    argv = sys.argv
    for i, arg in enumerate(argv):
        if arg == "--api-key-env" and i + 1 < len(argv):
            names.add(argv[i + 1])
        elif arg.startswith("--api-key-env="):
            names.add(arg.split("=", 1)[1])
    values = [os.environ.get(name, "") for name in names]
    return sorted((v for v in values if len(v) >= MIN_SECRET_CHARS), key=len, reverse=True)


def _mask(text: str) -> str:
    from costcalc.masking import mask

    return mask(text, _secrets())


def _write_log(text: str) -> str | None:
    """The crash log's path: in the user cache folder, else the temp folder; None if neither is writable."""
    from costcalc.pricing.cache import cache_dir

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in (cache_dir() / CRASH_SUBDIR, Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(dir=folder, prefix=f"costcalc-crash-{stamp}-", suffix=".log")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    return None
