"""Writing results: stdout, or `-o FILE` written only after success, never over an input, a folder or a device.

A regular file or a new path is written atomically (a temp file beside it, then a rename). A
character device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in place: renaming over it
would replace the device itself. Everything else is refused before any work is done.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from costcalc.errors import ExternalError, InputError

# Failures of the disk rather than of the chosen path: exit 3, as for other external failures.
_EXTERNAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})
FIELD = "-o"


def check_writable(path: str | None, flag: str = FIELD) -> None:
    """Fail early (exit 2) when -o (or the argument `flag` names) cannot be written, before any work is done."""
    if path in (None, "-"):
        return
    _target(path, flag)


def same_file(first: str, second: str) -> bool:
    """Whether two output paths name one regular file (or one new path), so the second write would replace the first;
    stdout ('-') and devices such as /dev/null take both."""
    if "-" in (first, second):
        return False
    a, b = (Path(os.path.realpath(Path(p).expanduser())) for p in (first, second))
    if a != b:
        return False
    try:
        return stat.S_ISREG(os.stat(a).st_mode)
    except OSError:
        return True  # not there yet: both would write the same new file


def emit(text: str | bytes, path: str | None, flag: str = FIELD) -> None:
    """Print to stdout, or write `path`: atomically for a regular file or a new path, in place for a device; errors
    name `flag`, the argument that gave the path."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path in (None, "-"):
        _to_stdout(text)
        return
    target, info = _target(path, flag)
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            _write_in_place(target, data)
        else:
            _write_atomic(target, data, info)
    except OSError as exc:
        raise write_error(exc, path, flag) from None


def to_stderr(line: str, width: int | None = None) -> None:
    """One message (a warning, a note, what was written) on stderr: on a terminal wrapped at spaces to `width` (default:
    stderr's own width, stderr_width), continuation lines indented two spaces, a URL longer than a line folded after
    its slashes; in a log or a pipe one whole line, so it can be searched. Every command's messages go through here."""
    from costcalc.render.wrapping import wrap
    from costcalc.textsafe import strip_controls

    line = strip_controls(line)  # a name or id from a file never reaches the terminal as an escape sequence
    if sys.stderr.isatty():
        line = "\n".join(wrap(line, width or stderr_width(), rest=CONTINUED))
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except BrokenPipeError:  # `costcalc report s.yaml 2>&1 | head`: the reader left; the run and its exit code stand
        _to_devnull(sys.stderr)


CONTINUED = "  "  # the indent of a wrapped message's continuation lines


def stderr_width() -> int:
    """The width messages on stderr wrap to: $COLUMNS, else stderr's terminal (stdout may be a file or a pipe), else
    the tables' width (terminal_width)."""
    from costcalc.cli.options import terminal_width
    from costcalc.render.layout import MIN_WIDTH

    if os.environ.get("COLUMNS", "").strip().isdigit():
        return terminal_width()
    try:
        return max(MIN_WIDTH, os.get_terminal_size(sys.stderr.fileno()).columns)
    except (OSError, ValueError, AttributeError):
        return terminal_width()


def _to_stdout(text: str | bytes) -> None:
    try:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `costcalc report ... | head`: the reader left, which is no error
        _to_devnull(sys.stdout)
    except OSError as exc:
        raise write_error(exc, "<stdout>") from None


def stderr_console() -> Any:
    """A rich Console on stderr (progress bars, measure's table) that goes quiet when stderr's reader leaves and lets
    the run go on: rich's own answer is exit 1 (the guardrails' code), pointing stdout, not stderr, at /dev/null."""
    from rich.console import Console

    class _StderrConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            _to_devnull(sys.stderr)

    return _StderrConsole(stderr=True)


def _to_devnull(stream: object) -> None:
    """Point a stream whose reader left at /dev/null, so that later writes, and the flush at exit, raise nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
    os.close(devnull)


def _target(path: str, flag: str = FIELD) -> tuple[Path, os.stat_result | None]:
    """The real path -o (or `flag`) names (symlinks followed) and its stat, or None for a new file; refusals raise
    naming `flag`."""
    from costcalc.inputs import was_read

    other = f"another {flag} path" if flag.startswith("-") else "another path"
    if not path.strip():
        raise InputError(f"empty file name; give {flag} a file name", field=flag)
    target = Path(os.path.realpath(Path(path).expanduser()))
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise write_error(exc, path, flag) from None
    if info is None:
        folder = target.parent
        if not folder.is_dir():
            raise InputError(f"folder {folder} does not exist; create it or choose {other}", field=flag)
        if not os.access(folder, os.W_OK):
            raise InputError(f"folder {folder} is not writable; choose {other}", field=flag)
        return target, None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(f"{path} is a folder; give a file name", field=flag)
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return target, info  # /dev/null, /dev/stdout, a named pipe: written in place
    if not stat.S_ISREG(mode):
        raise InputError(f"{path} is not a regular file (a disk or a socket); choose a file name", field=flag)
    if was_read(str(target)):
        raise InputError(f"{path} is an input of this run; writing it would destroy it, choose {other}", field=flag)
    if not os.access(target, os.W_OK) or not os.access(target.parent, os.W_OK):
        raise InputError(f"{path} is not writable; choose {other}", field=flag)
    return target, info


def _write_in_place(target: Path, data: bytes) -> None:
    """Write a device or pipe through an ordinary open (never truncating or replacing it)."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def _write_atomic(target: Path, data: bytes, info: os.stat_result | None) -> None:
    """A temp file in the same folder, then a rename: the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
        if info is not None:
            mode = stat.S_IMODE(info.st_mode)  # replacing a file keeps its permissions
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_error(exc: OSError, path: str, flag: str = FIELD) -> InputError | ExternalError:
    """An OSError while writing -o (or `flag`): the disk's fault → exit 3, the path's fault → exit 2."""
    why = exc.strerror or type(exc).__name__
    other = f"another {flag} path" if flag.startswith("-") else "another path"
    if exc.errno in _EXTERNAL_ERRNOS:
        return ExternalError(f"{flag}: cannot write {path}: {why}; free some space or choose {other}")
    return InputError(f"cannot write {path}: {why}; choose {other}", field=flag)
