"""The rules every product obeys, whichever way it arrives (admin tool, import, HTTP).

`normalize_product` returns the canonical form (brand key, canonical colors and sizes, upper-case
currency, an `en` name) or raises InvalidProductError naming the field, the value and the fix.
Free text (sku, names, descriptions) goes through `neutralise` there, so a value a spreadsheet
would run as a formula is stored inert whichever way it came in.
"""

from __future__ import annotations

import dataclasses
import unicodedata

from commerce._catalog import COLOR_WORDS
from commerce._search import fold
from commerce.errors import InvalidProductError
from commerce.models import CATEGORIES, LOCALES, SIZES, ProductInput

__all__ = [
    "MAX_PRICE",
    "canonical_color",
    "canonical_size",
    "neutralise",
    "normalize_brand",
    "normalize_product",
]

MAX_PRICE = 100_000_000_00
"""A hundred million in major units: anything above is a typo or an attack."""
_MAX_STOCK = 10_000_000
_MAX_NAME = 200
_MAX_DESCRIPTION = 5000
_MAX_SKU = 64

_COLOR_LOOKUP = {
    fold(word): canonical for canonical, words in COLOR_WORDS.items() for word in words
}
_COLOR_LOOKUP |= {"gray": "grey", "navy blue": "navy", "dark blue": "navy", "golden": "gold"}
_SIZE_LOOKUP = {s.casefold(): s for s in SIZES} | {
    "2xl": "XXL",
    "xxs": "XS",
    "small": "S",
    "medium": "M",
    "large": "L",
}


_FORMULA_TRIGGERS = frozenset("=+-@")
"""What a spreadsheet cell starts with to be evaluated (OWASP CSV injection)."""
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
"""Controls, format characters (zero-width space and joiners, BOM, bidi marks) and spaces."""


def neutralise(text: str) -> str:
    """Text a spreadsheet would evaluate, given a leading apostrophe; idempotent.

    Leading spaces and invisible characters (a zero-width space before `=`) are dropped first, as
    a spreadsheet may skip them, and the first character is compared after NFKC, so a fullwidth
    `＝ ＋ － ＠` counts as `= + - @`.
    """
    start = 0
    while start < len(text) and (
        text[start].isspace() or unicodedata.category(text[start]) in _INVISIBLE
    ):
        start += 1
    text = text[start:].rstrip()
    if text and unicodedata.normalize("NFKC", text[0])[:1] in _FORMULA_TRIGGERS:
        return "'" + text
    return text


def _texts(by_locale: dict[str, str]) -> dict[str, str]:
    """Names or descriptions per locale, neutralised, without the empty ones."""
    cleaned = {locale: neutralise(text) for locale, text in by_locale.items() if text}
    return {locale: text for locale, text in cleaned.items() if text}


def _invalid(field: str, value: object, reason: str) -> InvalidProductError:
    return InvalidProductError(f"{field} {value!r}: {reason}", field=field, reason=reason)


def normalize_brand(brand: str) -> str:
    return fold(brand).replace(" ", "")


def canonical_color(value: str) -> str | None:
    return _COLOR_LOOKUP.get(fold(value))


def canonical_size(value: str) -> str | None:
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return _SIZE_LOOKUP.get(text.casefold())


def normalize_product(product: ProductInput) -> ProductInput:
    sku = neutralise(product.sku)
    if not sku or len(sku) > _MAX_SKU or any(c.isspace() for c in sku):
        raise _invalid("sku", product.sku, f"must be 1–{_MAX_SKU} characters without spaces")
    names = _texts(product.name)
    if not names:
        raise _invalid("name", "", "a product needs a name")
    unknown = sorted(set(names) - set(LOCALES))
    if unknown:
        raise _invalid("name", unknown[0], f"names are given per locale: {', '.join(LOCALES)}")
    if any(len(n) > _MAX_NAME for n in names.values()):
        raise _invalid(
            "name", next(iter(names.values()))[:40], f"longer than {_MAX_NAME} characters"
        )
    names.setdefault("en", next(iter(names.values())))
    descriptions = _texts(product.description)
    if set(descriptions) - set(LOCALES):
        raise _invalid("description", sorted(descriptions)[0], "unknown locale")
    if any(len(d) > _MAX_DESCRIPTION for d in descriptions.values()):
        raise _invalid("description", "…", f"longer than {_MAX_DESCRIPTION} characters")
    if isinstance(product.price, bool) or not isinstance(product.price, int):
        raise _invalid("price", product.price, "must be a whole number of minor units (cents)")
    if not 0 <= product.price <= MAX_PRICE:
        raise _invalid("price", product.price, f"must be between 0 and {MAX_PRICE} minor units")
    currency = product.currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise _invalid("currency", product.currency, "must be an ISO 4217 code such as EUR")
    if isinstance(product.stock, bool) or not isinstance(product.stock, int):
        raise _invalid("stock", product.stock, "must be a whole number")
    if not 0 <= product.stock <= _MAX_STOCK:
        raise _invalid("stock", product.stock, f"must be between 0 and {_MAX_STOCK}")
    category = product.category.strip().casefold()
    if category not in CATEGORIES:
        raise _invalid("category", product.category, f"must be one of {', '.join(CATEGORIES)}")
    colors = []
    for color in product.colors:
        canonical = canonical_color(color)
        if canonical is None:
            raise _invalid("colors", color, "is not a known color; use e.g. black, navy, silver")
        colors.append(canonical)
    sizes = []
    for size in product.sizes:
        canonical = canonical_size(size)
        if canonical is None:
            raise _invalid("sizes", size, "is not a size; use XS–XXL or shoe sizes 35–47")
        sizes.append(canonical)
    return dataclasses.replace(
        product,
        sku=sku,
        name=names,
        description=descriptions,
        currency=currency,
        category=category,
        brand=normalize_brand(product.brand),
        colors=tuple(dict.fromkeys(colors)),
        sizes=tuple(dict.fromkeys(sizes)),
    )
