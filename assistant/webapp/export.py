"""Feedback export that a spreadsheet cannot turn into a formula and one odd character cannot break."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from typing import TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNENCODABLE = re.compile(r"[\ud800-\udfff\x00]")


def clean(value: object) -> object:
    """Strings with lone surrogates or NUL (stored before input was checked) get U+FFFD instead."""
    if isinstance(value, str):
        return _UNENCODABLE.sub("\ufffd", value)
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def safe_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading =, +, -, @, tab or CR gets a quote before it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_json_lines(rows: Iterable[dict], out: TextIO) -> int:
    """One JSON object per line; returns the number written."""
    n = 0
    for row in rows:
        out.write(json.dumps({k: clean(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: list[dict], out: TextIO) -> int:
    """CSV with a header row; citations joined by spaces; every cell formula-safe."""
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["id"])
    writer.writeheader()
    for row in rows:
        cells = {k: clean(v) for k, v in row.items()}
        if isinstance(cells.get("citations"), list):
            cells["citations"] = " ".join(cells["citations"])  # type: ignore[arg-type]
        writer.writerow({k: safe_cell(v) for k, v in cells.items()})
    return len(rows)
