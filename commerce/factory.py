"""Builds the configured backend from `Settings`: the embedded shop, or `HttpShop` when
BUSINESS_API_URL is set. The MCP servers' lifespans and the business API command use it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from commerce.backend import ShopBackend
from commerce.http import HttpShop
from commerce.links import load_or_create_link_secret
from commerce.sqlite import SQLiteShop
from shopmcp.settings import Settings

__all__ = ["BUSINESS_API_TIMEOUT", "open_backend", "open_sqlite_shop"]

BUSINESS_API_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
"""A shop's API answers a catalog query in well under a second; 10 s covers a slow bulk upsert, and
3 s to connect fails fast enough for the shopper to get an answer."""


def open_sqlite_shop(settings: Settings, path: Path | None = None) -> SQLiteShop:
    return SQLiteShop(
        path or settings.database,
        link_secret=load_or_create_link_secret(settings.data_dir, settings.link_secret),
        public_base_url=settings.public_base_url,
        link_ttl_seconds=settings.link_ttl_seconds,
        currency=settings.default_currency,
    )


@asynccontextmanager
async def open_backend(settings: Settings) -> AsyncIterator[ShopBackend]:
    """The backend the settings choose, closed on exit."""
    backend: ShopBackend
    if settings.business_api_url:
        headers = (
            {"Authorization": f"Bearer {settings.business_api_token}"}
            if settings.business_api_token
            else {}
        )
        client = httpx.AsyncClient(
            base_url=settings.business_api_url, headers=headers, timeout=BUSINESS_API_TIMEOUT
        )
        backend = HttpShop(client, owns_client=True)
    else:
        backend = open_sqlite_shop(settings)
    try:
        yield backend
    finally:
        await backend.aclose()
