"""Catalog file parsing: layouts of the big shop systems, encodings, prices, hostile cells."""

from __future__ import annotations

import codecs
import json

import pytest

from commerce.importing import FileType, ImportFileError, neutralise, parse_catalog, parse_price

SHOPIFY = (
    "Handle,Title,Body (HTML),Vendor,Type,Option1 Name,Option1 Value,Variant SKU,Variant Price,"
    "Variant Inventory Qty\n"
    "tee,Logo Tee,<p>Soft <b>cotton</b></p>,Nike,T-Shirts,Size,M,TEE-M,25.00,4\n"
    "tee,,,,,,L,TEE-L,25.00,0\n"
)
PRESTASHOP = (
    "Product ID;Active (0/1);Name *;Categories (x,y,z...);Price tax included;Reference #;"
    "Quantity;Manufacturer\n"
    "1;1;Casque Bluetooth;Accueil,Audio;1.299,99;PS-1;5;Sony\n"
)
MAGENTO = (
    "sku,store_view_code,attribute_set_code,product_type,categories,name,description,price,qty,"
    "additional_attributes\n"
    'MG-1,,Default,simple,"Default Category/Shoes",Trail Runner,Grip,89.5,3,"color=Red,size=42"\n'
)


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        pytest.param("12.50", 1250, id="dot"),
        pytest.param("12,5", 1250, id="comma-one-digit"),
        pytest.param("1.299,99", 129999, id="european-thousands"),
        pytest.param("$1,299.99", 129999, id="us-thousands"),
        pytest.param("1299", 129900, id="whole"),
        pytest.param("19.99 €", 1999, id="symbol-after"),
    ],
)
def test_parse_price_reads_the_usual_notations(text: str, minor: int) -> None:
    assert parse_price(text) == minor


@pytest.mark.parametrize("text", ["", "abc", "-5"])
def test_parse_price_refuses_what_is_not_a_price(text: str) -> None:
    with pytest.raises(ValueError):
        parse_price(text)


def test_shopify_variants_become_products_that_inherit_the_title() -> None:
    parsed = parse_catalog(SHOPIFY.encode(), "csv")
    assert parsed.layout == "shopify" and not parsed.problems
    assert [(p.sku, p.name["en"], p.sizes, p.brand) for p in parsed.products] == [
        ("TEE-M", "Logo Tee", ("M",), "nike"),
        ("TEE-L", "Logo Tee", ("L",), "nike"),
    ]
    assert "<b>" not in parsed.products[0].description["en"]
    assert parsed.products[0].category == "clothing"


def test_prestashop_semicolon_export_maps_reference_and_european_prices() -> None:
    parsed = parse_catalog(PRESTASHOP.encode("cp1252"), "csv")
    assert parsed.layout == "prestashop" and not parsed.problems
    product = parsed.products[0]
    assert (product.sku, product.price, product.category, product.stock) == (
        "PS-1",
        129999,
        "audio",
        5,
    )


def test_magento_additional_attributes_give_color_and_size() -> None:
    parsed = parse_catalog(MAGENTO.encode(), "csv")
    assert parsed.layout == "magento" and not parsed.problems
    product = parsed.products[0]
    assert (product.colors, product.sizes, product.category) == (("red",), ("42",), "shoes")


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(
            codecs.BOM_UTF16_LE + "sku,name,price,category\nU-1,Crème,1,home\n".encode("utf-16-le"),
            id="utf-16-bom",
        ),
        pytest.param(
            "sku,name,price,category\nU-1,Crème,1,home\n".encode("utf-16-le"), id="utf-16-no-bom"
        ),
        pytest.param("sku,name,price,category\nU-1,Crème,1,home\n".encode("latin-1"), id="latin-1"),
        pytest.param(
            b"\xef\xbb\xbf" + "sku,name,price,category\nU-1,Crème,1,home\n".encode(), id="utf-8-bom"
        ),
    ],
)
def test_encodings_are_detected(encoded: bytes) -> None:
    parsed = parse_catalog(encoded, "csv")
    assert parsed.products[0].name["en"] == "Crème"


def test_a_sku_repeated_in_the_file_is_a_row_problem() -> None:
    text = "sku,name,price,category\nA-1,One,1,home\nA-1,Again,2,home\n"
    parsed = parse_catalog(text.encode(), "csv")
    assert [p.sku for p in parsed.products] == ["A-1"]
    assert parsed.problems[0].row == 3 and "row 2" in parsed.problems[0].reason


@pytest.mark.parametrize("cell", ['=HYPERLINK("x")', "+1+1", "@SUM(A1)", "-2+3"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_a_json_array_of_non_objects_is_refused() -> None:
    with pytest.raises(ImportFileError, match="item 1"):
        parse_catalog(json.dumps([1, 2]).encode(), "json")


class _Stop(Exception):
    pass


def _rows_csv(count: int) -> bytes:
    return (
        "sku,name,price,category\n" + "".join(f"T-{n},Lamp,1,home\n" for n in range(count))
    ).encode()


def test_tick_is_called_while_reading_and_again_while_checking() -> None:
    seen: list[int] = []
    parsed = parse_catalog(_rows_csv(1999), "csv", tick=seen.append)
    assert len(parsed.products) == 1999
    assert seen == [500, 1000, 1500, 2000, 500, 1000, 1500]  # 2000 lines read, 1999 rows checked


@pytest.mark.parametrize("file_type", ["csv", "json"])
def test_a_tick_that_raises_stops_the_parse_with_its_own_error(file_type: FileType) -> None:
    def stop(_: int) -> None:
        raise _Stop

    data = (
        _rows_csv(1000)
        if file_type == "csv"
        else json.dumps([{"sku": f"T-{n}", "name": "x"} for n in range(1000)]).encode()
    )
    with pytest.raises(_Stop):  # not swallowed as an invalid file: the admin server's cancel
        parse_catalog(data, file_type, tick=stop)
