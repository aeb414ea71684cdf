"""Turning an uploaded file into rows of strings, defensively.

Every reader enforces the same limits before it trusts the file: a byte cap, a row cap (empty
rows count, so a million blank lines is refused rather than skimmed) and, for .xlsx, caps on the
uncompressed size and compression ratio of the zip, so a bomb is refused before openpyxl opens it,
and on the cells read, so a sheet that claims to be 16,384 columns wide is refused as it streams.
Text holding unpaired surrogates (a `\\ud800` escape in JSON) is refused: it is not Unicode and
SQLite cannot store it. `read_import_file` opens a file under the imports folder without following
links out of it. Each reader takes an optional `tick(rows_read)`, called every few hundred rows
from the thread doing the work: the admin server reports progress and stops a cancelled import
through it.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from commerce.errors import CommerceError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "TICK_ROWS",
    "ImportFileError",
    "Tick",
    "decode_text",
    "read_csv",
    "read_import_file",
    "read_json",
    "read_xlsx",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
_MAX_UNCOMPRESSED = 50 * 1024 * 1024
"""A 20,000-row export with long descriptions unpacks to about 30 MB; 103 MB took 25 s to read."""
_MAX_RATIO = 100
"""Real spreadsheets compress 5–20x; a ratio over 100 is a zip bomb."""
_MAX_CELLS = 1_000_000
"""20,000 rows of a 50-column Shopify export; empty cells that pad a row to the sheet width count."""
_MAX_COLUMNS = 200
_MAX_NAME = 255
"""Longest file name (and path component) Linux file systems accept."""
TICK_ROWS = 500
_SURROGATE = re.compile("[\ud800-\udfff]")

Tick = Callable[[int], None]
"""Called with the rows read so far; may raise to stop the read."""


class ImportFileError(CommerceError, ValueError):
    """The file as a whole cannot be imported; nothing was written."""

    code = "invalid_file"
    status = 422


Rows = list[tuple[int, dict[str, str]]]
"""(row number as a spreadsheet shows it, the header being row 1; header -> cell text)."""


def _unicode(text: str, where: str) -> str:
    found = _SURROGATE.search(text)
    if found is not None:
        raise ImportFileError(
            f"{where} holds an unpaired surrogate (\\u{ord(found.group()):04x}), which is not "
            "Unicode text; fix that character or export the file again as UTF-8"
        )
    return text


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Text of a CSV/JSON file: BOMs honoured, then utf-8, then utf-16 by its NUL bytes, then cp1252."""
    return _unicode(_decode(data, encoding), "the file")


def _decode(data: bytes, encoding: str | None) -> str:
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


def _limited(rows: Iterator[list[str]], tick: Tick | None = None) -> Rows:
    header: list[str] | None = None
    out: Rows = []
    for number, row in enumerate(rows, start=1):
        if tick is not None and number % TICK_ROWS == 0:
            tick(number)
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


def read_csv(data: bytes, encoding: str | None = None, tick: Tick | None = None) -> Rows:
    text = decode_text(data, encoding)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t", "|"), key=first.count)
    try:
        return _limited(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False), tick
        )
    except csv.Error as exc:
        raise ImportFileError(f"the CSV cannot be read: {exc}") from exc


def read_json(data: bytes, encoding: str | None = None, tick: Tick | None = None) -> Rows:
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
        if tick is not None and number % TICK_ROWS == 0:
            tick(number)
        if not isinstance(item, dict):
            raise ImportFileError(f"item {number} is not an object")
        cells = {str(k): _json_cell(v) for k, v in item.items()}
        for key, cell in cells.items():  # json.loads turns a "\\ud800" escape into a lone one
            _unicode(key + cell, f"item {number}")
        rows.append((number, cells))
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


def _counted(rows: Iterator[tuple[object, ...]]) -> Iterator[list[str]]:
    cells = 0
    for row in rows:
        cells += len(row)
        if cells > _MAX_CELLS:
            raise ImportFileError(
                f"the sheet has more than {_MAX_CELLS} cells (empty ones padding rows to the "
                "sheet's width count); split it into parts or delete unused columns"
            )
        yield _trimmed(row)


def read_xlsx(data: bytes, tick: Tick | None = None) -> Rows:
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
                f"the .xlsx unpacks to {total} bytes ({total // packed}x its size; the limits "
                f"are {_MAX_UNCOMPRESSED} bytes and {_MAX_RATIO}x); refusing it as a possible "
                "zip bomb; split it into parts"
            )
    import openpyxl  # imported here: only spreadsheet imports pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise ImportFileError(f"the .xlsx cannot be opened: {type(exc).__name__}") from exc
    try:
        sheet = book.worksheets[0]
        return _limited(_counted(sheet.iter_rows(values_only=True)), tick)
    finally:
        book.close()


def _refuse_name(name: str) -> None:
    if "\x00" in name:
        raise ImportFileError("the file name holds a NUL byte; give the name of a file in imports/")
    _unicode(name, "the file name")
    longest = max((len(part) for part in name.split("/")), default=0)
    if len(name) > 4 * _MAX_NAME or longest > _MAX_NAME:
        raise ImportFileError(
            f"the file name is {len(name)} characters long; names are at most {_MAX_NAME}"
        )
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ImportFileError(
            f"files are read from the imports/ folder of the data directory; {name!r} is outside it"
        )


def _open_at(directory: int, name: str, part: str, flags: int) -> int:
    try:
        return os.open(part, os.O_RDONLY | os.O_NOFOLLOW | flags, dir_fd=directory)
    except OSError as exc:
        try:
            link = stat.S_ISLNK(os.stat(part, dir_fd=directory, follow_symlinks=False).st_mode)
        except OSError:
            link = False
        if link or exc.errno == errno.ELOOP:
            raise ImportFileError(
                f"{name!r} goes through a symbolic link; copy the file into imports/ instead"
            ) from exc
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise ImportFileError(f"no file {name!r} in the imports/ folder") from exc
        raise ImportFileError(f"{name!r} cannot be opened: {os.strerror(exc.errno or 0)}") from exc


def read_import_file(root: Path, name: str) -> bytes:
    """The bytes of the regular file `name` under `root`, which must be the only name it has.

    Opened one component at a time relative to the directory above it, with O_NOFOLLOW: a symlink
    anywhere in the path, a hard link (a second name for a file elsewhere, such as the link
    secret), a FIFO or a device is refused, and nothing can be swapped in between check and read.
    """
    _refuse_name(name)
    parts = PurePosixPath(name).parts
    try:
        directory = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise ImportFileError(f"there is no imports/ folder to read {name!r} from") from exc
    try:
        for part in parts[:-1]:
            inner = _open_at(directory, name, part, os.O_DIRECTORY)
            os.close(directory)
            directory = inner
        fd = _open_at(directory, name, parts[-1], os.O_NONBLOCK)  # a FIFO must not block
    finally:
        os.close(directory)
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImportFileError(f"{name!r} is not a regular file")
        if info.st_nlink > 1:
            raise ImportFileError(
                f"{name!r} is a hard link ({info.st_nlink} names for one file); "
                "copy the file into imports/ instead"
            )
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{name!r} is over {MAX_FILE_BYTES} bytes, the limit; split it into parts"
        )
    return data
