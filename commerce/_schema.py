"""Schema migrations of the embedded shop, applied in order and recorded in `schema_version`.

Append a migration to change the schema; never edit one that has shipped. Each runs in its own
transaction together with the version bump, so a failed migration leaves the previous version.
"""

from __future__ import annotations

import sqlite3

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


def migrate(conn: sqlite3.Connection) -> tuple[int, int]:
    """Brings the database to the latest version; returns (version before, version after)."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    before = row[0] or 0
    if before > len(MIGRATIONS):
        raise RuntimeError(
            f"the shop database is at schema version {before}, newer than this code "
            f"({len(MIGRATIONS)}); upgrade shopmcp or point SHOPMCP_DB at another file"
        )
    for version, script in enumerate(MIGRATIONS[before:], start=before + 1):
        # executescript commits first; BEGIN makes the script and the bump one transaction.
        conn.executescript(
            f"BEGIN;\n{script}\nINSERT INTO schema_version (version) VALUES ({version});\nCOMMIT;"
        )
    return before, len(MIGRATIONS)
