"""The storefront MCP server: search, product info, baskets, payment links and policy answers.

Its lifespan opens the configured backend once (the embedded SQLite shop, or the business API when
BUSINESS_API_URL is set) and tools read it from the typed context. Shop failures the shopper should
hear about (out of stock, unknown product, an ambiguous name with its candidates) are returned as
data: the shop's stable code and its params (`mcp_servers.errors`); anything else is a crash the
SDK hides.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Annotated, Literal

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.types import ToolAnnotations
from pydantic import Field

from commerce import (
    TOPICS,
    BasketClosedError,
    CommerceError,
    SearchFilters,
    ShopBackend,
    UnknownOrderError,
    UnknownProductError,
    fold,
    open_backend,
)
from mcp_servers.ecommerce_storefront.models import (
    Answer,
    BasketView,
    Filters,
    OrderView,
    PaymentLinkView,
    ProductInfo,
    ProductSummary,
    SearchResult,
)
from mcp_servers.errors import CodedMCPServer, ToolFailure
from shopmcp.settings import Settings

__all__ = ["StorefrontContext", "create_server", "server"]

Locale = Literal["en", "es", "fr", "de"]
TopicName = Literal[
    "shipping",
    "returns",
    "payment_methods",
    "opening_hours",
    "contact",
    "order_status",
    "warranty",
    "other",
]
ProductText = Annotated[
    str,
    Field(
        min_length=1, max_length=200, description="product id, sku or the name the shopper typed"
    ),
]
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)

# Words that give a question's topic away when the intent engine did not name one; folded text.
_TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "order_status": (
        "where is my",
        "my order",
        "mi pedido",
        "ma commande",
        "meine bestellung",
        "tracking",
        "seguimiento",
        "suivi",
        "sendungsverfolgung",
    ),
    "returns": (
        "return",
        "refund",
        "devol",
        "reembols",
        "retour",
        "rembours",
        "ruckgab",
        "rucksend",
        "umtausch",
        "erstatt",
    ),
    "shipping": (
        "ship",
        "deliver",
        "envio",
        "enviar",
        "envian",
        "entrega",
        "livr",
        "expedi",
        "versand",
        "liefer",
    ),
    "payment_methods": (
        "pay",
        "card",
        "paypal",
        "pago",
        "pagar",
        "tarjeta",
        "paiement",
        "payer",
        "carte",
        "zahl",
        "karte",
        "bezahl",
    ),
    "warranty": ("warrant", "guarantee", "garant", "gewahrleist"),
    "opening_hours": (
        "open",
        "hours",
        "horario",
        "abier",
        "heure",
        "ouvert",
        "offnungszeit",
        "geoffnet",
    ),
    "contact": (
        "contact",
        "phone",
        "email",
        "call",
        "telefono",
        "llamar",
        "telephone",
        "kontakt",
        "telefon",
        "anruf",
    ),
}


@dataclass(frozen=True, slots=True)
class StorefrontContext:
    backend: ShopBackend
    settings: Settings


@contextmanager
def _shop_errors() -> Iterator[None]:
    """Shop failures become ToolFailure once, here, with the shop's code and details."""
    try:
        yield
    except CommerceError as exc:
        raise ToolFailure(exc.code, exc.message, **exc.details) from exc


def _backend(ctx: Context) -> ShopBackend:
    state: StorefrontContext = ctx.request_context.lifespan_context
    return state.backend


async def _resolve(backend: ShopBackend, text: str, locale: str) -> str:
    """A product id for what the shopper typed; `ambiguous_product` lists the candidates."""
    resolution = await backend.resolve_product(text, locale=locale)
    if resolution.product is not None:
        return resolution.product.id
    if resolution.candidates:
        names = "; ".join(f"{c.name} (id {c.id})" for c in resolution.candidates)
        raise ToolFailure(
            "ambiguous_product",
            f"{text!r} could be several products: {names}",
            query=text,
            candidates=[{"id": c.id, "name": c.name} for c in resolution.candidates],
        )
    raise ToolFailure(
        "unknown_product", f"no product called {text!r}; search the catalog to find it", query=text
    )


