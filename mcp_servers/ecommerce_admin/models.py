"""The admin tools' inputs and outputs (pydantic: they are the published JSON schemas)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from commerce import Category, Locale, Product

__all__ = ["ImportReport", "NewProduct", "Problem", "ProductChanges", "ProductList", "ProductView"]

MinorUnits = Annotated[int, Field(ge=0, description="amount in minor units (cents)")]


class NewProduct(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    price: MinorUnits
    currency: Annotated[str | None, Field(pattern="^[A-Za-z]{3}$")] = None
    stock: Annotated[int, Field(ge=0)] = 0
    category: Category = "home"
    sku: Annotated[str | None, Field(max_length=64)] = None
    brand: str = ""
    description: Annotated[str, Field(max_length=5000)] = ""
    colors: list[str] = []
    sizes: list[str] = []
    locale: Locale = Field("en", description="language of name and description")


class ProductChanges(BaseModel):
    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    description: Annotated[str | None, Field(max_length=5000)] = None
    price: MinorUnits | None = None
    currency: Annotated[str | None, Field(pattern="^[A-Za-z]{3}$")] = None
    stock: Annotated[int | None, Field(ge=0)] = None
    category: Category | None = None
    brand: str | None = None
    sku: Annotated[str | None, Field(max_length=64)] = None
    colors: list[str] | None = None
    sizes: list[str] | None = None
    locale: Locale = Field("en", description="language of a new name or description")


class ProductView(BaseModel):
    id: str
    sku: str
    name: dict[str, str]
    description: dict[str, str]
    brand: str
    category: str
    price: int
    currency: str
    stock: int
    colors: list[str]
    sizes: list[str]

    @classmethod
    def of(cls, p: Product) -> ProductView:
        return cls(
            id=p.id,
            sku=p.sku,
            name=p.name,
            description=p.description,
            brand=p.brand,
            category=p.category,
            price=p.price,
            currency=p.currency,
            stock=p.stock,
            colors=list(p.colors),
            sizes=list(p.sizes),
        )


class ProductList(BaseModel):
    items: list[ProductView]
    total: int
    page: int
    page_size: int


class Problem(BaseModel):
    row: int
    column: str
    reason: str


class ImportReport(BaseModel):
    layout: str = Field(description="shopmcp, woocommerce, shopify, prestashop or magento")
    rows: int
    valid: int
    created: int
    updated: int
    dry_run: bool
    problems: list[Problem]
