"""The shop behind the storefront and admin MCP servers.

One async interface, `ShopBackend`, with two implementations: `SQLiteShop` (embedded, seeded with a
demo catalog) and `HttpShop` (a shop's own API, docs/business-api.md). `open_backend(settings)`
picks one; `create_business_api` serves any backend over the same HTTP contract.
"""

from commerce._search import fold
from commerce.api import create_business_api
from commerce.backend import ShopBackend
from commerce.errors import (
    AmbiguousProductError,
    BackendUnavailableError,
    CommerceError,
    CurrencyMismatchError,
    DuplicateSkuError,
    EmptyBasketError,
    ExpiredLinkError,
    InvalidProductError,
    InvalidRequestError,
    NotFoundError,
    OutOfStockError,
    PaymentLinkError,
    TamperedLinkError,
    UnknownBasketError,
    UnknownOrderError,
    UnknownProductError,
)
from commerce.factory import open_backend, open_sqlite_shop
from commerce.http import HttpShop
from commerce.links import load_or_create_link_secret, verify_payment_token
from commerce.models import (
    CATEGORIES,
    COLORS,
    LOCALES,
    SIZES,
    TOPICS,
    Basket,
    BasketLine,
    BulkResult,
    Category,
    Locale,
    Order,
    PaymentClaims,
    PaymentLink,
    PolicyAnswer,
    Product,
    ProductInput,
    ProductPage,
    ProductPatch,
    ProductRef,
    Resolution,
    SearchFilters,
    SearchHit,
    SearchPage,
)
from commerce.sqlite import SQLiteShop

__all__ = [
    "CATEGORIES",
    "COLORS",
    "LOCALES",
    "SIZES",
    "TOPICS",
    "AmbiguousProductError",
    "BackendUnavailableError",
    "Basket",
    "BasketLine",
    "BulkResult",
    "Category",
    "CommerceError",
    "CurrencyMismatchError",
    "DuplicateSkuError",
    "EmptyBasketError",
    "ExpiredLinkError",
    "HttpShop",
    "InvalidProductError",
    "InvalidRequestError",
    "Locale",
    "NotFoundError",
    "Order",
    "OutOfStockError",
    "PaymentClaims",
    "PaymentLink",
    "PaymentLinkError",
    "PolicyAnswer",
    "Product",
    "ProductInput",
    "ProductPage",
    "ProductPatch",
    "ProductRef",
    "Resolution",
    "SQLiteShop",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "ShopBackend",
    "TamperedLinkError",
    "UnknownBasketError",
    "UnknownOrderError",
    "UnknownProductError",
    "create_business_api",
    "fold",
    "load_or_create_link_secret",
    "open_backend",
    "open_sqlite_shop",
    "verify_payment_token",
]
