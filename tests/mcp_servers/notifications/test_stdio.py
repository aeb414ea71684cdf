"""The server as the shop runs it: `python -m mcp_servers.notifications` over stdio."""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from shopmcp.settings import PROJECT_ROOT
from tests.fakes import FakeSmtp, FakeTwilio, FakeWhatsApp

from .conftest import ANA_EMAIL, ANA_PHONE, payment_link, provider_settings

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

# Starting a Python server takes under a second; the rest is a handful of local round trips.
E2E_TIMEOUT_SECONDS = 20


async def test_stdio_server_lists_and_runs_every_tool(
    smtp: FakeSmtp, twilio: FakeTwilio, whatsapp: FakeWhatsApp, tmp_path: Path
) -> None:
    settings = provider_settings(tmp_path, smtp=smtp, twilio=twilio, whatsapp=whatsapp)
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_servers.notifications"],
        env=settings.subprocess_env(),
        cwd=PROJECT_ROOT,
    )

    with anyio.fail_after(E2E_TIMEOUT_SECONDS):
        async with Client(parameters) as client:
            tools = sorted(tool.name for tool in (await client.list_tools()).tools)
            email = await client.call_tool(
                "send_email", {"to": ANA_EMAIL, "template": payment_link("en")}
            )
            sms = await client.call_tool("send_sms", {"to": ANA_PHONE, "text": "Hola"})
            whatsapp_message = await client.call_tool(
                "send_whatsapp_message", {"to": ANA_PHONE, "text": "Hallo"}
            )
            bad_phone = await client.call_tool("send_sms", {"to": "12", "text": "Hola"})
            listing = await client.call_tool("list_outbox", {})

    assert tools == [
        "list_outbox",
        "send_email",
        "send_instagram_message",
        "send_sms",
        "send_whatsapp_message",
    ]
    for result in (email, sms, whatsapp_message):
        assert not result.is_error and result.structured_content is not None
        assert result.structured_content["status"] == "sent"
    assert smtp.messages[0]["Subject"] == "Your basket: €37.50"
    assert [m.body for m in twilio.messages] == ["Hola"]
    assert [m.body for m in whatsapp.messages] == ["Hallo"]
    assert bad_phone.is_error
    assert listing.structured_content is not None
    assert [e["channel"] for e in listing.structured_content["entries"]] == [
        "whatsapp",
        "sms",
        "email",
    ]
    assert (tmp_path / "outbox.sqlite3").exists()
