"""Writing results: stdout, or a file written only after the whole run succeeded (atomic replace)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from costcalc.errors import InputError


def check_writable(path: str | None) -> None:
    """Fail early (exit 2) if -o points into a missing folder, before any work is done."""
    if path in (None, "-"):
        return
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise InputError(f"folder {parent} does not exist; create it or choose another -o path", field="-o")


def emit(text: str | bytes, path: str | None) -> None:
    """Print to stdout, or write `path` atomically (temp file in the same folder, then rename)."""
    if path in (None, "-"):
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path).expanduser()
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(dir=target.resolve().parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
