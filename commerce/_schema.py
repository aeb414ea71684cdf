"""Schema migrations of the embedded shop, applied in order; the version is `PRAGMA user_version`.

Append a migration to change the schema; never edit one that has shipped. Several processes open
the same file on a fresh start (the storefront, the admin server, the web server), so migrating
takes SQLite's write lock first (`BEGIN IMMEDIATE`) and reads the version again under it: one
opener migrates and seeds, the others wait for it and find the work done. The pending migrations,
the seed and the version bump are one transaction, so a failure leaves the previous version.
Files from before user_version recorded their version in a `schema_version` table; it is read once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

__all__ = ["MIGRATIONS", "migrate"]

MIGRATIONS: tuple[str, ...] = (
    # 1: catalog, baskets, payment links, orders, policies
    """
    CREATE TABLE products (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sku TEXT NOT NULL UNIQUE,
        brand TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0),
        currency TEXT NOT NULL,
        stock INTEGER NOT NULL CHECK (stock >= 0),
        colors TEXT NOT NULL DEFAULT '[]',
        sizes TEXT NOT NULL DEFAULT '[]',
        names TEXT NOT NULL,
        descriptions TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX products_category ON products (category);
    CREATE TABLE baskets (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE basket_lines (
        basket_id TEXT NOT NULL REFERENCES baskets (id) ON DELETE CASCADE,
        product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        added_at INTEGER NOT NULL,
        PRIMARY KEY (basket_id, product_id)
    );
    CREATE TABLE payment_links (
        basket_id TEXT NOT NULL REFERENCES baskets (id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        token TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (basket_id, state)
    );
    CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        basket_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        total INTEGER NOT NULL,
        currency TEXT NOT NULL,
        lines TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE policies (
        topic TEXT NOT NULL,
        locale TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (topic, locale)
    );
    """,
)


def _statements(script: str) -> Iterator[str]:
    """The statements of a script, split where SQLite itself sees a complete statement."""
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \n;"):
                yield buffer
            buffer = ""


def _version(conn: sqlite3.Connection) -> int:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if (
        version == 0
        and conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
    ):
        version = int(conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"the shop database is at schema version {version}, newer than this code "
            f"({len(MIGRATIONS)}); upgrade shopmcp or point SHOPMCP_DB at another file"
        )
    return version


def migrate(
    conn: sqlite3.Connection, *, on_create: Callable[[], None] | None = None
) -> tuple[int, int]:
    """Brings the database to the latest version; returns (version before, version after).

    `on_create` runs inside the same transaction when the file was empty (the demo seed), so no
    other process ever sees the tables without it.
    """
    latest = len(MIGRATIONS)
    if conn.execute("PRAGMA user_version").fetchone()[0] == latest:
        return latest, latest  # the common case, a current file, takes no write lock
    isolation = conn.isolation_level
    conn.isolation_level = None  # BEGIN and COMMIT are ours; no implicit ones in between
    try:
        conn.execute("BEGIN IMMEDIATE")  # waits (busy timeout) for another opener's migration
        try:
            before = _version(conn)
            for script in MIGRATIONS[before:]:
                for statement in _statements(script):
                    conn.execute(statement)
            if before == 0 and on_create is not None:
                on_create()
            if conn.execute("PRAGMA user_version").fetchone()[0] != latest:
                conn.execute(f"PRAGMA user_version = {latest}")  # unless another opener did
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.isolation_level = isolation
    return before, latest
