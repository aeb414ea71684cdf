from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from tests.fakes import FakeWhatsApp

from .conftest import ANA_PHONE, call, call_error, connect, payment_link, provider_settings

pytestmark = pytest.mark.anyio


async def test_message_is_posted_to_the_cloud_api_with_the_bearer_token(
    whatsapp: FakeWhatsApp, tmp_path: Path
) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, whatsapp=whatsapp)) as client:
            result = await call(
                client, "send_whatsapp_message", {"to": ANA_PHONE, "template": payment_link("fr")}
            )

    [request] = whatsapp.requests
    assert request.path == f"/v21.0/{whatsapp.phone_number_id}/messages"
    assert request.headers["authorization"] == f"Bearer {whatsapp.token}"
    [message] = whatsapp.messages
    assert message.payload == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "34612345678",
        "type": "text",
        "text": {"preview_url": True, "body": result["body"]},
    }
    assert "Payez en toute sécurité ici" in message.body
    assert result["status"] == "sent"
    assert result["provider_message_id"] == message.id


async def test_cloud_api_error_fails_at_once_with_its_code_and_details(
    whatsapp: FakeWhatsApp, tmp_path: Path
) -> None:
    whatsapp.allowed_recipients = {"34699999999"}

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, whatsapp=whatsapp)) as client:
            result = await call(client, "send_whatsapp_message", {"to": ANA_PHONE, "text": "Hola"})

    assert (result["status"], result["attempts"]) == ("failed", 1)
    assert result["error"].startswith(
        "WhatsApp Cloud API answered HTTP 400: (#131030) Recipient phone number not in allowed list"
    )
    assert "add recipient phone number to recipient list" in result["error"]


async def test_cloud_api_server_error_is_retried_then_failed(
    whatsapp: FakeWhatsApp, tmp_path: Path
) -> None:
    whatsapp.fail_next(3)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, whatsapp=whatsapp)) as client:
            result = await call(client, "send_whatsapp_message", {"to": ANA_PHONE, "text": "Hola"})

    assert len(whatsapp.requests) == 3
    assert (result["status"], result["attempts"]) == ("failed", 3)
    assert "HTTP 500: (#131000) Something went wrong" in result["error"]


async def test_rate_limited_message_is_sent_on_the_next_attempt(
    whatsapp: FakeWhatsApp, tmp_path: Path
) -> None:
    whatsapp.fail_next(status=429, code=130429, message="Rate limit hit")

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, whatsapp=whatsapp)) as client:
            result = await call(client, "send_whatsapp_message", {"to": ANA_PHONE, "text": "Hola"})

    assert (result["status"], result["attempts"]) == ("sent", 2)


async def test_invalid_token_fails_with_the_graph_api_reason(
    whatsapp: FakeWhatsApp, tmp_path: Path
) -> None:
    wrong = FakeWhatsApp(token="expired", url=whatsapp.url)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, whatsapp=wrong)) as client:
            result = await call(client, "send_whatsapp_message", {"to": ANA_PHONE, "text": "Hola"})

    assert (result["status"], result["attempts"]) == ("failed", 1)
    assert "HTTP 401: (#190) Invalid OAuth access token" in result["error"]


async def test_same_key_sends_one_whatsapp_message(whatsapp: FakeWhatsApp, tmp_path: Path) -> None:
    arguments = {"to": ANA_PHONE, "text": "Hola", "idempotency_key": "order-7:confirmation"}

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, whatsapp=whatsapp)) as client:
            first = await call(client, "send_whatsapp_message", arguments)
            again = await call(client, "send_whatsapp_message", arguments)

    assert len(whatsapp.messages) == 1
    assert again == {**first, "duplicate": True}


async def test_invalid_phone_number_is_a_tool_error(whatsapp: FakeWhatsApp, tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, whatsapp=whatsapp)) as client:
            error = await call_error(
                client, "send_whatsapp_message", {"to": "+34 12", "text": "Hola"}
            )

    assert "'+34 12' is not a valid phone number" in error
    assert whatsapp.requests == []
