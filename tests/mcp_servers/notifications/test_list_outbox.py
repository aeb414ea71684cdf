"""The outbox as a developer sees it: without credentials everything is `stored`, nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import anyio
import pytest

from mcp_servers.notifications import OUTBOX_FILENAME
from tests.fakes import FakeTwilio

from .conftest import (
    ANA_EMAIL,
    ANA_PHONE,
    call,
    connect,
    offline_settings,
    payment_link,
    provider_settings,
)

pytestmark = pytest.mark.anyio


async def test_without_credentials_every_channel_stores_the_message(tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(offline_settings(tmp_path)) as client:
            email = await call(
                client, "send_email", {"to": ANA_EMAIL, "template": payment_link("es")}
            )
            sms = await call(client, "send_sms", {"to": ANA_PHONE, "text": "Hola"})
            whatsapp = await call(
                client, "send_whatsapp_message", {"to": ANA_PHONE, "template": payment_link()}
            )
            listing = await call(client, "list_outbox", {})

    for result in (email, sms, whatsapp):
        assert (result["status"], result["attempts"], result["error"]) == ("stored", 0, None)
    assert email["subject"].startswith("Tu cesta: 37,50")
    assert "Paga de forma segura aquí: https://shop.example/pay/abc123" in email["body"]
    assert [e["channel"] for e in listing["entries"]] == ["whatsapp", "sms", "email"]


async def test_stored_messages_are_in_the_sqlite_file_under_the_data_dir(tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(offline_settings(tmp_path)) as client:
            await call(client, "send_sms", {"to": ANA_PHONE, "text": "Hola"})

    with sqlite3.connect(tmp_path / OUTBOX_FILENAME) as db:
        rows = db.execute("SELECT channel, recipient, body, status FROM outbox").fetchall()
    db.close()
    assert rows == [("sms", ANA_PHONE, "Hola", "stored")]


async def test_idempotency_key_holds_across_server_restarts(tmp_path: Path) -> None:
    arguments = {"to": ANA_PHONE, "text": "Hola", "idempotency_key": "basket-9"}

    with anyio.fail_after(5):
        async with connect(offline_settings(tmp_path)) as client:
            first = await call(client, "send_sms", arguments)
        async with connect(offline_settings(tmp_path)) as client:
            again = await call(client, "send_sms", arguments)

    assert again == {**first, "duplicate": True}


async def test_same_key_on_another_channel_is_another_message(tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(offline_settings(tmp_path)) as client:
            sms = await call(
                client, "send_sms", {"to": ANA_PHONE, "text": "Hola", "idempotency_key": "k"}
            )
            whatsapp = await call(
                client,
                "send_whatsapp_message",
                {"to": ANA_PHONE, "text": "Hola", "idempotency_key": "k"},
            )

    assert sms["outbox_id"] != whatsapp["outbox_id"]
    assert not whatsapp["duplicate"]


async def test_outbox_filters_by_channel_status_and_recipient(
    twilio: FakeTwilio, tmp_path: Path
) -> None:
    twilio.fail_next(3)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            failed = await call(client, "send_sms", {"to": ANA_PHONE, "text": "one"})
            sent = await call(client, "send_sms", {"to": "+4915112345678", "text": "two"})
            stored = await call(
                client, "send_email", {"to": ANA_EMAIL, "subject": "s", "text": "3"}
            )

            async def ids(**filters: object) -> list[int]:
                listing = await call(client, "list_outbox", filters)
                return [entry["outbox_id"] for entry in listing["entries"]]

            assert await ids() == [stored["outbox_id"], sent["outbox_id"], failed["outbox_id"]]
            assert await ids(channel="sms") == [sent["outbox_id"], failed["outbox_id"]]
            assert await ids(status="failed") == [failed["outbox_id"]]
            assert await ids(channel="sms", status="sent") == [sent["outbox_id"]]
            assert await ids(to=ANA_EMAIL) == [stored["outbox_id"]]
            assert await ids(limit=1) == [stored["outbox_id"]]


async def test_tools_are_listed_with_list_outbox_read_only(tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(offline_settings(tmp_path)) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}

    assert sorted(tools) == [
        "list_outbox",
        "send_email",
        "send_instagram_message",
        "send_sms",
        "send_whatsapp_message",
    ]
    list_outbox = tools["list_outbox"].annotations
    assert list_outbox is not None and list_outbox.read_only_hint is True
    for name in ("send_email", "send_sms", "send_whatsapp_message"):
        annotations = tools[name].annotations
        assert annotations is not None and not annotations.read_only_hint
        assert annotations.destructive_hint is False
        template = tools[name].input_schema["properties"]["template"]
        assert "payment_link" in str(template) and "order_confirmation" in str(template)
