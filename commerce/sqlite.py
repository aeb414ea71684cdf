"""The embedded shop: one SQLite file, migrated and seeded with the demo catalog on first open
(under SQLite's write lock, so processes opening a fresh file together do it once).

Queries run directly on the event loop: on a local file they take microseconds, less than a hop to
a worker thread, and one connection serialises writes without extra locking. Search and name
resolution use an in-memory `SearchIndex` rebuilt lazily after any catalog write.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from commerce._catalog import demo_catalog
from commerce._policies import POLICIES
from commerce._schema import migrate
from commerce._search import SearchIndex
from commerce.errors import (
    BasketClosedError,
    CurrencyMismatchError,
    DuplicateSkuError,
    EmptyBasketError,
    InvalidProductError,
    NotFoundError,
    OutOfStockError,
    UnknownBasketError,
    UnknownOrderError,
    UnknownProductError,
)
from commerce.links import basket_state, payment_url, sign_payment_token
from commerce.models import (
    LOCALES,
    Basket,
    BasketLine,
    BulkResult,
    Order,
    PaymentClaims,
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
from commerce.validation import normalize_product

__all__ = ["SQLiteShop"]

_MAX_PAGE_SIZE = 100


def _page_bounds(page: int, page_size: int) -> tuple[int, int]:
    page = max(1, page)
    page_size = min(max(1, page_size), _MAX_PAGE_SIZE)
    return page, page_size


def _product(row: sqlite3.Row) -> Product:
    return Product(
        id=str(row["id"]),
        sku=row["sku"],
        brand=row["brand"],
        category=row["category"],
        price=row["price"],
        currency=row["currency"],
        stock=row["stock"],
        name=json.loads(row["names"]),
        description=json.loads(row["descriptions"]),
        colors=tuple(json.loads(row["colors"])),
        sizes=tuple(json.loads(row["sizes"])),
    )


def _columns(p: ProductInput) -> dict[str, object]:
    return {
        "sku": p.sku,
        "brand": p.brand,
        "category": p.category,
        "price": p.price,
        "currency": p.currency,
        "stock": p.stock,
        "colors": json.dumps(list(p.colors)),
        "sizes": json.dumps(list(p.sizes)),
        "names": json.dumps(p.name, ensure_ascii=False),
        "descriptions": json.dumps(p.description, ensure_ascii=False),
    }


class SQLiteShop:
    """The default `ShopBackend`. Close it with `aclose()` (or `async with`)."""

    def __init__(
        self,
        path: Path | str,
        *,
        link_secret: bytes,
        public_base_url: str,
        link_ttl_seconds: int = 86_400,
        currency: str = "EUR",
        seed: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._secret = link_secret
        self._base_url = public_base_url
        self._ttl = link_ttl_seconds
        self._clock = clock
        self._index: SearchIndex | None = None
        self._index_version: int | None = None
        migrate(self._conn, on_create=(lambda: self._seed(currency)) if seed else None)

    async def __aenter__(self) -> SQLiteShop:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    def _seed(self, currency: str) -> None:
        """The demo catalog and policies; runs inside the migration's transaction."""
        for product in demo_catalog(currency):
            self._insert(normalize_product(product))
        self._conn.executemany(
            "INSERT INTO policies (topic, locale, text) VALUES (?, ?, ?)",
            [(t, loc, text) for t, texts in POLICIES.items() for loc, text in texts.items()],
        )

    # -- catalog --------------------------------------------------------------------------------
    def _search_index(self) -> SearchIndex:
        # The admin and storefront servers are separate processes on one database file: SQLite's
        # data_version changes when another connection commits, so their writes (a deleted
        # product, new stock) reach this process's index on the next search.
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if self._index is None or version != self._index_version:
            rows = self._conn.execute("SELECT * FROM products ORDER BY id").fetchall()
            self._index = SearchIndex(_product(r) for r in rows)
            self._index_version = version
        return self._index

    def _find(self, ref: str) -> Product:
        ref = ref.strip()
        row = None
        if ref.isdigit():
            row = self._conn.execute("SELECT * FROM products WHERE id = ?", (int(ref),)).fetchone()
        if row is None:
            row = self._conn.execute("SELECT * FROM products WHERE sku = ?", (ref,)).fetchone()
        if row is None:
            raise UnknownProductError(f"no product with id or sku {ref!r}", ref=ref)
        return _product(row)

    async def search(
        self,
        query: str = "",
        filters: SearchFilters | None = None,
        *,
        locale: str = "en",
        page: int = 1,
        page_size: int = 10,
    ) -> SearchPage:
        page, page_size = _page_bounds(page, page_size)
        hits = self._search_index().search(query, filters or SearchFilters(), locale)
        start = (page - 1) * page_size
        return SearchPage(tuple(hits[start : start + page_size]), len(hits), page, page_size)

    async def get_product(self, ref: str) -> Product:
        return self._find(ref)

    async def resolve_product(self, text: str, *, locale: str = "en") -> Resolution:
        return self._search_index().resolve(text, locale)

    # -- baskets --------------------------------------------------------------------------------
    def _basket(self, basket_id: str, locale: str) -> Basket:
        if not self._conn.execute("SELECT 1 FROM baskets WHERE id = ?", (basket_id,)).fetchone():
            raise UnknownBasketError(
                f"no basket {basket_id!r}; create one first", basket_id=basket_id
            )
        rows = self._conn.execute(
            "SELECT p.*, l.quantity FROM basket_lines l JOIN products p ON p.id = l.product_id "
            "WHERE l.basket_id = ? ORDER BY l.rowid",
            (basket_id,),
        ).fetchall()
        lines = tuple(
            BasketLine(
                product_id=str(r["id"]),
                sku=r["sku"],
                name=_product(r).name_in(locale),
                quantity=r["quantity"],
                unit_price=r["price"],
                line_total=r["price"] * r["quantity"],
            )
            for r in rows
        )
        return Basket(
            id=basket_id,
            currency=rows[0]["currency"] if rows else None,
            lines=lines,
            total=sum(line.line_total for line in lines),
            item_count=sum(line.quantity for line in lines),
        )

    def _refuse_closed(self, basket_id: str) -> None:
        """A paid basket takes no more lines: they would never be paid (its order exists)."""
        paid = self._conn.execute(
            "SELECT id FROM orders WHERE basket_id = ?", (basket_id,)
        ).fetchone()
        if paid is not None:
            raise BasketClosedError(
                f"basket {basket_id!r} was paid by order {paid['id']}; start a new basket",
                basket_id=basket_id,
                order_id=paid["id"],
            )

    async def create_basket(self) -> Basket:
        basket_id = uuid.uuid4().hex
        with self._conn:
            self._conn.execute(
                "INSERT INTO baskets (id, created_at) VALUES (?, ?)",
                (basket_id, int(self._clock())),
            )
        return Basket(basket_id, None, (), 0, 0)

    async def get_basket(self, basket_id: str, *, locale: str = "en") -> Basket:
        return self._basket(basket_id, locale)

    async def add_to_basket(
        self, basket_id: str, product_id: str, quantity: int = 1, *, locale: str = "en"
    ) -> Basket:
        if quantity < 1:
            raise InvalidProductError(f"quantity {quantity} must be at least 1", field="quantity")
        self._refuse_closed(basket_id)
        basket = self._basket(basket_id, locale)
        product = self._find(product_id)
        if basket.currency is not None and basket.currency != product.currency:
            raise CurrencyMismatchError(
                f"{product.name_in(locale)} is priced in {product.currency}, the basket in "
                f"{basket.currency}; check out this basket first",
                product_id=product.id,
                name=product.name_in(locale),
            )
        held = sum(line.quantity for line in basket.lines if line.product_id == product.id)
        if held + quantity > product.stock:
            available = max(0, product.stock - held)
            raise OutOfStockError(
                f"only {available} more of {product.name_in(locale)} in stock"
                if available
                else f"{product.name_in(locale)} is out of stock",
                product_id=product.id,
                sku=product.sku,
                name=product.name_in(locale),
                requested=quantity,
                available=available,
            )
        with self._conn:
            self._conn.execute(
                "INSERT INTO basket_lines (basket_id, product_id, quantity, added_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (basket_id, product_id) "
                "DO UPDATE SET quantity = quantity + excluded.quantity",
                (basket_id, int(product.id), quantity, int(self._clock())),
            )
        return self._basket(basket_id, locale)

    async def remove_from_basket(
        self, basket_id: str, product_id: str, quantity: int | None = None, *, locale: str = "en"
    ) -> Basket:
        basket = self._basket(basket_id, locale)
        product = self._find(product_id)
        line = next((ln for ln in basket.lines if ln.product_id == product.id), None)
        if line is None:
            raise UnknownProductError(
                f"{product.name_in(locale)} is not in the basket",
                product_id=product.id,
                name=product.name_in(locale),
            )
        with self._conn:
            if quantity is None or quantity >= line.quantity:
                self._conn.execute(
                    "DELETE FROM basket_lines WHERE basket_id = ? AND product_id = ?",
                    (basket_id, int(product.id)),
                )
            elif quantity >= 1:
                self._conn.execute(
                    "UPDATE basket_lines SET quantity = quantity - ? "
                    "WHERE basket_id = ? AND product_id = ?",
                    (quantity, basket_id, int(product.id)),
                )
        return self._basket(basket_id, locale)

    async def create_payment_link(self, basket_id: str) -> PaymentLink:
        basket = self._basket(basket_id, "en")
        if not basket.lines or basket.currency is None:
            raise EmptyBasketError("the basket is empty; add a product first", basket_id=basket_id)
        state = basket_state(
            ((ln.product_id, ln.quantity, ln.unit_price) for ln in basket.lines), basket.currency
        )
        now = int(self._clock())
        row = self._conn.execute(
            "SELECT token, expires_at FROM payment_links WHERE basket_id = ? AND state = ?",
            (basket_id, state),
        ).fetchone()
        # Reuse while more than half the lifetime is left, so a re-sent link is not about to die.
        if row is not None and row["expires_at"] - now > self._ttl // 2:
            token, expires_at = row["token"], row["expires_at"]
        else:
            expires_at = now + self._ttl
            claims = PaymentClaims(basket_id, basket.total, basket.currency, state, expires_at)
            token = sign_payment_token(self._secret, claims)
            with self._conn:
                self._conn.execute(
                    "INSERT OR REPLACE INTO payment_links (basket_id, state, token, expires_at) "
                    "VALUES (?, ?, ?, ?)",
                    (basket_id, state, token, expires_at),
                )
        return PaymentLink(
            basket_id,
            payment_url(self._base_url, token),
            token,
            basket.total,
            basket.currency,
            expires_at,
        )

    # -- policies and orders --------------------------------------------------------------------
    async def answer_policy(self, topic: str, *, locale: str = "en") -> PolicyAnswer:
        loc = locale if locale in LOCALES else "en"
        row = self._conn.execute(
            "SELECT text FROM policies WHERE topic = ? AND locale IN (?, 'en') "
            "ORDER BY locale = 'en' LIMIT 1",
            (topic, loc),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"the shop has no answer on {topic!r}", topic=topic)
        return PolicyAnswer(topic, loc, row["text"])

    def _order(self, row: sqlite3.Row) -> Order:
        lines = tuple(BasketLine(**line) for line in json.loads(row["lines"]))
        return Order(
            row["id"],
            row["basket_id"],
            row["status"],
            row["total"],
            row["currency"],
            lines,
            row["created_at"],
        )

    async def mark_paid(self, basket_id: str) -> Order:
        existing = self._conn.execute(
            "SELECT * FROM orders WHERE basket_id = ?", (basket_id,)
        ).fetchone()
        if existing is not None:
            return self._order(existing)
        basket = self._basket(basket_id, "en")
        if not basket.lines or basket.currency is None:
            raise EmptyBasketError("the basket is empty; nothing to pay", basket_id=basket_id)
        order_id = "ORD-" + uuid.uuid4().hex[:10].upper()
        now = int(self._clock())
        with self._conn:
            for line in basket.lines:
                updated = self._conn.execute(
                    "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?",
                    (line.quantity, int(line.product_id), line.quantity),
                ).rowcount
                if not updated:
                    raise OutOfStockError(
                        f"{line.name} sold out before payment",
                        product_id=line.product_id,
                        name=line.name,
                        available=0,
                    )
            lines = json.dumps([dataclasses.asdict(ln) for ln in basket.lines], ensure_ascii=False)
            self._conn.execute(
                "INSERT INTO orders (id, basket_id, status, total, currency, lines, created_at) "
                "VALUES (?, ?, 'paid', ?, ?, ?, ?)",
                (order_id, basket_id, basket.total, basket.currency, lines, now),
            )
            self._conn.execute("DELETE FROM basket_lines WHERE basket_id = ?", (basket_id,))
        self._index = None
        return Order(order_id, basket_id, "paid", basket.total, basket.currency, basket.lines, now)

    async def get_order(self, order_id: str) -> Order:
        row = self._conn.execute(
            "SELECT * FROM orders WHERE id = ?", (order_id.strip().upper(),)
        ).fetchone()
        if row is None:
            raise UnknownOrderError(f"no order {order_id!r}", order_id=order_id)
        return self._order(row)

    # -- admin ----------------------------------------------------------------------------------
    def _insert(self, p: ProductInput) -> int:
        cols = _columns(p)
        try:
            cursor = self._conn.execute(
                f"INSERT INTO products ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                tuple(cols.values()),
            )
        except sqlite3.IntegrityError:
            raise DuplicateSkuError(f"a product with sku {p.sku!r} exists", sku=p.sku) from None
        return int(cursor.lastrowid or 0)

    def _update(self, product_id: int, p: ProductInput) -> None:
        cols = _columns(p)
        try:
            self._conn.execute(
                f"UPDATE products SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                (*cols.values(), product_id),
            )
        except sqlite3.IntegrityError:
            raise DuplicateSkuError(f"a product with sku {p.sku!r} exists", sku=p.sku) from None

    async def create_product(self, product: ProductInput) -> Product:
        clean = normalize_product(product)
        with self._conn:
            new_id = self._insert(clean)
        self._index = None
        return self._find(str(new_id))

    async def list_products(
        self,
        *,
        category: str | None = None,
        query: str | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> ProductPage:
        page, page_size = _page_bounds(page, page_size)
        hits = self._search_index().search(query or "", SearchFilters(category=category), "en")
        items = [h.product for h in hits]
        if not query:
            items.sort(key=lambda p: int(p.id))
        start = (page - 1) * page_size
        return ProductPage(tuple(items[start : start + page_size]), len(items), page, page_size)

    async def update_product(self, ref: str, patch: ProductPatch) -> Product:
        current = self._find(ref)
        changes = {k: v for k, v in dataclasses.asdict(patch).items() if v is not None}
        if "name" in changes:
            changes["name"] = current.name | changes["name"]
        if "description" in changes:
            changes["description"] = current.description | changes["description"]
        merged = ProductInput(
            sku=current.sku,
            name=current.name,
            price=current.price,
            currency=current.currency,
            stock=current.stock,
            category=current.category,
            brand=current.brand,
            description=current.description,
            colors=current.colors,
            sizes=current.sizes,
        )
        clean = normalize_product(dataclasses.replace(merged, **changes))
        with self._conn:
            self._update(int(current.id), clean)
        self._index = None
        return self._find(current.id)

    async def delete_product(self, ref: str) -> None:
        product = self._find(ref)
        with self._conn:
            self._conn.execute("DELETE FROM products WHERE id = ?", (int(product.id),))
        self._index = None

    async def upsert_products(self, products: Sequence[ProductInput]) -> BulkResult:
        clean = []
        for number, product in enumerate(products, start=1):
            try:
                clean.append(normalize_product(product))
            except InvalidProductError as exc:
                exc.details["item"] = number
                raise
        created = updated = 0
        with self._conn:
            for p in clean:
                row = self._conn.execute(
                    "SELECT id FROM products WHERE sku = ?", (p.sku,)
                ).fetchone()
                if row is None:
                    self._insert(p)
                    created += 1
                else:
                    self._update(row["id"], p)
                    updated += 1
        self._index = None
        return BulkResult(created, updated, tuple(p.sku for p in clean))
