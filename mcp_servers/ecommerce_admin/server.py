"""The admin MCP server: create, list, update and delete products, and import catalog files.

Imports accept a file under `<data_dir>/imports/` or its content inline; `commerce.importing`
parses and validates every row, and the valid ones are upserted by SKU in one transaction (none
on a dry run). A hostile file raises ToolError and leaves the catalog as it was. Shop failures
are returned as data: the shop's stable code and its params (`mcp_servers.errors`).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from commerce import CommerceError, ProductInput, ProductPatch, ShopBackend, fold, open_backend
from commerce.importing import MAX_FILE_BYTES, parse_catalog
from mcp_servers.ecommerce_admin.models import (
    Category,
    ImportReport,
    NewProduct,
    Problem,
    ProductChanges,
    ProductList,
    ProductView,
)
from mcp_servers.errors import CodedMCPServer, ToolFailure
from shopmcp.settings import Settings

__all__ = ["AdminContext", "create_server", "server"]

FileType = Literal["csv", "xlsx", "json"]
ProductText = Annotated[
    str, Field(min_length=1, max_length=200, description="product id, sku or name")
]
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
ADDS = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
DESTRUCTIVE = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False)


@dataclass(frozen=True, slots=True)
class AdminContext:
    backend: ShopBackend
    settings: Settings

    @property
    def import_dir(self) -> Path:
        return self.settings.data_dir / "imports"


@contextmanager
def _shop_errors() -> Iterator[None]:
    try:
        yield
    except CommerceError as exc:
        raise ToolFailure(exc.code, exc.message, **exc.details) from exc


def _state(ctx: Context) -> AdminContext:
    state: AdminContext = ctx.request_context.lifespan_context
    return state


async def _resolve(backend: ShopBackend, text: str) -> str:
    resolution = await backend.resolve_product(text)
    if resolution.product is not None:
        return resolution.product.id
    if resolution.candidates:
        names = "; ".join(f"{c.name} (sku {c.sku})" for c in resolution.candidates)
        raise ToolFailure(
            "ambiguous_product",
            f"{text!r} could be several products: {names}; name it by sku",
            query=text,
            candidates=[{"id": c.id, "sku": c.sku, "name": c.name} for c in resolution.candidates],
        )
    raise ToolFailure("unknown_product", f"no product called {text!r}", query=text)


def _sku_for(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", fold(name).upper()).strip("-")[:60] or "PRODUCT"


def _read_source(state: AdminContext, path: str, content: str, file_type: str) -> bytes:
    if bool(path) == bool(content):
        raise ToolError("give either path or content")
    if content:
        if file_type != "xlsx":
            data = content.encode("utf-8")
        else:
            try:
                data = base64.b64decode(content, validate=True)
            except binascii.Error as exc:
                raise ToolError("xlsx content must be base64") from exc
        if len(data) > MAX_FILE_BYTES:
            raise ToolError(f"the file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}")
        return data
    root = state.import_dir.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root):
        raise ToolError(f"imports are read from {root}; {path!r} is outside it")
    if not target.is_file():
        raise ToolError(f"no file {path!r} in {root}")
    size = target.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ToolError(f"{path!r} is {size} bytes; the limit is {MAX_FILE_BYTES}; split it")
    return target.read_bytes()


def create_server(settings: Settings | None = None) -> MCPServer[AdminContext]:
    """The admin server; without `settings` the lifespan reads them from the environment."""

    @asynccontextmanager
    async def lifespan(_: MCPServer[AdminContext]) -> AsyncIterator[AdminContext]:
        resolved = settings or Settings.from_env()
        async with open_backend(resolved) as backend:
            yield AdminContext(backend, resolved)

    mcp: MCPServer[AdminContext] = CodedMCPServer(
        "ecommerce-admin", version="0.1.0", lifespan=lifespan
    )

    @mcp.tool(annotations=ADDS)
    async def create_product(ctx: Context, product: NewProduct) -> ProductView:
        """Adds one product; the sku defaults to one made from the name."""
        state = _state(ctx)
        new = ProductInput(
            sku=product.sku or _sku_for(product.name),
            name={product.locale: product.name},
            description={product.locale: product.description} if product.description else {},
            price=product.price,
            currency=product.currency or state.settings.default_currency,
            stock=product.stock,
            category=product.category,
            brand=product.brand,
            colors=tuple(product.colors),
            sizes=tuple(product.sizes),
        )
        with _shop_errors():
            return ProductView.of(await state.backend.create_product(new))

    @mcp.tool(annotations=DESTRUCTIVE)
    async def create_from_file(
        ctx: Context,
        file_type: FileType,
        # Plain `str` (not `str | None`): the SDK would parse JSON text given for other types.
        path: Annotated[str, Field(description="file name under <data_dir>/imports")] = "",
        content: Annotated[str, Field(description="file text; base64 for xlsx")] = "",
        encoding: Annotated[
            str | None, Field(description="e.g. cp1252; detected if omitted")
        ] = None,
        dry_run: bool = False,
    ) -> ImportReport:
        """Imports products from CSV, .xlsx or JSON (ours, WooCommerce, Shopify, PrestaShop or
        Magento layouts). Invalid rows are reported; valid ones are created or updated by sku."""
        state = _state(ctx)
        data = _read_source(state, path, content, file_type)
        with _shop_errors():
            parsed = parse_catalog(
                data, file_type, currency=state.settings.default_currency, encoding=encoding
            )
            created = updated = 0
            if parsed.products and not dry_run:
                result = await state.backend.upsert_products(parsed.products)
                created, updated = result.created, result.updated
        return ImportReport(
            layout=parsed.layout,
            rows=parsed.rows,
            valid=len(parsed.products),
            created=created,
            updated=updated,
            dry_run=dry_run,
            problems=[
                Problem(row=p.row, column=p.column, reason=p.reason) for p in parsed.problems
            ],
        )

    @mcp.tool(annotations=READ_ONLY)
    async def list_products(
        ctx: Context,
        category: Category | None = None,
        query: Annotated[str | None, Field(max_length=200)] = None,
        page: Annotated[int, Field(ge=1)] = 1,
        page_size: Annotated[int, Field(ge=1, le=100)] = 20,
    ) -> ProductList:
        """Products by category and/or a fuzzy query, in pages."""
        with _shop_errors():
            result = await _state(ctx).backend.list_products(
                category=category, query=query, page=page, page_size=page_size
            )
        return ProductList(
            items=[ProductView.of(p) for p in result.items],
            total=result.total,
            page=result.page,
            page_size=result.page_size,
        )

    @mcp.tool(annotations=DESTRUCTIVE)
    async def update_product(
        ctx: Context, product: ProductText, changes: ProductChanges
    ) -> ProductView:
        """Changes fields of one product; names and descriptions change in `changes.locale`."""
        backend = _state(ctx).backend
        loc = changes.locale
        patch = ProductPatch(
            sku=changes.sku,
            name={loc: changes.name} if changes.name else None,
            description={loc: changes.description} if changes.description is not None else None,
            price=changes.price,
            currency=changes.currency,
            stock=changes.stock,
            category=changes.category,
            brand=changes.brand,
            colors=tuple(changes.colors) if changes.colors is not None else None,
            sizes=tuple(changes.sizes) if changes.sizes is not None else None,
        )
        with _shop_errors():
            product_id = await _resolve(backend, product)
            return ProductView.of(await backend.update_product(product_id, patch))

    @mcp.tool(annotations=DESTRUCTIVE)
    async def delete_product(ctx: Context, product: ProductText) -> ProductView:
        """Deletes one product (id, sku or an unambiguous name); returns what was deleted."""
        backend = _state(ctx).backend
        with _shop_errors():
            product_id = await _resolve(backend, product)
            deleted = await backend.get_product(product_id)
            await backend.delete_product(product_id)
        return ProductView.of(deleted)

    return mcp


server = create_server()