def guess_topic(question: str) -> str | None:
    text = fold(question)
    for topic, words in _TOPIC_WORDS.items():
        if any(word in text for word in words):
            return topic
    return None


def create_server(settings: Settings | None = None) -> MCPServer[StorefrontContext]:
    """The storefront server; without `settings` the lifespan reads them from the environment."""

    @asynccontextmanager
    async def lifespan(_: MCPServer[StorefrontContext]) -> AsyncIterator[StorefrontContext]:
        resolved = settings or Settings.from_env()
        async with open_backend(resolved) as backend:
            yield StorefrontContext(backend, resolved)

    mcp: MCPServer[StorefrontContext] = CodedMCPServer(
        "ecommerce-storefront", version="0.1.0", lifespan=lifespan
    )

    @mcp.tool(annotations=READ_ONLY)
    async def search_products(
        ctx: Context,
        query: Annotated[str, Field(max_length=200)] = "",
        filters: Filters | None = None,
        locale: Locale = "en",
        page: Annotated[int, Field(ge=1, le=1000)] = 1,
        page_size: Annotated[int, Field(ge=1, le=50)] = 10,
    ) -> SearchResult:
        """Search the catalog; typos, accents and the shopper's language are understood."""
        f = filters or Filters()
        with _shop_errors():
            result = await _backend(ctx).search(
                query,
                SearchFilters(**f.model_dump()),
                locale=locale,
                page=page,
                page_size=page_size,
            )
        return SearchResult(
            items=[ProductSummary.of(h.product, locale, h.score) for h in result.hits],
            total=result.total,
            page=result.page,
            page_size=result.page_size,
        )

    @mcp.tool(annotations=READ_ONLY)
    async def get_product_info(
        ctx: Context, product: ProductText, locale: Locale = "en"
    ) -> ProductInfo:
        """Price, stock, description, colors and sizes of one product (id, sku or name)."""
        backend = _backend(ctx)
        with _shop_errors():
            product_id = await _resolve(backend, product, locale)
            return ProductInfo.of(await backend.get_product(product_id), locale)

    @mcp.tool(annotations=WRITES)
    async def add_to_basket(
        ctx: Context,
        product_id: ProductText,
        basket_id: str | None = None,
        quantity: Annotated[int, Field(ge=1, le=100)] = 1,
        locale: Locale = "en",
    ) -> BasketView:
        """Adds units to a basket, checking stock. A new basket is started when basket_id is
        omitted or names a basket that was already paid: the answer's basket_id is the one to keep."""
        backend = _backend(ctx)
        with _shop_errors():
            resolved = await _resolve(backend, product_id, locale)
            if basket_id is not None:
                try:
                    return BasketView.of(
                        await backend.add_to_basket(basket_id, resolved, quantity, locale=locale)
                    )
                except BasketClosedError:
                    pass  # paid: its order is final, so these units open the next basket
            basket_id = (await backend.create_basket()).id
            return BasketView.of(
                await backend.add_to_basket(basket_id, resolved, quantity, locale=locale)
            )

    @mcp.tool(annotations=WRITES)
    async def remove_from_basket(
        ctx: Context,
        basket_id: str,
        product_id: ProductText,
        quantity: Annotated[int | None, Field(ge=1)] = None,
        locale: Locale = "en",
    ) -> BasketView:
        """Removes units of a product, or its whole line when quantity is omitted."""
        backend = _backend(ctx)
        with _shop_errors():
            resolved = await _resolve(backend, product_id, locale)
            try:
                basket = await backend.remove_from_basket(
                    basket_id, resolved, quantity, locale=locale
                )
            except UnknownProductError as exc:
                # the product exists (it was just resolved): it is the basket that lacks it
                product = await backend.get_product(resolved)
                raise ToolFailure(
                    "not_in_basket",
                    exc.message,
                    basket_id=basket_id,
                    product_id=product.id,
                    name=product.name_in(locale),
                ) from exc
            return BasketView.of(basket)

    @mcp.tool(annotations=WRITES)
    async def set_basket_quantity(
        ctx: Context,
        product_id: ProductText,
        quantity: Annotated[int, Field(ge=0, le=100)],
        basket_id: str | None = None,
        locale: Locale = "en",
    ) -> BasketView:
        """Sets how many units of a product the basket holds ("make it 2"): adds or removes the
        difference, checking stock; 0 removes the line. A new basket when basket_id is omitted."""
        backend = _backend(ctx)
        with _shop_errors():
            resolved = await _resolve(backend, product_id, locale)
            if basket_id is None:
                basket_id = (await backend.create_basket()).id
            basket = await backend.get_basket(basket_id, locale=locale)
            held = sum(ln.quantity for ln in basket.lines if ln.product_id == resolved)
            if quantity > held:
                basket = await backend.add_to_basket(
                    basket_id, resolved, quantity - held, locale=locale
                )
            elif quantity < held:
                basket = await backend.remove_from_basket(
                    basket_id, resolved, held - quantity if quantity else None, locale=locale
                )
            return BasketView.of(basket)

    @mcp.tool(annotations=WRITES)
    async def empty_basket(ctx: Context, basket_id: str, locale: Locale = "en") -> BasketView:
        """Takes every line out of the basket."""
        backend = _backend(ctx)
        with _shop_errors():
            basket = await backend.get_basket(basket_id, locale=locale)
            for line in basket.lines:
                basket = await backend.remove_from_basket(
                    basket_id, line.product_id, None, locale=locale
                )
            return BasketView.of(basket)

    @mcp.tool(annotations=READ_ONLY)
    async def get_order(
        ctx: Context, order_id: Annotated[str, Field(min_length=1, max_length=64)]
    ) -> OrderView:
        """One order's status, lines and total, by its number (ORD-...)."""
        with _shop_errors():
            return OrderView.of(await _backend(ctx).get_order(order_id))

    @mcp.tool(annotations=READ_ONLY)
    async def get_basket(ctx: Context, basket_id: str, locale: Locale = "en") -> BasketView:
        """The basket's lines, total and currency."""
        with _shop_errors():
            return BasketView.of(await _backend(ctx).get_basket(basket_id, locale=locale))

    # it records the link, so not read-only; it deletes nothing, and asking again is harmless
    @mcp.tool(
        annotations=ToolAnnotations(
            read_only_hint=False, destructive_hint=False, idempotent_hint=True
        )
    )
    async def get_payment_link(ctx: Context, basket_id: str) -> PaymentLinkView:
        """A signed, expiring checkout link; asking again for the same basket gives the same link."""
        with _shop_errors():
            return PaymentLinkView.of(await _backend(ctx).create_payment_link(basket_id))

    @mcp.tool(annotations=READ_ONLY)
    async def answer_question(
        ctx: Context,
        question: Annotated[str, Field(max_length=2000)] = "",
        topic: TopicName | None = None,
        locale: Locale = "en",
        order_id: Annotated[str | None, Field(max_length=64)] = None,
    ) -> Answer:
        """The shop's answer on shipping, returns, payment, hours, contact, orders or warranty."""
        chosen = topic if topic in TOPICS else guess_topic(question)
        if chosen is None:
            raise ToolFailure(
                "unknown_topic",
                "I can answer about " + ", ".join(TOPICS) + "; which one is the question about?",
                topics=list(TOPICS),
            )
        backend = _backend(ctx)
        if chosen == "order_status" and order_id:
            try:
                order = await backend.get_order(order_id)
            except UnknownOrderError as exc:
                raise ToolFailure(
                    "unknown_order",
                    f"no order {order_id!r}; check the number in your e-mail",
                    order_id=order_id,
                ) from exc
            policy = await backend.answer_policy(chosen, locale=locale)
            return Answer(
                topic=chosen,
                locale=policy.locale,
                text=policy.text,
                order_id=order.id,
                order_status=order.status,
            )
        with _shop_errors():
            policy = await backend.answer_policy(chosen, locale=locale)
        return Answer(topic=chosen, locale=policy.locale, text=policy.text)

    return mcp


server = create_server()
