from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import anyio
import pytest

from tests.fakes import FakeSmtp

from .conftest import ANA_EMAIL, call, call_error, connect, payment_link, provider_settings

pytestmark = pytest.mark.anyio


async def test_text_email_is_sent_over_smtp_and_recorded_as_sent(
    smtp: FakeSmtp, tmp_path: Path
) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, smtp=smtp)) as client:
            result = await call(
                client,
                "send_email",
                {"to": ANA_EMAIL, "subject": "Hello", "text": "Your parcel is on its way."},
            )

    [message] = smtp.messages
    assert message["To"] == ANA_EMAIL
    assert message["From"] == "shop@shop.example"
    assert message["Subject"] == "Hello"
    assert message.get_content().strip() == "Your parcel is on its way."
    assert result["status"] == "sent"
    assert result["attempts"] == 1
    assert result["provider_message_id"] == message["Message-ID"]
    assert result["duplicate"] is False


async def test_template_email_carries_the_localized_subject_and_body(
    smtp: FakeSmtp, tmp_path: Path
) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, smtp=smtp)) as client:
            result = await call(
                client, "send_email", {"to": ANA_EMAIL, "template": payment_link("de")}
            )

    [message] = smtp.messages
    assert message["Subject"] == result["subject"]
    assert message["Subject"].startswith("Ihr Warenkorb: 37,50")
    assert "https://shop.example/pay/abc123" in message.get_content()
    assert (result["template"], result["locale"]) == ("payment_link", "de")


async def test_temporary_smtp_failure_is_retried_until_accepted(
    smtp: FakeSmtp, tmp_path: Path
) -> None:
    smtp.fail_next(2)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, smtp=smtp)) as client:
            result = await call(
                client, "send_email", {"to": ANA_EMAIL, "subject": "Hi", "text": "Hello"}
            )

    assert (result["status"], result["attempts"]) == ("sent", 3)
    assert len(smtp.messages) == 1


async def test_smtp_failing_every_attempt_leaves_a_failed_message_with_the_reason(
    smtp: FakeSmtp, tmp_path: Path
) -> None:
    smtp.fail_next(3)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, smtp=smtp)) as client:
            result = await call(
                client, "send_email", {"to": ANA_EMAIL, "subject": "Hi", "text": "Hello"}
            )
            listing = await call(client, "list_outbox", {"status": "failed"})

    assert (result["status"], result["attempts"]) == ("failed", 3)
    assert "gave up after 3 attempts" in result["error"]
    assert "451" in result["error"]
    assert [e["outbox_id"] for e in listing["entries"]] == [result["outbox_id"]]
    assert smtp.messages == []


async def test_refused_recipient_fails_at_once_without_retrying(
    smtp: FakeSmtp, tmp_path: Path
) -> None:
    smtp.refuse("nobody@example.com")

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, smtp=smtp)) as client:
            result = await call(
                client, "send_email", {"to": "nobody@example.com", "subject": "Hi", "text": "Hi"}
            )

    assert (result["status"], result["attempts"]) == ("failed", 1)
    assert "550" in result["error"] and "No such user" in result["error"]


async def test_unreachable_smtp_server_is_retried_then_failed(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = replace(provider_settings(tmp_path), smtp_host="127.0.0.1", smtp_port=closed_port)

    with anyio.fail_after(5):
        async with connect(settings) as client:
            result = await call(
                client, "send_email", {"to": ANA_EMAIL, "subject": "Hi", "text": "Hello"}
            )

    assert (result["status"], result["attempts"]) == ("failed", 3)
    assert "unreachable" in result["error"]


async def test_invalid_address_is_a_tool_error_and_nothing_is_stored(
    smtp: FakeSmtp, tmp_path: Path
) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, smtp=smtp)) as client:
            error = await call_error(
                client, "send_email", {"to": "ana.example.com", "subject": "Hi", "text": "Hi"}
            )
            listing = await call(client, "list_outbox", {})

    assert "'ana.example.com' is not a valid e-mail address" in error
    assert listing["entries"] == []


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        pytest.param({"text": "Hi"}, "needs a subject", id="text-without-subject"),
        pytest.param({"subject": "Hi"}, "either text or template", id="neither"),
        pytest.param(
            {"subject": "Hi", "text": "Hi", "template": payment_link()},
            "either text or template",
            id="both",
        ),
    ],
)
async def test_message_that_is_not_exactly_one_thing_is_a_tool_error(
    smtp: FakeSmtp, tmp_path: Path, arguments: dict[str, object], complaint: str
) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, smtp=smtp)) as client:
            error = await call_error(client, "send_email", {"to": ANA_EMAIL, **arguments})

    assert complaint in error
    assert smtp.messages == []
