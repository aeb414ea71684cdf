"""Turning an uploaded file into rows of strings, defensively.

Every reader enforces the same limits before it trusts the file: a byte cap, a row cap (empty
rows count, so a million blank lines is refused rather than skimmed) and, for .xlsx, a cap on the
uncompressed size and compression ratio of the zip so a bomb is refused before openpyxl opens it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

from commerce.errors import CommerceError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportFileError",
    "decode_text",
    "read_csv",
    "read_json",
    "read_xlsx",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
_MAX_UNCOMPRESSED = 100 * 1024 * 1024
_MAX_RATIO = 100
"""Real spreadsheets compress 5–20x; a ratio over 100 is a zip bomb."""
_MAX_COLUMNS = 200


class ImportFileError(CommerceError, ValueError):
    """The file as a whole cannot be imported; nothing was written."""

    code = "invalid_file"
    status = 422


Rows = list[tuple[int, dict[str, str]]]
"""(row number as a spreadsheet shows it, the header being row 1; header -> cell text)."""


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Text of a CSV/JSON file: BOMs honoured, then utf-8, then utf-16 by its NUL bytes, then cp1252."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ImportFileError(f"the file is not valid {encoding}: {exc}") from exc
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name)
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"the file starts with a {name} mark but is not {name}"
                ) from exc
    head = data[:4096]
    # NUL bytes first: ASCII text in UTF-16 without a BOM is also valid UTF-8, full of NULs
    if head.count(0) <= len(head) // 4:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if head.count(0) > len(head) // 4:
        for name in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
        raise ImportFileError("the file looks binary, not text; export it as CSV (UTF-8)")
    if b"\x00" in data:
        raise ImportFileError("the file looks binary, not text; export it as CSV (UTF-8)")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _limited(rows: Iterator[list[str]], start: int = 1) -> Rows:
    header: list[str] | None = None
    out: Rows = []
    for number, row in enumerate(rows, start=start):
        if number > MAX_ROWS + 1:
            raise ImportFileError(
                f"the file has more than {MAX_ROWS} rows (empty rows count); split it into parts"
            )
        if len(row) > _MAX_COLUMNS:
            raise ImportFileError(
                f"row {number} has {len(row)} columns; the limit is {_MAX_COLUMNS}"
            )
        if header is None:
            header = [h.strip() for h in row]
            if not any(header):
                header = None
            continue
        if not any(cell.strip() for cell in row):
            continue
        out.append(
            (number, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h})
        )
    if header is None:
        raise ImportFileError("the file has no header row")
    return out


def read_csv(data: bytes, encoding: str | None = None) -> Rows:
    text = decode_text(data, encoding)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t", "|"), key=first.count)
    try:
        return _limited(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        )
    except csv.Error as exc:
        raise ImportFileError(f"the CSV cannot be read: {exc}") from exc


def read_json(data: bytes, encoding: str | None = None) -> Rows:
    try:
        value: Any = json.loads(decode_text(data, encoding))
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"the JSON is invalid at line {exc.lineno}: {exc.msg}") from exc
    if isinstance(value, dict):
        arrays = [v for v in value.values() if isinstance(v, list)]
        if len(arrays) != 1:
            raise ImportFileError("a JSON object must hold exactly one array of products")
        value = arrays[0]
    if not isinstance(value, list):
        raise ImportFileError("the JSON must be an array of products, or an object holding one")
    if len(value) > MAX_ROWS:
        raise ImportFileError(f"the file has more than {MAX_ROWS} products; split it into parts")
    rows: Rows = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise ImportFileError(f"item {number} is not an object")
        rows.append((number, {str(k): _json_cell(v) for k, v in item.items()}))
    return rows


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_json_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _trimmed(row: tuple[object, ...]) -> list[str]:
    """Cells as text without the trailing empty ones openpyxl pads rows to the sheet width with."""
    cells = ["" if c is None else str(c) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def read_xlsx(data: bytes) -> Rows:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFileError("the .xlsx file is not a valid spreadsheet (bad zip)") from exc
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > _MAX_UNCOMPRESSED or total / packed > _MAX_RATIO:
            raise ImportFileError(
                f"the .xlsx unpacks to {total} bytes ({total // packed}x its size); "
                "refusing it as a possible zip bomb"
            )
    import openpyxl  # imported here: only spreadsheet imports pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise ImportFileError(f"the .xlsx cannot be opened: {type(exc).__name__}") from exc
    try:
        sheet = book.worksheets[0]
        return _limited(_trimmed(row) for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()
