"""The one interface every shop backend implements: the embedded SQLite shop and the HTTP client.

The MCP servers and the business API depend only on this Protocol; the contract test suite
(tests/commerce/test_contract.py) runs unchanged against both implementations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from commerce.models import (
    Basket,
    BulkResult,
    Order,
    PaymentLink,
    PolicyAnswer,
    Product,
    ProductInput,
    ProductPage,
    ProductPatch,
    Resolution,
    SearchFilters,
    SearchPage,
)

__all__ = ["ShopBackend"]


class ShopBackend(Protocol):
    """A shop. Methods raise `commerce.errors.CommerceError` subclasses for expected failures."""

    # -- shopper --------------------------------------------------------------------------------
    async def search(
        self,
        query: str = "",
        filters: SearchFilters | None = None,
        *,
        locale: str = "en",
        page: int = 1,
        page_size: int = 10,
    ) -> SearchPage:
        """Ranked, paginated products whose name, brand or category fits `query` (typos allowed)."""
        ...

    async def get_product(self, ref: str) -> Product:
        """A product by id or sku; UnknownProductError otherwise."""
        ...

    async def resolve_product(self, text: str, *, locale: str = "en") -> Resolution:
        """The product a shopper's words name, or the candidates when several fit."""
        ...

    async def create_basket(self) -> Basket: ...

    async def get_basket(self, basket_id: str, *, locale: str = "en") -> Basket: ...

    async def add_to_basket(
        self, basket_id: str, product_id: str, quantity: int = 1, *, locale: str = "en"
    ) -> Basket:
        """Adds units after checking stock; OutOfStockError names what is available."""
        ...

    async def remove_from_basket(
        self, basket_id: str, product_id: str, quantity: int | None = None, *, locale: str = "en"
    ) -> Basket:
        """Removes `quantity` units, or the whole line when it is None."""
        ...

    async def create_payment_link(self, basket_id: str) -> PaymentLink:
        """A signed, expiring checkout link; the same basket state gets the same link."""
        ...

    async def answer_policy(self, topic: str, *, locale: str = "en") -> PolicyAnswer: ...

    async def mark_paid(self, basket_id: str) -> Order:
        """Turns the basket into a paid order and takes its units out of stock."""
        ...

    async def get_order(self, order_id: str) -> Order: ...

    # -- admin ----------------------------------------------------------------------------------
    async def create_product(self, product: ProductInput) -> Product: ...

    async def list_products(
        self,
        *,
        category: str | None = None,
        query: str | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> ProductPage: ...

    async def update_product(self, ref: str, patch: ProductPatch) -> Product: ...

    async def delete_product(self, ref: str) -> None: ...

    async def upsert_products(self, products: Sequence[ProductInput]) -> BulkResult:
        """Creates or updates by sku, all or nothing."""
        ...

    async def aclose(self) -> None: ...
