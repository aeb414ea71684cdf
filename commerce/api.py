"""The business API: any `ShopBackend` served over the HTTP contract of docs/business-api.md.

`shopmcp business-api` serves the embedded shop with it, and `HttpShop` is its client, so the
contract tests run one suite against both. Errors leave as `{"error": {"code", "message",
"details"}}` with the status the error class carries.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Annotated, Any

from litestar import Litestar, Request, Response, delete, get, patch, post
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from commerce.backend import ShopBackend
from commerce.errors import CommerceError, InvalidRequestError
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

__all__ = ["create_business_api"]


@dataclass(frozen=True, slots=True)
class AddItem:
    product_id: str
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class BulkUpsert:
    products: list[ProductInput] = field(default_factory=list)


def _shop(request: Request[Any, Any, Any]) -> ShopBackend:
    shop: ShopBackend = request.app.state.shop
    return shop


@get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/search")
async def search(
    request: Request[Any, Any, Any],
    q: FromQuery[str] = "",
    locale: FromQuery[str] = "en",
    category: FromQuery[str | None] = None,
    brand: FromQuery[str | None] = None,
    color: FromQuery[str | None] = None,
    size: FromQuery[str | None] = None,
    min_price: FromQuery[int | None] = None,
    max_price: FromQuery[int | None] = None,
    in_stock: FromQuery[bool] = False,
    page: FromQuery[int] = 1,
    page_size: FromQuery[int] = 10,
) -> SearchPage:
    filters = SearchFilters(category, brand, color, size, min_price, max_price, in_stock)
    return await _shop(request).search(q, filters, locale=locale, page=page, page_size=page_size)


@get("/resolve")
async def resolve(
    request: Request[Any, Any, Any], text: FromQuery[str], locale: FromQuery[str] = "en"
) -> Resolution:
    return await _shop(request).resolve_product(text, locale=locale)


@get("/products")
async def list_products(
    request: Request[Any, Any, Any],
    category: FromQuery[str | None] = None,
    text: Annotated[str | None, QueryParameter(name="query")] = None,
    page: FromQuery[int] = 1,
    page_size: FromQuery[int] = 20,
) -> ProductPage:
    return await _shop(request).list_products(
        category=category, query=text, page=page, page_size=page_size
    )


@post("/products")
async def create_product(request: Request[Any, Any, Any], data: JSONBody[ProductInput]) -> Product:
    return await _shop(request).create_product(data)


@post("/products/bulk", status_code=200)
async def bulk_upsert(request: Request[Any, Any, Any], data: JSONBody[BulkUpsert]) -> BulkResult:
    return await _shop(request).upsert_products(data.products)


@get("/products/{ref:str}")
async def get_product(request: Request[Any, Any, Any], ref: FromPath[str]) -> Product:
    return await _shop(request).get_product(ref)


@patch("/products/{ref:str}")
async def update_product(
    request: Request[Any, Any, Any], ref: FromPath[str], data: JSONBody[ProductPatch]
) -> Product:
    return await _shop(request).update_product(ref, data)


@delete("/products/{ref:str}")
async def delete_product(request: Request[Any, Any, Any], ref: FromPath[str]) -> None:
    await _shop(request).delete_product(ref)


@post("/baskets")
async def create_basket(request: Request[Any, Any, Any]) -> Basket:
    return await _shop(request).create_basket()


@get("/baskets/{basket_id:str}")
async def get_basket(
    request: Request[Any, Any, Any], basket_id: FromPath[str], locale: FromQuery[str] = "en"
) -> Basket:
    return await _shop(request).get_basket(basket_id, locale=locale)


@post("/baskets/{basket_id:str}/items", status_code=200)
async def add_item(
    request: Request[Any, Any, Any],
    basket_id: FromPath[str],
    data: JSONBody[AddItem],
    locale: FromQuery[str] = "en",
) -> Basket:
    return await _shop(request).add_to_basket(
        basket_id, data.product_id, data.quantity, locale=locale
    )


@delete("/baskets/{basket_id:str}/items/{product_id:str}", status_code=200)
async def remove_item(
    request: Request[Any, Any, Any],
    basket_id: FromPath[str],
    product_id: FromPath[str],
    quantity: FromQuery[int | None] = None,
    locale: FromQuery[str] = "en",
) -> Basket:
    return await _shop(request).remove_from_basket(basket_id, product_id, quantity, locale=locale)


@post("/baskets/{basket_id:str}/payment-link", status_code=200)
async def payment_link(request: Request[Any, Any, Any], basket_id: FromPath[str]) -> PaymentLink:
    return await _shop(request).create_payment_link(basket_id)


@post("/baskets/{basket_id:str}/pay", status_code=200)
async def pay(request: Request[Any, Any, Any], basket_id: FromPath[str]) -> Order:
    return await _shop(request).mark_paid(basket_id)


@get("/orders/{order_id:str}")
async def get_order(request: Request[Any, Any, Any], order_id: FromPath[str]) -> Order:
    return await _shop(request).get_order(order_id)


@get("/policies/{topic:str}")
async def get_policy(
    request: Request[Any, Any, Any], topic: FromPath[str], locale: FromQuery[str] = "en"
) -> PolicyAnswer:
    return await _shop(request).answer_policy(topic, locale=locale)


def _commerce_error(_: Request[Any, Any, Any], exc: CommerceError) -> Response[Any]:
    return Response(exc.to_wire(), status_code=exc.status)


def _http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if exc.status_code == 400:
        wire = InvalidRequestError(str(exc.detail), extra=exc.extra).to_wire()
    else:
        code = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error"
        )
        wire = {"error": {"code": code, "message": str(exc.detail), "details": {}}}
    return Response(wire, status_code=exc.status_code)


def create_business_api(shop: ShopBackend, *, token: str | None = None) -> Litestar:
    """The app serving `shop`; with `token`, every route but /health wants `Bearer <token>`."""

    def require_token(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if token is None or connection.url.path == "/health":
            return
        sent = connection.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            raise NotAuthorizedException("send Authorization: Bearer <BUSINESS_API_TOKEN>")

    return Litestar(
        route_handlers=[
            health,
            search,
            resolve,
            list_products,
            create_product,
            bulk_upsert,
            get_product,
            update_product,
            delete_product,
            create_basket,
            get_basket,
            add_item,
            remove_item,
            payment_link,
            pay,
            get_order,
            get_policy,
        ],
        guards=[require_token],
        exception_handlers={CommerceError: _commerce_error, HTTPException: _http_error},
        state=State({"shop": shop}),
        openapi_config=None,
    )
