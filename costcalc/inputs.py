"""One bounded reader for every input file: caps the bytes actually read, and remembers what was read."""

from __future__ import annotations

import errno
import io
import os
import select
import stat
import sys
import threading

from costcalc.errors import InputError
from costcalc.units import BYTES_PER_MB, MS_PER_S

# Byte caps per kind of input. The cap counts bytes read, never the size a file reports: /dev/zero,
# a pipe and /proc files all report 0.
SCENARIO_MAX_BYTES = 5 * BYTES_PER_MB  # scenario, usage and hardware YAML, stdin
TABLE_MAX_BYTES = 20 * BYTES_PER_MB  # --pricing tables, `pricing validate`, lock files, cached catalogs
BENCHMARK_MAX_BYTES = 64 * BYTES_PER_MB  # benchmark results for ingest and `throughput: measured`
REPORT_MAX_BYTES = 20 * BYTES_PER_MB  # JSON reports given to `diff`
CHUNK_BYTES = 1 << 20

_read_lock = threading.Lock()
_read_files: set[tuple[int, int]] = set()  # (device, inode) of every regular file read since forget_reads()
_stdin_reads: list[str] = []  # one entry per read of standard input since forget_reads()


def read_bytes(path: str, *, limit: int, error: type[InputError] = InputError, what: str = "a file") -> bytes:
    """The bytes of `path` ('-' is standard input), refusing more than `limit` of them.

    Errors name the file and never quote its contents: a path may point anywhere.
    """
    if path == "-":
        return _stdin(limit, error)
    if path == "":
        raise error(f"empty file name; give the path of {what}")
    try:
        fh = _open_named_pipe(path, error, what) if _named_pipe(path) else open(path, "rb", buffering=0)  # noqa: SIM115
    except OSError as exc:  # closed below; open, not Path, to fstat the same file
        raise _read_error(exc, path, error, what) from None
    with fh:
        try:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise error(f"is a folder; give {what}", file=path)
            if stat.S_ISREG(info.st_mode):
                with _read_lock:
                    _read_files.add((info.st_dev, info.st_ino))
            return _capped(fh, limit, path, error)
        except OSError as exc:
            raise _read_error(exc, path, error, what) from None


def _stdin(limit: int, error: type[InputError]) -> bytes:
    """Standard input's bytes; read empty a second time in one run (`diff - -`, `report - --workload -`), the error
    says it was read already, not that the file is empty."""
    data = _capped(sys.stdin.buffer, limit, "<stdin>", error)
    with _read_lock:
        again = bool(_stdin_reads)
        _stdin_reads.append("-")
    if again and not data:
        raise error(
            "standard input was read already, for another input of this run (it holds one file); give this one a path",
            file="<stdin>",
        )
    return data


# A named pipe (mkfifo) on disk blocks open() until something writes to it; the reader waits this long for that
PIPE_WAIT_S = 10.0


def _named_pipe(path: str) -> bool:
    """Whether `path` is a named pipe on a filesystem (mkfifo), not the pipe a shell's <(...) hands over as /dev/fd/N,
    whose writer is there already: the pipe sits on its folder's device."""
    try:
        info = os.stat(path)
        return stat.S_ISFIFO(info.st_mode) and info.st_dev == os.stat(os.path.dirname(os.path.abspath(path))).st_dev
    except OSError:
        return False


def _open_named_pipe(path: str, error: type[InputError], what: str) -> io.FileIO:
    """The named pipe opened for reading once something writes to it (or closes it), within PIPE_WAIT_S; an error
    saying so otherwise (open() alone would wait for ever, as `cat` does)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    waiting = select.poll()
    waiting.register(fd, select.POLLIN)
    if not waiting.poll(PIPE_WAIT_S * MS_PER_S):
        os.close(fd)
        raise error(
            f"a named pipe nothing wrote to in {PIPE_WAIT_S:g} s; give the file itself, or write {what} into the"
            " pipe while this reads it",
            file=path,
        )
    os.set_blocking(fd, True)
    return io.FileIO(fd, "rb")


def read_text(path: str, *, limit: int, error: type[InputError] = InputError, what: str = "a text file") -> str:
    """`read_bytes` decoded as UTF-8 (a leading byte-order mark dropped)."""
    raw = read_bytes(path, limit=limit, error=error, what=what)
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _not_utf8(raw, exc.start, "<stdin>" if path == "-" else path, error, what) from None


# Compressed files by their first bytes: what they are and how to get the text out
COMPRESSED = {
    b"\x1f\x8b": ("compressed with gzip", "decompress it (gunzip FILE)"),
    b"PK\x03\x04": ("a zip archive", "extract the file from it"),
    b"\xfd7zXZ\x00": ("compressed with xz", "decompress it (unxz FILE)"),
    b"(\xb5/\xfd": ("compressed with zstd", "decompress it (unzstd FILE)"),
    b"BZh": ("compressed with bzip2", "decompress it (bunzip2 FILE)"),
}
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # what Windows PowerShell's `>` and Notepad's 'Unicode' write first


def _not_utf8(raw: bytes, start: int, origin: str, error: type[InputError], what: str) -> InputError:
    """Why `raw` is not UTF-8 and how to fix it: text saved in another encoding (UTF-16, Latin-1, Windows-1252) is
    saved again as UTF-8, at the line of the first byte that is not UTF-8; anything else is no text file."""
    if raw.startswith(UTF16_BOMS):
        return error(
            "saved as UTF-16 text, not UTF-8; save it as UTF-8 (an editor's 'Save with encoding')", file=origin
        )
    for magic, (kind, how) in COMPRESSED.items():
        if raw.startswith(magic):
            return error(f"{kind}, not text; {how} and give {what}", file=origin)
    if b"\x00" in raw[:8192]:  # a NUL: an image, an archive, a spreadsheet
        return error(f"not a text file (not UTF-8 at byte {start}); give {what}", file=origin)
    line = raw.count(b"\n", 0, start) + 1
    return error(
        f"not UTF-8 text (byte {start}, 0x{raw[start]:02x}, is in another encoding such as Latin-1 or Windows-1252);"
        " save the file as UTF-8 (an editor's 'Save with encoding')",
        file=origin,
        line=line,
    )


def was_read(path: str) -> bool:
    """Whether `path` is a regular file this process read through `read_bytes` (since forget_reads)."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    with _read_lock:
        return (info.st_dev, info.st_ino) in _read_files


