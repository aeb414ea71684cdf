"""Fixtures of the notifications tests: local providers and in-memory clients of the server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from mcp_servers.notifications import RetryPolicy, create_server
from shopmcp.settings import Settings
from tests.fakes import FakeSmtp, FakeTwilio, FakeWhatsApp
from tests.fakes.instagram import FakeInstagram

# Three attempts as in production, without the waits between them.
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0)
SHOP_SMS_NUMBER = "+15017122661"
ANA_PHONE = "+34612345678"
ANA_EMAIL = "ana@example.com"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def smtp() -> AsyncIterator[FakeSmtp]:
    async with FakeSmtp().running() as server:
        yield server


@pytest.fixture
async def twilio() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio().running() as server:
        yield server


@pytest.fixture
async def whatsapp() -> AsyncIterator[FakeWhatsApp]:
    async with FakeWhatsApp().running() as server:
        yield server


@pytest.fixture
async def instagram() -> AsyncIterator[FakeInstagram]:
    async with FakeInstagram().running() as server:
        yield server


def offline_settings(data_dir: Path) -> Settings:
    """No provider credentials at all: everything goes to the outbox only."""
    return Settings(data_dir=data_dir)


def provider_settings(
    data_dir: Path,
    *,
    smtp: FakeSmtp | None = None,
    twilio: FakeTwilio | None = None,
    whatsapp: FakeWhatsApp | None = None,
    instagram: FakeInstagram | None = None,
) -> Settings:
    """Settings that aim the given channels at the fakes; the other channels stay offline."""
    settings = offline_settings(data_dir)
    if smtp is not None:
        settings = replace(
            settings, smtp_host=smtp.host, smtp_port=smtp.port, smtp_from="shop@shop.example"
        )
    if twilio is not None:
        settings = replace(
            settings,
            twilio_account_sid=twilio.account_sid,
            twilio_auth_token=twilio.auth_token,
            twilio_from_number=SHOP_SMS_NUMBER,
            twilio_base_url=twilio.url,
        )
    if whatsapp is not None:
        settings = replace(
            settings,
            whatsapp_token=whatsapp.token,
            whatsapp_phone_number_id=whatsapp.phone_number_id,
            whatsapp_api_url=whatsapp.api_url,
        )
    if instagram is not None:
        # Instagram shares the Graph API address and token with WhatsApp.
        settings = replace(
            settings, instagram_token=instagram.token, whatsapp_api_url=instagram.api_url
        )
    return settings


@asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Client]:
    """An in-memory client of a fresh server built from `settings`."""
    async with Client(create_server(settings, retry=FAST_RETRY)) as client:
        yield client


async def call(client: Client, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The structured result of a call that must succeed."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, tool: str, arguments: dict[str, Any]) -> str:
    """The text of a call that must fail with a tool error."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, result.structured_content
    return " ".join(getattr(block, "text", "") for block in result.content)


def payment_link(locale: str = "en") -> dict[str, Any]:
    """A payment-link template message for a two-line basket of 37.50 EUR."""
    return {
        "name": "payment_link",
        "locale": locale,
        "params": {
            "url": "https://shop.example/pay/abc123",
            "items": [
                {"name": "T-shirt", "quantity": 2, "unit_price": 1250},
                {"name": "Mug", "quantity": 1, "unit_price": 1250},
            ],
            "total": 3750,
            "currency": "EUR",
            "customer_name": "Ana",
        },
    }
