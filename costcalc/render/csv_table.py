"""Fast CSV of a large table, numbers rounded per column: bytes assembled column-wise in numpy, no per-cell Python.

Each column is turned into a matrix of characters (one row per table row) and a mask of the characters
shown; the rows are the masked characters read row by row. Money is written to the cent, counts
(tokens, requests) as whole numbers, other numbers to SIGNIFICANT digits, text as given (quoted where
CSV needs it); NaN and missing values are empty cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from costcalc.engine.arrays import BoolArray, FloatArray
from costcalc.render.escape import csv_cell

SIGNIFICANT = 6  # digits of numbers that are neither money nor counts
ROWS_AT_ONCE = 65_536  # rows assembled at once (a few MB of characters)
MAX_FIXED = 1e15  # larger magnitudes (or finer decimals) are written with SIGNIFICANT digits instead

Chars = tuple[NDArray[np.uint8], BoolArray]  # (rows × width uint8 characters, rows × width bool shown)
Codes = NDArray[np.integer[Any]]  # a code per row into a list of labels (-1: empty)


_FOUR = np.array([[ord(c) for c in f"{i:04d}"] for i in range(10_000)], np.uint8)  # 0..9999 as four digits


def fixed(values: FloatArray, decimals: int) -> Chars:
    """Numbers rounded to `decimals` places ('-1234.50'); NaN empty."""
    v = np.asarray(values, dtype=float)
    n = v.size
    finite = np.isfinite(v)
    scaled = np.round(np.where(finite, v, 0.0) * 10.0**decimals)
    negative = (scaled < 0) & finite
    whole = np.abs(scaled).astype(np.int64)
    digits = max(len(str(int(whole.max()))) if n else 1, decimals + 1)
    groups = -(-digits // 4)
    parts = np.empty((n, groups), np.int64)
    rest = whole
    for g in range(groups - 1, -1, -1):  # four digits at a time, least significant first
        rest, parts[:, g] = np.divmod(rest, 10_000)
    matrix = _FOUR[parts].reshape(n, groups * 4)[:, groups * 4 - digits :]
    powers = 10 ** np.arange(digits, dtype=np.int64)
    length = np.maximum(np.searchsorted(powers, whole, side="right"), decimals + 1)  # digits shown
    width = 1 + digits + (1 if decimals else 0)
    chars = np.empty((n, width), np.uint8)
    mask = np.empty((n, width), bool)
    head = digits - decimals
    chars[:, 0], mask[:, 0] = ord("-"), negative
    chars[:, 1 : 1 + head] = matrix[:, :head]
    mask[:, 1 : 1 + head] = np.arange(head)[None, :] >= (digits - length)[:, None]
    if decimals:
        chars[:, 1 + head] = ord(".")
        chars[:, 2 + head :] = matrix[:, head:]
        mask[:, 1 + head :] = True
    mask &= finite[:, None]
    return chars, mask


def texts(codes: Codes, labels: Sequence[str]) -> Chars:
    """Cells from a code per row into `labels` (code -1: empty), quoted where CSV needs it."""
    encoded = [_quoted(text).encode("utf-8") for text in labels] or [b""]
    width = max(1, max(len(e) for e in encoded))
    table = np.zeros((len(encoded) + 1, width), np.uint8)  # the last row: an empty cell
    lengths = np.zeros(len(encoded) + 1, np.int64)
    for i, e in enumerate(encoded):
        table[i, : len(e)] = np.frombuffer(e, np.uint8)
        lengths[i] = len(e)
    rows = np.where(codes < 0, len(encoded), codes)
    return table[rows], np.arange(width)[None, :] < lengths[rows][:, None]


def significant(values: FloatArray, digits: int = SIGNIFICANT) -> Chars:
    """Numbers to `digits` significant digits (1.00401, 10000000, 2.5e-07), each distinct value formatted once; NaN
    empty."""
    v = np.asarray(values, dtype=float)
    distinct, inverse = np.unique(v, return_inverse=True)
    labels = ["" if not np.isfinite(x) else _plain(x, digits) for x in distinct.tolist()]
    return texts(inverse.reshape(-1), labels)


def _plain(x: float, digits: int) -> str:
    """x to `digits` significant digits without an exponent where that stays short (1e7 → '10000000')."""
    if x == 0 or 1e-4 <= abs(x) < MAX_FIXED:
        return np.format_float_positional(x, precision=digits, unique=True, fractional=False, trim="-")
    return f"{x:.{digits}g}"


def _quoted(text: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([text])
    return buf.getvalue()


Column = Callable[[slice], Chars]


def write(
    header: Sequence[str], columns: Sequence[Column], rows: int, progress: Callable[[int, int], None] | None = None
) -> bytes:
    """CSV bytes: the header, then `rows` rows of the columns (each gives its cells for a slice of rows);
    `progress(done, rows)` after each block."""
    out = [(",".join(_quoted(h) for h in header) + "\n").encode("utf-8")]
    for lo in range(0, rows, ROWS_AT_ONCE):
        part = slice(lo, min(rows, lo + ROWS_AT_ONCE))
        n = part.stop - part.start
        cells = [column(part) for column in columns]
        width = sum(c.shape[1] + 1 for c, _ in cells)
        chars = np.empty((n, width), np.uint8)
        shown = np.ones((n, width), bool)
        at = 0
        for i, (c, m) in enumerate(cells):
            w = c.shape[1]
            chars[:, at : at + w], shown[:, at : at + w] = c, m
            chars[:, at + w] = ord("," if i < len(cells) - 1 else "\n")  # the separator is always shown
            at += w + 1
        out.append(chars[shown].tobytes())
        if progress is not None:
            progress(part.stop, rows)
    return b"".join(out)


def _text_column(codes: Codes, labels: Sequence[str]) -> Column:
    return lambda part: texts(codes[part], labels)


def _fixed_column(values: FloatArray, decimals: int) -> Column:
    return lambda part: fixed(values[part], decimals)


def _significant_column(values: FloatArray) -> Column:
    return lambda part: significant(values[part])


def frame_csv(frame: Any, rule: Callable[[str], str], progress: Callable[[int, int], None] | None = None) -> str:
    """A pandas DataFrame as CSV; `rule(column)` says how numbers are written: 'money', 'count' or 'number'."""
    import pandas as pd

    columns: list[Column] = []
    for name in frame.columns:
        series = frame[name]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes, labels = series.cat.codes.to_numpy(), [csv_cell(c) for c in series.cat.categories]
            columns.append(_text_column(codes, labels))
        elif pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            labels = [csv_cell(u) for u in uniques]
            columns.append(_text_column(codes, labels))
        else:
            values = series.to_numpy(dtype=float)
            how = rule(str(name))
            big = np.nanmax(np.abs(values), initial=0.0) if values.size else 0.0
            if how in ("money", "count") and big < MAX_FIXED:
                places = 2 if how == "money" else 0
                columns.append(_fixed_column(values, places))
            else:
                columns.append(_significant_column(values))
    return write([csv_cell(c) for c in frame.columns], columns, len(frame), progress).decode("utf-8")
