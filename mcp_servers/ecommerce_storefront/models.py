"""The storefront tools' inputs and outputs: pydantic models, because they become the published
JSON schemas. Money stays integer minor units plus an ISO currency; the formatter renders it."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from commerce import Basket, Category, Order, PaymentLink, Product

__all__ = [
    "Answer",
    "BasketLineView",
    "BasketView",
    "Filters",
    "OrderView",
    "PaymentLinkView",
    "ProductInfo",
    "ProductSummary",
    "SearchResult",
]

MinorUnits = Annotated[int, Field(ge=0, description="amount in minor units (cents)")]


class Filters(BaseModel):
    category: Category | None = None
    brand: str | None = Field(None, description="canonical brand key, e.g. apple, levis")
    color: str | None = Field(None, description="canonical color, e.g. black, navy")
    size: str | None = Field(None, description="XS–XXL or a shoe size 35–47")
    min_price: MinorUnits | None = None
    max_price: MinorUnits | None = None
    in_stock: bool = False


class ProductSummary(BaseModel):
    id: str
    sku: str
    name: str
    brand: str
    category: str
    price: int
    currency: str
    in_stock: bool
    colors: list[str]
    sizes: list[str]
    score: float

    @classmethod
    def of(cls, product: Product, locale: str, score: float) -> ProductSummary:
        return cls(
            id=product.id,
            sku=product.sku,
            name=product.name_in(locale),
            brand=product.brand,
            category=product.category,
            price=product.price,
            currency=product.currency,
            in_stock=product.stock > 0,
            colors=list(product.colors),
            sizes=list(product.sizes),
            score=score,
        )


class SearchResult(BaseModel):
    items: list[ProductSummary]
    total: int
    page: int
    page_size: int


class ProductInfo(BaseModel):
    id: str
    sku: str
    name: str
    description: str
    brand: str
    category: str
    price: int
    currency: str
    stock: int
    colors: list[str]
    sizes: list[str]

    @classmethod
    def of(cls, product: Product, locale: str) -> ProductInfo:
        return cls(
            id=product.id,
            sku=product.sku,
            name=product.name_in(locale),
            description=product.description_in(locale),
            brand=product.brand,
            category=product.category,
            price=product.price,
            currency=product.currency,
            stock=product.stock,
            colors=list(product.colors),
            sizes=list(product.sizes),
        )


class BasketLineView(BaseModel):
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: int
    line_total: int


class BasketView(BaseModel):
    basket_id: str
    currency: str | None
    lines: list[BasketLineView]
    total: int
    item_count: int

    @classmethod
    def of(cls, basket: Basket) -> BasketView:
        return cls(
            basket_id=basket.id,
            currency=basket.currency,
            total=basket.total,
            item_count=basket.item_count,
            lines=[
                BasketLineView.model_validate(line, from_attributes=True) for line in basket.lines
            ],
        )


class PaymentLinkView(BaseModel):
    basket_id: str
    url: str
    amount: int
    currency: str
    expires_at: int = Field(description="Unix seconds")

    @classmethod
    def of(cls, link: PaymentLink) -> PaymentLinkView:
        return cls(
            basket_id=link.basket_id,
            url=link.url,
            amount=link.amount,
            currency=link.currency,
            expires_at=link.expires_at,
        )


class Answer(BaseModel):
    topic: str
    locale: str
    text: str
    order_id: str | None = None
    order_status: str | None = None


class OrderView(BaseModel):
    id: str
    status: str = Field(description="paid, shipped, delivered or cancelled")
    total: int
    currency: str
    lines: list[BasketLineView]
    created_at: int = Field(description="Unix seconds")

    @classmethod
    def of(cls, order: Order) -> OrderView:
        return cls(
            id=order.id,
            status=order.status,
            total=order.total,
            currency=order.currency,
            created_at=order.created_at,
            lines=[
                BasketLineView.model_validate(line, from_attributes=True) for line in order.lines
            ],
        )
