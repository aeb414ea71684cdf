"""Catalog imports: a CSV, .xlsx or JSON file in our layout or exported from WooCommerce, Shopify,
PrestaShop or Magento, mapped to `ProductInput`s and validated row by row.

`parse_catalog` never writes: it returns the valid products and a problem per invalid row (row
number, column, reason). The admin server then upserts the valid ones in one transaction, or not
at all on a dry run. File-level failures (too big, a zip bomb, not text) raise ImportFileError.
Text cells that a spreadsheet would run as a formula (`=HYPERLINK(...)`) are neutralised with a
leading apostrophe by `commerce.validation.neutralise`, as every product is on its way in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from commerce._catalog import CATEGORY_WORDS
from commerce._readers import (
    MAX_FILE_BYTES,
    TICK_ROWS,
    ImportFileError,
    Tick,
    read_csv,
    read_import_file,
    read_json,
    read_xlsx,
)
from commerce._search import fold
from commerce.errors import InvalidProductError
from commerce.models import CATEGORIES, LOCALES, ProductInput
from commerce.validation import neutralise, normalize_product

__all__ = [
    "MAX_FILE_BYTES",
    "TICK_ROWS",
    "FileType",
    "ImportFileError",
    "ParsedCatalog",
    "RowProblem",
    "Tick",
    "neutralise",
    "parse_catalog",
    "parse_price",
    "read_import_file",
]

FileType = Literal["csv", "xlsx", "json"]
Layout = Literal["shopmcp", "woocommerce", "shopify", "prestashop", "magento"]

_CATEGORY_LOOKUP = {fold(c): c for c in CATEGORIES} | {
    fold(word): category
    for category, words in CATEGORY_WORDS.items()
    for locale_words in words
    for word in locale_words.split()
}


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class ParsedCatalog:
    layout: str
    rows: int
    products: list[ProductInput] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def parse_price(text: str) -> int:
    """Minor units of "12.50", "12,50", "1.299,99", "$1,299.99", "1299"."""
    if re.search(r"[=(\"]|[A-Za-z]{2,}\(", text):
        # a formula (neutralised or not) is not a price: =HYPERLINK("...","9") is not 19.00
        raise ValueError(f"{text!r} is a formula, not a price")
    cleaned = re.sub(r"[^\d.,-]", "", text.strip())
    if not cleaned or cleaned.startswith("-"):
        raise ValueError(f"{text!r} is not a price")
    last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
    decimal_at = max(last_dot, last_comma)
    if decimal_at != -1 and len(cleaned) - decimal_at - 1 in (1, 2):
        whole, cents = cleaned[:decimal_at], cleaned[decimal_at + 1 :].ljust(2, "0")
    else:
        whole, cents = cleaned, "00"
    whole = whole.replace(".", "").replace(",", "")
    if not whole.isdigit() and whole:
        raise ValueError(f"{text!r} is not a price")
    return int(whole or "0") * 100 + int(cents)


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[|,;/]", text) if p.strip()]


def _category(text: str) -> str:
    parts = [p.strip() for p in re.split(r"[>,|/]", text) if p.strip()]
    for part in reversed(parts):
        folded = fold(part)
        for word in (folded, folded.replace(" ", ""), *reversed(folded.split())):
            for candidate in (word, word.rstrip("s")):
                if candidate in _CATEGORY_LOOKUP:
                    return _CATEGORY_LOOKUP[candidate]
    return text.strip()  # validation reports it with the canonical list


def _detect(headers: set[str]) -> Layout:
    h = {fold(x) for x in headers}
    if "handle" in h and ("variant sku" in h or "variant price" in h):
        return "shopify"
    if "regular price" in h:
        return "woocommerce"
    if "reference" in h or "price tax excluded" in h or "price tax included" in h:
        return "prestashop"
    if "attribute set code" in h or ("qty" in h and "product type" in h):
        return "magento"
    return "shopmcp"


class _Row:
    """One source row with folded header lookup; remembers which column each field came from."""

    def __init__(self, cells: dict[str, str]) -> None:
        self._cells = {fold(k): (k, v) for k, v in cells.items()}
        self.sources: dict[str, str] = {}

    def get(self, target: str, *names: str) -> str:
        for name in names:
            header, value = self._cells.get(fold(name), ("", ""))
            if value.strip():
                self.sources[target] = header
                return value.strip()
        self.sources.setdefault(target, names[0])
        return ""

    def options(self, kind: str) -> list[str]:
        """Values of Shopify/WooCommerce option columns named like `kind` (Color, Size)."""
        values: list[str] = []
        for folded, (_, value) in self._cells.items():
            if (
                re.fullmatch(r"(option|attribute) ?\d+ name", folded)
                and value.strip()
                and fold(value) in kind
            ):
                value_key = (
                    folded.replace("name", "value")
                    if "option" in folded
                    else (folded.replace("name", "value s"))
                )
                values += _split(self._cells.get(value_key, ("", ""))[1])
        return values


def _magento_attributes(text: str) -> dict[str, str]:
    pairs = (p.split("=", 1) for p in text.split(",") if "=" in p)
    return {fold(k): v.strip() for k, v in pairs}


def _to_product(layout: Layout, row: _Row, currency: str) -> ProductInput:
    names: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    colors: list[str] = []
    sizes: list[str] = []
    if layout == "shopify":
        sku = row.get("sku", "Variant SKU", "Handle")
        names["en"] = row.get("name", "Title")
        descriptions["en"] = re.sub(r"<[^>]+>", " ", row.get("description", "Body (HTML)"))
        price = row.get("price", "Variant Price")
        stock = row.get("stock", "Variant Inventory Qty")
        category = row.get("category", "Product Category", "Type")
        brand = row.get("brand", "Vendor")
        colors, sizes = row.options("color colour"), row.options("size")
    elif layout == "woocommerce":
        sku = row.get("sku", "SKU")
        names["en"] = row.get("name", "Name")
        descriptions["en"] = row.get("description", "Description", "Short description")
        price = row.get("price", "Regular price", "Sale price")
        stock = row.get("stock", "Stock")
        category = row.get("category", "Categories")
        brand = row.get("brand", "Brands", "Brand")
        colors, sizes = row.options("color colour"), row.options("size")
    elif layout == "prestashop":
        sku = row.get("sku", "Reference", "Reference #")
        names["en"] = row.get("name", "Name", "Name *")
        descriptions["en"] = row.get("description", "Description", "Summary")
        price = row.get("price", "Price tax included", "Price tax excluded", "Price")
        stock = row.get("stock", "Quantity")
        category = row.get("category", "Categories (x,y,z...)", "Categories", "Category")
        brand = row.get("brand", "Manufacturer", "Brand")
    elif layout == "magento":
        sku = row.get("sku", "sku")
        names["en"] = row.get("name", "name")
        descriptions["en"] = row.get("description", "description", "short_description")
        price = row.get("price", "price")
        stock = row.get("stock", "qty")
        category = row.get("category", "categories")
        extra = _magento_attributes(row.get("colors", "additional_attributes"))
        brand = row.get("brand", "brand", "manufacturer") or extra.get("brand", "")
        colors = _split(extra.get("color", ""))
        sizes = _split(extra.get("size", ""))
    else:
        sku = row.get("sku", "sku", "id")
        for locale in LOCALES:
            names[locale] = row.get("name", f"name_{locale}", f"name.{locale}")
            descriptions[locale] = row.get("description", f"description_{locale}")
        names["en"] = names["en"] or row.get("name", "name", "title")
        descriptions["en"] = descriptions["en"] or row.get("description", "description")
        price = row.get("price", "price")
        stock = row.get("stock", "stock", "quantity")
        category = row.get("category", "category")
        brand = row.get("brand", "brand")
        currency = row.get("currency", "currency") or currency
        colors = _split(row.get("colors", "colors", "color"))
        sizes = _split(row.get("sizes", "sizes", "size"))
    try:
        price_minor = parse_price(price)
    except ValueError:
        raise InvalidProductError(
            "no price" if not price else f"{price!r} is not a price",
            field="price",
            reason="must be a price such as 12.50",
        ) from None
    try:
        stock_count = int(float(stock.replace(",", "."))) if stock else 0
    except ValueError:
        raise InvalidProductError(
            f"{stock!r} is not a number", field="stock", reason=f"{stock!r} is not a whole number"
        ) from None
    return ProductInput(
        sku=sku,
        name={k: v for k, v in names.items() if v},
        description={k: v for k, v in descriptions.items() if v.strip()},
        price=price_minor,
        currency=currency,
        stock=stock_count,
        category=_category(category) if category else "",
        brand=brand,
        colors=tuple(colors),
        sizes=tuple(sizes),
    )


def _carry_shopify_product_fields(
    rows: list[tuple[int, dict[str, str]]],
) -> list[tuple[int, dict[str, str]]]:
    """Shopify writes title, body, vendor and type only on a product's first variant row."""
    shared = (
        "Title",
        "Body (HTML)",
        "Vendor",
        "Type",
        "Product Category",
        "Option1 Name",
        "Option2 Name",
        "Option3 Name",
    )
    first: dict[str, dict[str, str]] = {}
    out = []
    for number, cells in rows:
        handle = cells.get("Handle", "")
        base = first.setdefault(handle, cells)
        filled = dict(cells)
        for key in shared:
            if not filled.get(key, "").strip() and base.get(key):
                filled[key] = base[key]
        out.append((number, filled))
    return out


