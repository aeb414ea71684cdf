from __future__ import annotations

import base64
from pathlib import Path

import anyio
import pytest

from tests.fakes import FakeTwilio

from .conftest import (
    ANA_PHONE,
    SHOP_SMS_NUMBER,
    call,
    call_error,
    connect,
    payment_link,
    provider_settings,
)

pytestmark = pytest.mark.anyio


async def test_sms_goes_through_twilios_messages_api(twilio: FakeTwilio, tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            result = await call(client, "send_sms", {"to": "+34 612 34 56 78", "text": "Hola"})

    [message] = twilio.messages
    assert (message.to, message.from_, message.body) == (ANA_PHONE, SHOP_SMS_NUMBER, "Hola")
    [request] = twilio.requests
    assert request.path == f"/2010-04-01/Accounts/{twilio.account_sid}/Messages.json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    credentials = base64.b64encode(f"{twilio.account_sid}:{twilio.auth_token}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {credentials}"
    assert result["status"] == "sent"
    assert result["to"] == ANA_PHONE
    assert result["provider_message_id"] == message.sid


async def test_template_sms_sends_the_rendered_text(twilio: FakeTwilio, tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            result = await call(client, "send_sms", {"to": ANA_PHONE, "template": payment_link()})

    [message] = twilio.messages
    assert message.body == result["body"]
    assert "Pay securely here: https://shop.example/pay/abc123" in message.body
    assert result["subject"] is None


async def test_twilio_server_error_is_retried_until_accepted(
    twilio: FakeTwilio, tmp_path: Path
) -> None:
    twilio.fail_next(1, status=500, code=20500, message="An internal server error has occurred")

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            result = await call(client, "send_sms", {"to": ANA_PHONE, "text": "Hola"})

    assert (result["status"], result["attempts"]) == ("sent", 2)
    assert len(twilio.messages) == 1


async def test_twilio_unavailable_on_every_attempt_leaves_a_failed_message(
    twilio: FakeTwilio, tmp_path: Path
) -> None:
    twilio.fail_next(3)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            result = await call(client, "send_sms", {"to": ANA_PHONE, "text": "Hola"})
            [entry] = (await call(client, "list_outbox", {"channel": "sms"}))["entries"]

    assert len(twilio.requests) == 3
    assert (result["status"], result["attempts"]) == ("failed", 3)
    assert "HTTP 503 (error 20503)" in result["error"]
    assert entry == {k: v for k, v in result.items() if k != "duplicate"}


async def test_twilio_refusing_the_number_fails_without_retrying(
    twilio: FakeTwilio, tmp_path: Path
) -> None:
    twilio.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed recipient")

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            result = await call(client, "send_sms", {"to": ANA_PHONE, "text": "Hola"})

    assert (result["status"], result["attempts"]) == ("failed", 1)
    assert "error 21610" in result["error"] and "unsubscribed recipient" in result["error"]


async def test_wrong_twilio_credentials_fail_with_twilios_reason(
    twilio: FakeTwilio, tmp_path: Path
) -> None:
    # Same server, but the settings carry another token than the one it expects.
    wrong = FakeTwilio(auth_token="not-the-token", url=twilio.url)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=wrong)) as client:
            result = await call(client, "send_sms", {"to": ANA_PHONE, "text": "Hola"})

    assert (result["status"], result["attempts"]) == ("failed", 1)
    assert "HTTP 401 (error 20003)" in result["error"]


async def test_same_idempotency_key_sends_once_and_returns_the_same_message(
    twilio: FakeTwilio, tmp_path: Path
) -> None:
    arguments = {"to": ANA_PHONE, "text": "Hola", "idempotency_key": "basket-42:link"}

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            first = await call(client, "send_sms", arguments)
            again = await call(client, "send_sms", arguments)

    assert len(twilio.messages) == 1
    assert again["outbox_id"] == first["outbox_id"]
    assert again["provider_message_id"] == first["provider_message_id"]
    assert (first["duplicate"], again["duplicate"]) == (False, True)


async def test_idempotency_key_reused_for_another_message_is_a_tool_error(
    twilio: FakeTwilio, tmp_path: Path
) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            await call(
                client, "send_sms", {"to": ANA_PHONE, "text": "Hola", "idempotency_key": "k"}
            )
            error = await call_error(
                client, "send_sms", {"to": ANA_PHONE, "text": "Adiós", "idempotency_key": "k"}
            )

    assert "idempotency key 'k' already names sms message #1" in error
    assert len(twilio.messages) == 1


async def test_messages_without_a_key_are_each_sent(twilio: FakeTwilio, tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            first = await call(client, "send_sms", {"to": ANA_PHONE, "text": "Hola"})
            second = await call(client, "send_sms", {"to": ANA_PHONE, "text": "Hola"})

    assert len(twilio.messages) == 2
    assert first["idempotency_key"] != second["idempotency_key"]


async def test_invalid_phone_number_is_a_tool_error(twilio: FakeTwilio, tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, twilio=twilio)) as client:
            error = await call_error(client, "send_sms", {"to": "612345678", "text": "Hola"})

    assert "'612345678' is not a phone number" in error
    assert "+34600111222" in error
    assert twilio.requests == []