def forget_reads() -> None:
    """Start a new run: forget which files were read (the CLI calls it once per command)."""
    with _read_lock:
        _read_files.clear()
        _stdin_reads.clear()


def _capped(fh: object, limit: int, origin: str, error: type[InputError]) -> bytes:
    """Read at most limit + 1 bytes in chunks; more than `limit` is an error."""
    chunks: list[bytes] = []
    total = 0
    read = fh.read  # type: ignore[attr-defined]
    while total <= limit:
        chunk = read(min(CHUNK_BYTES, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise error(f"more than {size_text(limit)}; stopped reading there (is it the right file?)", file=origin)
    return b"".join(chunks)


def size_text(limit: int) -> str:
    """'5 MB' for the byte caps, '10 bytes' for small ones."""
    return f"{limit / BYTES_PER_MB:g} MB" if limit >= BYTES_PER_MB else f"{limit:,} bytes"


def _read_error(exc: OSError, path: str, error: type[InputError], what: str) -> InputError:
    """An OSError while opening or reading as a one-line error saying what to do."""
    if exc.errno == errno.ENOENT:
        return error("file not found; check the path", file=path)
    if exc.errno == errno.EISDIR:
        return error(f"is a folder; give {what}", file=path)
    if exc.errno == errno.ELOOP:
        return error("cannot read: a symbolic link loop; point the path at a real file", file=path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return error("cannot read: permission denied", file=path)
    return error(f"cannot read: {exc.strerror or type(exc).__name__}", file=path)


def read_csv(
    path: str, *, limit: int, error: type[InputError] = InputError, what: str = "a CSV file"
) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows) of a CSV file read through the bounded reader; a malformed CSV names its line."""
    import csv
    import io

    from costcalc.textsafe import shown

    text = read_text(path, limit=limit, error=error, what=what)
    if not text.strip():
        raise error(EMPTY_CSV, file=path, line=1)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        # 'id, provider, model': a space after each comma (a hand-written header) is no part of the names
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        rows = []
        for row in reader:
            extra = [cell for cell in row.pop(None, None) or () if cell.strip()]
            if extra:  # was dropped without a word: a note's unquoted comma, a decimal comma (1,5)
                raise error(
                    f"{len(header) + len(extra)} cells where the header names {len(header)} (the last: {shown(extra[-1])});"
                    ' put a value holding a comma in double quotes ("a, b"), and write decimals with a point (1.5)',
                    file=path,
                    line=reader.line_num,
                )
            rows.append(dict(row))
    except csv.Error as exc:
        why = "a cell is larger than 128 KB" if "field larger" in str(exc) else f"not readable as CSV ({exc})"
        raise error(f"{why}; is it the right file?", file=path, line=reader.line_num or None) from None
    if (why_not := not_comma_separated(header)) is not None:
        raise error(why_not, file=path, line=1)
    return header, rows


EMPTY_CSV = "empty file; the first line must be the column names"


def not_comma_separated(header: list[str]) -> str | None:
    """Why a header read as one cell holding semicolons or tabs is no comma-separated CSV (a spreadsheet's local
    'CSV', saved in a language that writes decimal commas), or None."""
    for sep, called in ((";", "semicolons"), ("\t", "tabs")):
        if len(header) == 1 and header[0].count(sep) >= 2:
            return (
                f"the columns are separated by {called}; costcalc reads comma-separated CSV: save it as"
                " 'CSV (comma delimited)' or replace the separators with commas"
            )
    return None
