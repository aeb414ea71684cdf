"""The shop's values: frozen dataclasses, the same on both sides of the HTTP contract.

Money is always an integer count of minor units plus an ISO 4217 currency. Products carry their
name and description in every locale; `Product.name_in(locale)` picks one with an English fallback.
The HTTP backend validates answers into these classes with pydantic `TypeAdapter`s (wire.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = [
    "CATEGORIES",
    "COLORS",
    "LOCALES",
    "SIZES",
    "TOPICS",
    "Basket",
    "BasketLine",
    "BulkResult",
    "Category",
    "Locale",
    "Order",
    "PaymentClaims",
    "PaymentLink",
    "PolicyAnswer",
    "Product",
    "ProductInput",
    "ProductPage",
    "ProductPatch",
    "ProductRef",
    "Resolution",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "Topic",
]

Locale = Literal["en", "es", "fr", "de"]
LOCALES: tuple[Locale, ...] = ("en", "es", "fr", "de")
Topic = Literal[
    "shipping", "returns", "payment_methods", "opening_hours", "contact", "order_status", "warranty"
]
TOPICS: tuple[Topic, ...] = (
    "shipping",
    "returns",
    "payment_methods",
    "opening_hours",
    "contact",
    "order_status",
    "warranty",
)
# Canonical values shared with the intent engine (docs/internal/pattern-authoring.md).
Category = Literal[
    "phones",
    "laptops",
    "tablets",
    "audio",
    "tv",
    "cameras",
    "watches",
    "accessories",
    "shoes",
    "clothing",
    "home",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)
COLORS = (
    "black",
    "white",
    "red",
    "blue",
    "green",
    "yellow",
    "pink",
    "purple",
    "orange",
    "grey",
    "brown",
    "silver",
    "gold",
    "beige",
    "navy",
)
SIZES = ("XS", "S", "M", "L", "XL", "XXL", *(str(n) for n in range(35, 48)))


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    sku: str
    brand: str
    category: str
    price: int
    """Minor units (cents) of `currency`."""
    currency: str
    stock: int
    name: dict[str, str]
    """Locale -> name; `en` is always present."""
    description: dict[str, str] = field(default_factory=dict)
    colors: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()

    def name_in(self, locale: str) -> str:
        return self.name.get(locale) or self.name.get("en") or next(iter(self.name.values()), "")

    def description_in(self, locale: str) -> str:
        return self.description.get(locale) or self.description.get("en", "")


@dataclass(frozen=True, slots=True)
class ProductInput:
    """A product to create, or to upsert by sku. `name` must hold `en`."""

    sku: str
    name: dict[str, str]
    price: int
    currency: str
    stock: int = 0
    category: str = "home"
    brand: str = ""
    description: dict[str, str] = field(default_factory=dict)
    colors: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductPatch:
    """Fields to change; `None` leaves a field as it is. Names and descriptions merge per locale."""

    sku: str | None = None
    name: dict[str, str] | None = None
    description: dict[str, str] | None = None
    price: int | None = None
    currency: str | None = None
    stock: int | None = None
    category: str | None = None
    brand: str | None = None
    colors: tuple[str, ...] | None = None
    sizes: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class SearchFilters:
    category: str | None = None
    brand: str | None = None
    color: str | None = None
    size: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False


@dataclass(frozen=True, slots=True)
class SearchHit:
    product: Product
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True, slots=True)
class ProductPage:
    items: tuple[Product, ...]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True, slots=True)
class ProductRef:
    id: str
    sku: str
    name: str
    score: float


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a typed product name refers to: `product` when one fits, else `candidates` to ask."""

    text: str
    product: ProductRef | None
    candidates: tuple[ProductRef, ...] = ()


@dataclass(frozen=True, slots=True)
class BasketLine:
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: int
    line_total: int


@dataclass(frozen=True, slots=True)
class Basket:
    id: str
    currency: str | None
    """None while the basket is empty; the first product's currency after."""
    lines: tuple[BasketLine, ...]
    total: int
    item_count: int


@dataclass(frozen=True, slots=True)
class PaymentLink:
    basket_id: str
    url: str
    token: str
    amount: int
    currency: str
    expires_at: int
    """Unix seconds."""


@dataclass(frozen=True, slots=True)
class PaymentClaims:
    """What a verified checkout token says."""

    basket_id: str
    amount: int
    currency: str
    state: str
    """Digest of the basket lines the link was made for."""
    expires_at: int


@dataclass(frozen=True, slots=True)
class PolicyAnswer:
    topic: str
    locale: str
    text: str


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    basket_id: str
    status: str
    """`paid`."""
    total: int
    currency: str
    lines: tuple[BasketLine, ...]
    created_at: int


@dataclass(frozen=True, slots=True)
class BulkResult:
    created: int
    updated: int
    skus: tuple[str, ...] = ()
