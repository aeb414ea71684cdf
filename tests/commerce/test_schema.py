"""Migrations under concurrent first start (issue 11, item 8): real processes, real SQLite files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from commerce._catalog import demo_catalog
from commerce._schema import MIGRATIONS
from shopmcp.settings import PROJECT_ROOT
from tests.commerce.conftest import Clock, make_sqlite_shop

PROCESSES = 4
THREADS = 20
"""4 processes × 20 threads = 80 openers; before the fix 10 of 80 failed on a fresh file."""
LIMIT = 60
"""Seconds for the whole start: four Python processes importing the shop on a loaded 2-core box."""

OPENER = """
import json, sys, threading
from commerce.sqlite import SQLiteShop

path, count = sys.argv[1], int(sys.argv[2])
barrier = threading.Barrier(count)
errors = []

def open_once():
    barrier.wait()
    try:
        SQLiteShop(path, link_secret=b"s", public_base_url="http://x").close()
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")

threads = [threading.Thread(target=open_once) for _ in range(count)]
print("ready", flush=True)
sys.stdin.readline()  # every process starts its openers at the same moment
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(errors), flush=True)
"""


@pytest.mark.slow
def test_eighty_simultaneous_first_opens_of_a_fresh_file_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), str(THREADS)],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for opener in openers:
            assert opener.stdout is not None and opener.stdout.readline() == "ready\n"
        for opener in openers:
            assert opener.stdin is not None
            opener.stdin.write("go\n")
            opener.stdin.flush()
        errors = [json.loads(opener.communicate(timeout=LIMIT)[0]) for opener in openers]
    finally:
        for opener in openers:
            opener.kill()
    assert errors == [[]] * PROCESSES
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        products = conn.execute("SELECT count(*) FROM products").fetchone()[0]
    conn.close()
    assert products == len(demo_catalog("EUR"))  # seeded once, not once per opener


def test_a_file_from_before_user_version_is_not_migrated_again(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "shop.sqlite3"
    make_sqlite_shop(path, clock).close()
    conn = sqlite3.connect(path)
    with conn:  # how files written before user_version record their version
        conn.execute("PRAGMA user_version = 0")
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (?)", (len(MIGRATIONS),))
        conn.execute("DELETE FROM products WHERE sku = 'JBL-FLIP6'")
        before = conn.execute("SELECT count(*) FROM products").fetchone()[0]
    conn.close()
    make_sqlite_shop(path, clock).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM products").fetchone()[0] == before
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


def test_a_failed_first_migration_leaves_an_empty_file_that_the_next_open_migrates(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "shop.sqlite3"
    conn = sqlite3.connect(path)
    with conn:  # a table in the way makes migration 1 fail part-way through
        conn.execute("CREATE TABLE orders (id TEXT)")
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="orders already exists"):
        make_sqlite_shop(path, clock)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"orders"}  # products, baskets... were rolled back with it
        conn.execute("DROP TABLE orders")
    conn.close()
    make_sqlite_shop(path, clock).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()
