"""The admin tools through the SDK's in-memory client."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import anyio
import openpyxl
import pytest
from mcp import Client

from shopmcp.settings import Settings

pytestmark = pytest.mark.anyio

LIMIT = 10


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    with anyio.fail_after(LIMIT):
        result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, tool: str, **arguments: Any) -> str:
    with anyio.fail_after(LIMIT):
        result = await client.call_tool(tool, arguments)
    assert result.is_error
    return " ".join(getattr(block, "text", "") for block in result.content)


async def total(client: Client) -> int:
    return int((await call(client, "list_products", page_size=1))["total"])


async def test_destructive_tools_carry_the_destructive_hint(client: Client) -> None:
    with anyio.fail_after(LIMIT):
        tools = {t.name: t.annotations for t in (await client.list_tools()).tools}
    for name in ("delete_product", "update_product", "create_from_file"):
        assert tools[name] is not None and tools[name].destructive_hint
    assert tools["list_products"] is not None and tools["list_products"].read_only_hint


async def test_create_product_makes_a_sku_from_the_name(client: Client) -> None:
    created = await call(
        client,
        "create_product",
        product={
            "name": "Taza Azul",
            "price": 1250,
            "stock": 40,
            "locale": "es",
            "colors": ["azul"],
        },
    )
    assert created["sku"] == "TAZA-AZUL" and created["name"] == {
        "es": "Taza Azul",
        "en": "Taza Azul",
    }
    assert created["colors"] == ["blue"] and created["currency"] == "EUR"


async def test_create_product_with_a_taken_sku_is_an_error(client: Client) -> None:
    message = await call_error(
        client, "create_product", product={"name": "x", "price": 1, "sku": "JBL-FLIP6"}
    )
    assert "JBL-FLIP6" in message


async def test_create_product_stores_formula_names_and_skus_neutralised(client: Client) -> None:
    created = await call(
        client,
        "create_product",
        product={
            "name": '\u200b=HYPERLINK("http://evil.example","x")',
            "description": "\uff1dcmd|' /C calc'!A0",
            "sku": "@SUM(1)",
            "price": 100,
        },
    )
    assert created["name"]["en"] == '\'=HYPERLINK("http://evil.example","x")'
    assert created["description"]["en"] == "'\uff1dcmd|' /C calc'!A0"
    assert created["sku"] == "'@SUM(1)"


async def test_update_product_stores_a_formula_name_neutralised(client: Client) -> None:
    updated = await call(
        client,
        "update_product",
        product="JBL-FLIP6",
        changes={"name": "\uff0b1+1", "description": "\ufeff-2+3", "locale": "de"},
    )
    assert updated["name"]["de"] == "'\uff0b1+1" and updated["description"]["de"] == "'-2+3"


async def test_list_products_filters_by_category(client: Client) -> None:
    listed = await call(client, "list_products", category="tv", page_size=10)
    assert listed["total"] == 5 and {p["category"] for p in listed["items"]} == {"tv"}


async def test_update_product_changes_price_and_localized_name(client: Client) -> None:
    updated = await call(
        client,
        "update_product",
        product="JBL-FLIP6",
        changes={"price": 9900, "name": "Enceinte JBL Flip 6 bleue", "locale": "fr"},
    )
    assert updated["price"] == 9900 and updated["name"]["fr"] == "Enceinte JBL Flip 6 bleue"


async def test_update_of_an_ambiguous_name_asks_for_the_sku(client: Client) -> None:
    message = await call_error(client, "update_product", product="galaxy", changes={"stock": 1})
    assert "SAM-S24-256" in message


async def test_delete_product_removes_it(client: Client) -> None:
    before = await total(client)
    deleted = await call(client, "delete_product", product="LOG-K380")
    assert deleted["sku"] == "LOG-K380" and await total(client) == before - 1
    await call_error(client, "delete_product", product="LOG-K380")


OUR_CSV = (
    "\ufeffsku;name_en;name_es;price;currency;stock;category;brand;colors;sizes;description_en\n"
    'MUG-1;Blue Mug;Taza azul;12,50;EUR;40;home;;blue;;"A mug.\nDishwasher safe."\n'
    'MUG-2;=HYPERLINK("http://evil");;3.00;EUR;1;Kitchen > Home;;;;\n'
    "BAD-1;Broken;;abc;EUR;1;home;;;;\n"
    "BAD-2;Nowhere;;1.00;EUR;1;garden;;;;\n"
)


async def test_import_reports_invalid_rows_and_imports_the_valid_ones(client: Client) -> None:
    before = await total(client)
    report = await call(client, "create_from_file", file_type="csv", content=OUR_CSV)
    assert (report["layout"], report["rows"], report["valid"], report["created"]) == (
        "shopmcp",
        4,
        2,
        2,
    )
    assert [(p["row"], p["column"]) for p in report["problems"]] == [(4, "price"), (5, "category")]
    assert await total(client) == before + 2
    listed = await call(client, "list_products", query="blue mug")
    mug = next(p for p in listed["items"] if p["sku"] == "MUG-1")
    assert mug["description"]["en"] == "A mug.\nDishwasher safe." and mug["price"] == 1250
    evil = await call(client, "list_products", category="home", page_size=100)
    names = [p["name"]["en"] for p in evil["items"] if p["sku"] == "MUG-2"]
    assert names == ['\'=HYPERLINK("http://evil")']


async def test_reimport_updates_by_sku_and_dry_run_writes_nothing(client: Client) -> None:
    await call(client, "create_from_file", file_type="csv", content=OUR_CSV)
    changed = OUR_CSV.replace("12,50;EUR;40", "11,00;EUR;7")
    dry = await call(client, "create_from_file", file_type="csv", content=changed, dry_run=True)
    assert dry["valid"] == 2 and dry["created"] == dry["updated"] == 0
    again = await call(client, "create_from_file", file_type="csv", content=changed)
    assert (again["created"], again["updated"]) == (0, 2)
    listed = await call(client, "list_products", query="MUG-1")
    assert listed["items"][0]["price"] == 1100 and listed["items"][0]["stock"] == 7


async def test_import_reads_a_file_from_the_imports_folder(
    client: Client, settings: Settings
) -> None:
    path = settings.data_dir / "imports" / "cp1252.csv"
    path.write_bytes(
        "sku,name,price,stock,category\nCAFE-1,Café crème,4.50,3,home\n".encode("cp1252")
    )
    report = await call(client, "create_from_file", file_type="csv", path="cp1252.csv")
    assert report["created"] == 1
    listed = await call(client, "list_products", query="cafe creme")
    assert listed["items"][0]["name"]["en"] == "Café crème"


async def test_import_refuses_paths_outside_the_imports_folder(client: Client) -> None:
    message = await call_error(client, "create_from_file", file_type="csv", path="../shop.sqlite3")
    assert "outside" in message


def _xlsx(rows: list[list[object]]) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


async def test_import_reads_a_woocommerce_xlsx_export(client: Client) -> None:
    content = _xlsx(
        [
            [
                "ID",
                "Type",
                "SKU",
                "Name",
                "Regular price",
                "Stock",
                "Categories",
                "Brands",
                "Attribute 1 name",
                "Attribute 1 value(s)",
            ],
            [
                1,
                "simple",
                "WC-TEE",
                "Basic Tee",
                19.99,
                12,
                "Clothing > T-shirts",
                "Puma",
                "Color",
                "Black, White",
            ],
        ]
    )
    report = await call(client, "create_from_file", file_type="xlsx", content=content)
    assert report["layout"] == "woocommerce" and report["created"] == 1, report
    listed = await call(client, "list_products", query="WC-TEE")
    tee = listed["items"][0]
    assert (tee["price"], tee["category"], tee["brand"], tee["colors"]) == (
        1999,
        "clothing",
        "puma",
        ["black", "white"],
    )


async def test_import_reads_a_json_object_holding_an_array(client: Client) -> None:
    content = json.dumps(
        {
            "products": [
                {
                    "sku": "J-1",
                    "name": "Json Lamp",
                    "price": "25.00",
                    "stock": 2,
                    "category": "home",
                }
            ]
        }
    )
    report = await call(client, "create_from_file", file_type="json", content=content)
    assert report["created"] == 1


async def test_a_zip_bomb_xlsx_is_refused_and_nothing_changes(client: Client) -> None:
    before = await total(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    content = base64.b64encode(buffer.getvalue()).decode()
    message = await call_error(client, "create_from_file", file_type="xlsx", content=content)
    assert "zip bomb" in message and await total(client) == before


async def test_a_million_empty_rows_are_refused(client: Client) -> None:
    content = "sku,name,price\n" + ",,\n" * 1_000_000
    message = await call_error(client, "create_from_file", file_type="csv", content=content)
    assert "rows" in message


async def test_a_file_over_the_size_cap_is_refused(client: Client) -> None:
    content = "sku,name,price\n" + "x" * (11 * 1024 * 1024)
    message = await call_error(client, "create_from_file", file_type="csv", content=content)
    assert "limit" in message


async def test_binary_garbage_is_refused_as_not_text(client: Client, settings: Settings) -> None:
    (settings.data_dir / "imports" / "garbage.csv").write_bytes(bytes(range(256)) * 40)
    message = await call_error(client, "create_from_file", file_type="csv", path="garbage.csv")
    assert "binary" in message


async def test_an_invalid_json_file_names_the_line(client: Client, tmp_path: Path) -> None:
    message = await call_error(client, "create_from_file", file_type="json", content='[\n{"sku": }')
    assert "line 2" in message