def parse_catalog(
    data: bytes,
    file_type: FileType,
    *,
    currency: str = "EUR",
    encoding: str | None = None,
    tick: Tick | None = None,
) -> ParsedCatalog:
    """Valid products and per-row problems of a catalog file; raises ImportFileError for the file.

    `tick(rows)` is called every few hundred rows, while reading and again while validating.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"the file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}; split it into parts"
        )
    readers: dict[str, Callable[[], list[tuple[int, dict[str, str]]]]] = {
        "csv": lambda: read_csv(data, encoding, tick),
        "json": lambda: read_json(data, encoding, tick),
        "xlsx": lambda: read_xlsx(data, tick),
    }
    try:
        rows = readers[file_type]()
    except (RecursionError, ValueError, OverflowError) as exc:
        if isinstance(exc, ImportFileError):
            raise
        # the readers' own limits (100k-deep JSON, a 5000-digit number) are the file's fault
        raise ImportFileError(
            f"the file cannot be read: {type(exc).__name__}: {exc}"[:300]
        ) from None
    headers = set().union(*(cells.keys() for _, cells in rows)) if rows else set()
    layout = _detect(headers)
    parsed = ParsedCatalog(layout=layout, rows=len(rows))
    if layout == "shopify":
        rows = _carry_shopify_product_fields(rows)
    seen: dict[str, int] = {}
    for done, (number, cells) in enumerate(rows, start=1):
        if tick is not None and done % TICK_ROWS == 0:
            tick(done)
        row = _Row(cells)
        try:
            try:
                product = normalize_product(_to_product(layout, row, currency))
            except (ValueError, OverflowError) as exc:  # 1e400 stock and the like
                if isinstance(exc, InvalidProductError):
                    raise
                raise InvalidProductError(f"a value is out of range: {exc}"[:200]) from None
        except InvalidProductError as exc:
            column = row.sources.get(exc.details.get("field", ""), exc.details.get("field", ""))
            parsed.problems.append(RowProblem(number, column, exc.message))
            continue
        if product.sku in seen:
            parsed.problems.append(
                RowProblem(
                    number,
                    row.sources.get("sku", "sku"),
                    f"sku {product.sku!r} already appears in row {seen[product.sku]}",
                )
            )
            continue
        seen[product.sku] = number
        parsed.products.append(product)
    return parsed
