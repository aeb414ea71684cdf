"""`shopmcp business-api`: the embedded shop served over the business API contract."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["business_api_main"]


def business_api_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shopmcp business-api",
        description="Serve the embedded SQLite shop over the HTTP contract of docs/business-api.md.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8400, help="port to bind (default 8400)")
    parser.add_argument("--db", type=Path, help="SQLite file (default: SHOPMCP_DB or data dir)")
    args = parser.parse_args(argv)

    import uvicorn  # imported here so that `shopmcp --help` stays fast

    from commerce.api import create_business_api
    from commerce.factory import open_sqlite_shop
    from shopmcp.settings import Settings

    settings = Settings.from_env()
    shop = open_sqlite_shop(settings, args.db)
    try:
        app = create_business_api(shop, token=settings.business_api_token)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    finally:
        shop.close()
    return 0
