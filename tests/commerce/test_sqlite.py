"""The embedded shop's own behaviour: migrations, seeding once, link expiry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import anyio
import pytest

from commerce import ExpiredLinkError, verify_payment_token
from commerce._schema import MIGRATIONS
from tests.commerce.conftest import SECRET, Clock, make_sqlite_shop

pytestmark = pytest.mark.anyio


async def test_a_new_database_is_migrated_and_seeded_once(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "shop.sqlite3"
    with anyio.fail_after(5):
        async with make_sqlite_shop(path, clock) as shop:
            await shop.delete_product("JBL-FLIP6")
            count = (await shop.list_products()).total
        async with make_sqlite_shop(path, clock) as reopened:
            assert (await reopened.list_products()).total == count
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "shop.sqlite3"
    make_sqlite_shop(path, clock).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(RuntimeError, match="schema version 99"):
        make_sqlite_shop(path, clock)


async def test_a_payment_link_expires_and_a_fresh_one_is_issued(
    tmp_path: Path, clock: Clock
) -> None:
    with anyio.fail_after(5):
        async with make_sqlite_shop(tmp_path / "shop.sqlite3", clock) as shop:
            basket = await shop.create_basket()
            await shop.add_to_basket(basket.id, "JBL-FLIP6")
            old = await shop.create_payment_link(basket.id)
            clock.now += 86_400
            with pytest.raises(ExpiredLinkError):
                verify_payment_token(SECRET, old.token, now=clock.now)
            fresh = await shop.create_payment_link(basket.id)
    assert fresh.token != old.token
    assert verify_payment_token(SECRET, fresh.token, now=clock.now).basket_id == basket.id


async def test_a_write_by_another_process_reaches_this_processes_search(tmp_path: Path) -> None:
    from commerce import SQLiteShop

    path = tmp_path / "shop.sqlite3"
    storefront = SQLiteShop(path, link_secret=SECRET, public_base_url="http://x")
    admin = SQLiteShop(path, link_secret=SECRET, public_base_url="http://x")
    try:
        found = await storefront.search("iphone 15 pro", None, locale="en")
        doomed = found.hits[0].product.id
        await admin.delete_product(doomed)
        again = await storefront.search("iphone 15 pro", None, locale="en")
        assert doomed not in [h.product.id for h in again.hits]
    finally:
        storefront.close()
        admin.close()
