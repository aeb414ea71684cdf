from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from tests.fakes.instagram import FakeInstagram

from .conftest import call, call_error, connect, offline_settings, provider_settings

pytestmark = pytest.mark.anyio

ANA_IGSID = "1254459154682919"


async def test_message_is_posted_to_me_messages_with_the_bearer_token(
    instagram: FakeInstagram, tmp_path: Path
) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, instagram=instagram)) as client:
            result = await call(
                client, "send_instagram_message", {"to": ANA_IGSID, "text": "¡Hola, Ana!"}
            )

    [request] = instagram.requests
    assert request.path == "/v21.0/me/messages"
    assert request.headers["authorization"] == f"Bearer {instagram.token}"
    [message] = instagram.messages
    assert message.payload == {"recipient": {"id": ANA_IGSID}, "message": {"text": "¡Hola, Ana!"}}
    assert (result["channel"], result["to"], result["status"]) == ("instagram", ANA_IGSID, "sent")
    assert result["provider_message_id"] == message.id


async def test_without_a_token_the_message_is_only_stored(tmp_path: Path) -> None:
    with anyio.fail_after(5):
        async with connect(offline_settings(tmp_path)) as client:
            result = await call(client, "send_instagram_message", {"to": ANA_IGSID, "text": "Hi"})

    assert (result["status"], result["attempts"]) == ("stored", 0)


async def test_message_outside_the_24_hour_window_fails_at_once_with_the_reason(
    instagram: FakeInstagram, tmp_path: Path
) -> None:
    instagram.closed_windows.add(ANA_IGSID)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, instagram=instagram)) as client:
            result = await call(client, "send_instagram_message", {"to": ANA_IGSID, "text": "Hi"})

    assert (result["status"], result["attempts"]) == ("failed", 1)
    assert result["error"] == (
        "Instagram messaging API answered HTTP 400: "
        "(#10) This message is sent outside of allowed window."
    )


async def test_server_error_is_retried_until_accepted(
    instagram: FakeInstagram, tmp_path: Path
) -> None:
    instagram.fail_next(2)

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, instagram=instagram)) as client:
            result = await call(client, "send_instagram_message", {"to": ANA_IGSID, "text": "Hi"})

    assert (result["status"], result["attempts"]) == ("sent", 3)
    assert len(instagram.messages) == 1


async def test_same_key_sends_one_instagram_message(
    instagram: FakeInstagram, tmp_path: Path
) -> None:
    arguments = {"to": ANA_IGSID, "text": "Hi", "idempotency_key": "reply:instagram:mid.1"}

    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, instagram=instagram)) as client:
            first = await call(client, "send_instagram_message", arguments)
            again = await call(client, "send_instagram_message", arguments)

    assert len(instagram.messages) == 1
    assert again == {**first, "duplicate": True}


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        pytest.param({"to": "@ana", "text": "Hi"}, "should match pattern", id="not-an-igsid"),
        pytest.param({"to": ANA_IGSID, "text": "x" * 1001}, "at most 1000", id="too-long"),
    ],
)
async def test_bad_arguments_are_refused_before_anything_is_stored(
    instagram: FakeInstagram, tmp_path: Path, arguments: dict[str, str], complaint: str
) -> None:
    with anyio.fail_after(5):
        async with connect(provider_settings(tmp_path, instagram=instagram)) as client:
            error = await call_error(client, "send_instagram_message", arguments)
            listing = await call(client, "list_outbox", {})

    assert complaint in error
    assert listing["entries"] == []
    assert instagram.requests == []
