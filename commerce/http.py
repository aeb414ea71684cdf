"""`HttpShop`: the `ShopBackend` that talks to a shop's own API (docs/business-api.md).

The `httpx.AsyncClient` comes in through the constructor with its `base_url` (and auth header)
set, so tests aim it at a local server. Transport failures and answers that do not fit the contract
become BackendUnavailableError here, once; error bodies become the same CommerceError the embedded
shop raises.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from commerce.errors import BackendUnavailableError, error_from_wire
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

__all__ = ["HttpShop"]

T = TypeVar("T")
_ADAPTERS: dict[type[Any], pydantic.TypeAdapter[Any]] = {}


def _parse(cls: type[T], body: Any) -> T:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = pydantic.TypeAdapter(cls)
    try:
        value: T = adapter.validate_python(body)
    except pydantic.ValidationError as exc:
        raise BackendUnavailableError(
            f"business API answer does not fit {cls.__name__}: {exc.errors()[0]['msg']}"
        ) from exc
    return value


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


@contextmanager
def _http_errors(method: str, path: str) -> Iterator[None]:
    try:
        yield
    except httpx.HTTPError as exc:
        raise BackendUnavailableError(
            f"business API {method} {path} failed: {type(exc).__name__}: {exc}; "
            "check BUSINESS_API_URL and that the shop's API is running"
        ) from exc


class HttpShop:
    """A `ShopBackend` over HTTP. The caller owns (and closes) the client unless `owns_client`."""

    def __init__(self, client: httpx.AsyncClient, *, owns_client: bool = False) -> None:
        self._client = client
        self._owns_client = owns_client

    async def __aenter__(self) -> HttpShop:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def _call(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> Any:
        with _http_errors(method, path):
            response = await self._client.request(method, path, params=params, json=json)
        if response.status_code == 204:
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.is_error:
            raise error_from_wire(body, response.status_code)
        if body is None:
            raise BackendUnavailableError(f"business API {method} {path} did not answer JSON")
        return body

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
        f = dataclasses.asdict(filters or SearchFilters())
        f["in_stock"] = "true" if f["in_stock"] else None
        params = _params(q=query, locale=locale, page=page, page_size=page_size, **f)
        return _parse(SearchPage, await self._call("GET", "/search", params=params))

    async def get_product(self, ref: str) -> Product:
        return _parse(Product, await self._call("GET", f"/products/{_seg(ref)}"))

    async def resolve_product(self, text: str, *, locale: str = "en") -> Resolution:
        body = await self._call("GET", "/resolve", params={"text": text, "locale": locale})
        return _parse(Resolution, body)

    async def create_basket(self) -> Basket:
        return _parse(Basket, await self._call("POST", "/baskets"))

    async def get_basket(self, basket_id: str, *, locale: str = "en") -> Basket:
        body = await self._call("GET", f"/baskets/{_seg(basket_id)}", params={"locale": locale})
        return _parse(Basket, body)

    async def add_to_basket(
        self, basket_id: str, product_id: str, quantity: int = 1, *, locale: str = "en"
    ) -> Basket:
        body = await self._call(
            "POST",
            f"/baskets/{_seg(basket_id)}/items",
            params={"locale": locale},
            json={"product_id": product_id, "quantity": quantity},
        )
        return _parse(Basket, body)

    async def remove_from_basket(
        self, basket_id: str, product_id: str, quantity: int | None = None, *, locale: str = "en"
    ) -> Basket:
        body = await self._call(
            "DELETE",
            f"/baskets/{_seg(basket_id)}/items/{_seg(product_id)}",
            params=_params(quantity=quantity, locale=locale),
        )
        return _parse(Basket, body)

    async def create_payment_link(self, basket_id: str) -> PaymentLink:
        body = await self._call("POST", f"/baskets/{_seg(basket_id)}/payment-link")
        return _parse(PaymentLink, body)

    async def answer_policy(self, topic: str, *, locale: str = "en") -> PolicyAnswer:
        body = await self._call("GET", f"/policies/{_seg(topic)}", params={"locale": locale})
        return _parse(PolicyAnswer, body)

    async def mark_paid(self, basket_id: str) -> Order:
        return _parse(Order, await self._call("POST", f"/baskets/{_seg(basket_id)}/pay"))

    async def get_order(self, order_id: str) -> Order:
        return _parse(Order, await self._call("GET", f"/orders/{_seg(order_id)}"))

    # -- admin ----------------------------------------------------------------------------------
    async def create_product(self, product: ProductInput) -> Product:
        body = await self._call("POST", "/products", json=dataclasses.asdict(product))
        return _parse(Product, body)

    async def list_products(
        self,
        *,
        category: str | None = None,
        query: str | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> ProductPage:
        params = _params(category=category, query=query, page=page, page_size=page_size)
        return _parse(ProductPage, await self._call("GET", "/products", params=params))

    async def update_product(self, ref: str, patch: ProductPatch) -> Product:
        changes = {k: v for k, v in dataclasses.asdict(patch).items() if v is not None}
        body = await self._call("PATCH", f"/products/{_seg(ref)}", json=changes)
        return _parse(Product, body)

    async def delete_product(self, ref: str) -> None:
        await self._call("DELETE", f"/products/{_seg(ref)}")

    async def upsert_products(self, products: Sequence[ProductInput]) -> BulkResult:
        payload = {"products": [dataclasses.asdict(p) for p in products]}
        return _parse(BulkResult, await self._call("POST", "/products/bulk", json=payload))


def _seg(value: str) -> str:
    """One URL path segment: a `/` or `?` in an id must not change the route."""
    return quote(value, safe="")
