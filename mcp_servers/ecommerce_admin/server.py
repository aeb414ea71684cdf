"""The admin MCP server: create, list, update and delete products, and import catalog files.

Imports accept a file under `<data_dir>/imports/` or its content inline; `commerce.importing`
parses and validates every row, and the valid ones are upserted by SKU in one transaction (none
on a dry run). A hostile file is refused with `invalid_file` and its reason, and leaves the catalog
as it was. Reading and parsing run on a worker thread, one import at a time, so the event loop keeps
answering the pool's liveness probe during a long import; the thread reports progress to the
caller and stops at its next row batch when the call is cancelled. Shop failures are returned as
data: the shop's stable code and its params (`mcp_servers.errors`).
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import anyio
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.types import ToolAnnotations
from pydantic import Field

from commerce import (
    CommerceError,
    InvalidRequestError,
    ProductInput,
    ProductPatch,
    ShopBackend,
    fold,
    open_backend,
)
from commerce.importing import (
    MAX_FILE_BYTES,
    TICK_ROWS,
    ImportFileError,
    ParsedCatalog,
    parse_catalog,
    read_import_file,
)
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
PROGRESS_SECONDS = 0.5
"""An import reports its progress at most this often: enough to show it moves, few messages."""


@dataclass(frozen=True, slots=True)
class AdminContext:
    backend: ShopBackend
    settings: Settings
    imports: anyio.CapacityLimiter
    """One import parses at a time: a large workbook takes hundreds of MB while it is read."""

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
        raise InvalidRequestError("give either path (a file in imports/) or content")
    if not content:
        return read_import_file(state.import_dir, path)
    if file_type != "xlsx":
        try:
            data = content.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ImportFileError(
                f"the content holds an unpaired surrogate at character {exc.start}; "
                "it is not Unicode text"
            ) from exc
    else:
        try:
            data = base64.b64decode(content, validate=True)
        except binascii.Error as exc:
            raise ImportFileError("xlsx content must be base64") from exc
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"the file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}")
    return data


class _Stopped(Exception):
    """The import's call was cancelled; raised in the worker thread at its next row batch."""


async def _parse_off_the_loop(
    ctx: Context,
    state: AdminContext,
    read: Callable[[], bytes],
    file_type: FileType,
    encoding: str | None,
) -> ParsedCatalog:
    """Reads and parses on a worker thread, reporting rows handled (read, then validated)."""
    stop = threading.Event()
    handled = 0
    last: float | None = None  # the first batch is reported at once

    def tick(_: int) -> None:
        nonlocal handled, last
        if stop.is_set():
            raise _Stopped
        handled += TICK_ROWS
        if last is None or time.monotonic() - last >= PROGRESS_SECONDS:
            last = time.monotonic()
            anyio.from_thread.run(
                ctx.report_progress, handled, None, f"{handled} rows read or checked"
            )

    def work() -> ParsedCatalog:
        currency = state.settings.default_currency
        return parse_catalog(read(), file_type, currency=currency, encoding=encoding, tick=tick)

    try:
        return await anyio.to_thread.run_sync(work, abandon_on_cancel=True, limiter=state.imports)
    finally:
        stop.set()


def create_server(settings: Settings | None = None) -> MCPServer[AdminContext]:
    """The admin server; without `settings` the lifespan reads them from the environment."""

    @asynccontextmanager
    async def lifespan(_: MCPServer[AdminContext]) -> AsyncIterator[AdminContext]:
        resolved = settings or Settings.from_env()
        async with open_backend(resolved) as backend:
            yield AdminContext(backend, resolved, anyio.CapacityLimiter(1))

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
        with _shop_errors():
            parsed = await _parse_off_the_loop(
                ctx,
                state,
                lambda: _read_source(state, path, content, file_type),
                file_type,
                encoding,
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
