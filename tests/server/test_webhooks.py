"""The channels' webhooks, called the way Meta and Twilio call them: signed, resent, malformed.

Signatures are computed here from the documented algorithms (not with the code under test), and
a forged request must be refused before the orchestrator hears of it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import anyio
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.dedupe import Dedupe
from server.types import InboundMessage, Reply
from server.webhooks import ReplyChannel, webhook_router
from shopmcp.settings import Settings

pytestmark = pytest.mark.anyio

APP_SECRET = "meta-app-secret"
VERIFY_TOKEN = "verify-me"
TWILIO_TOKEN = "twilio-auth-token"
PUBLIC_URL = "https://shop.example"
TWILIO_URL = f"{PUBLIC_URL}/webhooks/twilio"
ANA_WA_ID = "34612345678"
ANA_IGSID = "1254459154682919"
SHOP_IG_ID = "17841405822304914"

SETTINGS = Settings(
    meta_app_secret=APP_SECRET,
    meta_verify_token=VERIFY_TOKEN,
    twilio_auth_token=TWILIO_TOKEN,
    public_base_url=PUBLIC_URL,
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Shop:
    """The webhooks' collaborators: an orchestrator that records and a reply sender that records."""

    received: list[InboundMessage] = field(default_factory=list)
    replies: list[tuple[ReplyChannel, str, str, str]] = field(default_factory=list)
    failing_texts: set[str] = field(default_factory=set)

    async def handle(self, message: InboundMessage) -> Reply:
        self.received.append(message)
        if message.text in self.failing_texts:
            raise RuntimeError(f"the orchestrator broke on {message.text!r}")
        return Reply(f"You said: {message.text}", "echo", "en", "conv-1")

    async def send_reply(
        self, channel: ReplyChannel, to: str, text: str, idempotency_key: str
    ) -> None:
        self.replies.append((channel, to, text, idempotency_key))


@pytest.fixture
def shop() -> Shop:
    return Shop()


@asynccontextmanager
async def serve(shop: Shop, settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A client of an app holding only the webhook router, wired to `shop`."""
    router = webhook_router(shop.handle, settings, Dedupe(), shop.send_reply)
    async with AsyncTestClient(Litestar([router])) as client:
        yield client


@pytest.fixture
async def client(shop: Shop) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with serve(shop, SETTINGS) as client:
        yield client


def meta_signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def post_meta(
    client: AsyncTestClient[Litestar], channel: str, payload: Any, *, secret: str = APP_SECRET
) -> httpx.Response:
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": meta_signature(body, secret),
    }
    return await client.post(f"/webhooks/{channel}", content=body, headers=headers)


def whatsapp_delivery(*messages: dict[str, Any], statuses: list[Any] | None = None) -> Any:
    """A Cloud API `messages` webhook as Meta sends it."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550001111", "phone_number_id": "106540352242922"},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": "Ana"}, "wa_id": ANA_WA_ID}]
        value["messages"] = list(messages)
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def whatsapp_text(text: str, message_id: str = "wamid.HBgLMzQ2MTIzNDU2NzgVAgASGBQz") -> Any:
    return {
        "from": ANA_WA_ID,
        "id": message_id,
        "timestamp": "1732450000",
        "type": "text",
        "text": {"body": text},
    }


def instagram_delivery(
    text: str, mid: str = "aWdfZAG1faXRlbToxOklHTWVzc2FnZA", **extra: Any
) -> Any:
    """An Instagram `messaging` webhook carrying one direct message from Ana."""
    return {
        "object": "instagram",
        "entry": [
            {
                "id": SHOP_IG_ID,
                "time": 1732450000123,
                "messaging": [
                    {
                        "sender": {"id": ANA_IGSID},
                        "recipient": {"id": SHOP_IG_ID},
                        "timestamp": 1732450000000,
                        "message": {"mid": mid, "text": text, **extra},
                    }
                ],
            }
        ],
    }


# WhatsApp and Instagram: the handshake and the signature ---------------------------------------


@pytest.mark.parametrize("channel", ["whatsapp", "instagram"])
async def test_handshake_echoes_the_challenge_when_the_verify_token_matches(
    client: AsyncTestClient[Litestar], channel: str
) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }

    with anyio.fail_after(5):
        response = await client.get(f"/webhooks/{channel}", params=params)

    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"hub.mode": "subscribe", "hub.verify_token": "guess"}, id="wrong-token"),
        pytest.param(
            {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN}, id="wrong-mode"
        ),
        pytest.param({"hub.mode": "subscribe"}, id="no-token"),
    ],
)
@pytest.mark.parametrize("channel", ["whatsapp", "instagram"])
async def test_handshake_with_a_forged_verify_token_is_forbidden(
    client: AsyncTestClient[Litestar], channel: str, params: dict[str, str]
) -> None:
    with anyio.fail_after(5):
        response = await client.get(
            f"/webhooks/{channel}", params={**params, "hub.challenge": "1158201444"}
        )

    assert response.status_code == 403
    assert "1158201444" not in response.text


@pytest.mark.parametrize(
    ("missing", "variables"),
    [
        pytest.param({"meta_app_secret": None}, "META_APP_SECRET", id="no-secret"),
        pytest.param({"meta_verify_token": None}, "META_VERIFY_TOKEN", id="no-token"),
        pytest.param(
            {"meta_app_secret": None, "meta_verify_token": None},
            "META_APP_SECRET and META_VERIFY_TOKEN",
            id="neither",
        ),
    ],
)
@pytest.mark.parametrize("channel", ["whatsapp", "instagram"])
async def test_meta_channel_without_its_secrets_answers_503_naming_the_variable(
    shop: Shop, channel: str, missing: dict[str, None], variables: str
) -> None:
    with anyio.fail_after(5):
        async with serve(shop, replace(SETTINGS, **missing)) as client:
            handshake = await client.get(f"/webhooks/{channel}", params={"hub.mode": "subscribe"})
            delivery = await post_meta(client, channel, whatsapp_delivery(whatsapp_text("hola")))

    for response in (handshake, delivery):
        assert response.status_code == 503
        assert f"set {variables}" in response.json()["detail"]
    assert shop.received == []


async def test_signed_whatsapp_text_is_handled_once_and_answered_through_send_reply(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    with anyio.fail_after(5):
        response = await post_meta(client, "whatsapp", whatsapp_delivery(whatsapp_text("hola")))

    assert response.status_code == 200
    assert shop.received == [
        InboundMessage(
            user_id=f"whatsapp:{ANA_WA_ID}",
            text="hola",
            client_type="whatsapp",
            phone=f"+{ANA_WA_ID}",
            message_id="wamid.HBgLMzQ2MTIzNDU2NzgVAgASGBQz",
        )
    ]
    assert shop.replies == [
        (
            "whatsapp",
            f"+{ANA_WA_ID}",
            "You said: hola",
            "reply:whatsapp:wamid.HBgLMzQ2MTIzNDU2NzgVAgASGBQz",
        )
    ]


async def test_every_text_message_of_one_delivery_is_answered_in_order(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    delivery = whatsapp_delivery(whatsapp_text("uno", "wamid.1"), whatsapp_text("dos", "wamid.2"))

    with anyio.fail_after(5):
        response = await post_meta(client, "whatsapp", delivery)

    assert response.status_code == 200
    assert [m.text for m in shop.received] == ["uno", "dos"]
    assert [r[2] for r in shop.replies] == ["You said: uno", "You said: dos"]


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(meta_signature(b'{"entry": []}', "another-app").encode(), id="other-secret"),
        pytest.param(meta_signature(b"{}").encode(), id="other-body"),
        pytest.param(b"sha256=zz", id="garbage"),
        pytest.param("sha256=é€".encode(), id="non-ascii"),
    ],
)
@pytest.mark.parametrize("channel", ["whatsapp", "instagram"])
async def test_forged_signature_is_forbidden_and_the_handler_never_called(
    client: AsyncTestClient[Litestar], shop: Shop, channel: str, signature: bytes
) -> None:
    payload = (
        whatsapp_delivery(whatsapp_text("hola"))
        if channel == "whatsapp"
        else instagram_delivery("hola")
    )
    body = json.dumps(payload).encode()

    with anyio.fail_after(5):
        response = await client.post(
            f"/webhooks/{channel}",
            content=body,
            headers={b"Content-Type": b"application/json", b"X-Hub-Signature-256": signature},
        )

    assert response.status_code == 403
    assert (shop.received, shop.replies) == ([], [])


@pytest.mark.parametrize("channel", ["whatsapp", "instagram"])
async def test_unsigned_delivery_is_unauthorized_and_the_handler_never_called(
    client: AsyncTestClient[Litestar], shop: Shop, channel: str
) -> None:
    body = json.dumps(whatsapp_delivery(whatsapp_text("hola"))).encode()

    with anyio.fail_after(5):
        response = await client.post(f"/webhooks/{channel}", content=body)

    assert response.status_code == 401
    assert "X-Hub-Signature-256" in response.json()["detail"]
    assert shop.received == []


async def test_resent_whatsapp_message_is_answered_once(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    delivery = whatsapp_delivery(whatsapp_text("hola"))

    with anyio.fail_after(5):
        first = await post_meta(client, "whatsapp", delivery)
        again = await post_meta(client, "whatsapp", delivery)

    assert (first.status_code, again.status_code) == (200, 200)
    assert len(shop.received) == 1
    assert len(shop.replies) == 1


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(
            whatsapp_delivery(
                statuses=[
                    {
                        "id": "wamid.HBgLMzQ2MTIzNDU2NzgVAgARGBI",
                        "status": "delivered",
                        "timestamp": "1732450001",
                        "recipient_id": ANA_WA_ID,
                    }
                ]
            ),
            id="statuses-only",
        ),
        pytest.param(
            whatsapp_delivery(
                {
                    "from": ANA_WA_ID,
                    "id": "wamid.image",
                    "timestamp": "1732450000",
                    "type": "image",
                    "image": {"mime_type": "image/jpeg", "id": "1234"},
                }
            ),
            id="image-message",
        ),
        pytest.param({"object": "whatsapp_business_account", "entry": []}, id="no-entries"),
        pytest.param({"entry": "not a list"}, id="unexpected-shape"),
    ],
)
async def test_signed_delivery_without_text_messages_is_acknowledged_and_not_handled(
    client: AsyncTestClient[Litestar], shop: Shop, payload: Any
) -> None:
    with anyio.fail_after(5):
        response = await post_meta(client, "whatsapp", payload)

    assert response.status_code == 200
    assert (shop.received, shop.replies) == ([], [])


async def test_signed_body_that_is_not_json_is_acknowledged_and_not_handled(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    body = b"not json"

    with anyio.fail_after(5):
        response = await client.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"X-Hub-Signature-256": meta_signature(body)},
        )

    assert response.status_code == 200
    assert shop.received == []


async def test_a_failing_message_does_not_stop_the_rest_of_the_delivery(
    client: AsyncTestClient[Litestar], shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    shop.failing_texts.add("boom")
    delivery = whatsapp_delivery(whatsapp_text("boom", "wamid.1"), whatsapp_text("hola", "wamid.2"))

    with anyio.fail_after(5):
        response = await post_meta(client, "whatsapp", delivery)

    assert response.status_code == 200
    assert [r[2] for r in shop.replies] == ["You said: hola"]
    assert "answering message wamid.1 failed" in caplog.text


# Instagram -------------------------------------------------------------------------------------


async def test_signed_instagram_message_is_handled_and_answered_to_its_sender(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    with anyio.fail_after(5):
        response = await post_meta(client, "instagram", instagram_delivery("hello", mid="mid.1"))

    assert response.status_code == 200
    assert shop.received == [
        InboundMessage(
            user_id=f"instagram:{ANA_IGSID}",
            text="hello",
            client_type="instagram",
            message_id="mid.1",
        )
    ]
    assert shop.replies == [("instagram", ANA_IGSID, "You said: hello", "reply:instagram:mid.1")]


async def test_echo_of_the_shops_own_instagram_message_is_not_answered(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    with anyio.fail_after(5):
        response = await post_meta(client, "instagram", instagram_delivery("hi", is_echo=True))

    assert response.status_code == 200
    assert shop.received == []


async def test_resent_instagram_message_is_answered_once(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    with anyio.fail_after(5):
        for _ in range(3):
            response = await post_meta(client, "instagram", instagram_delivery("hello"))
            assert response.status_code == 200

    assert len(shop.received) == 1
    assert len(shop.replies) == 1


# Twilio SMS ------------------------------------------------------------------------------------


def twilio_signature(url: str, params: dict[str, str], token: str = TWILIO_TOKEN) -> str:
    """Twilio's documented scheme: HMAC-SHA1 of the URL followed by each sorted name and value."""
    signed = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(
        hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


def sms_form(body: str = "Hola", sid: str = "SM0123456789abcdef0123456789abcdef") -> dict[str, str]:
    return {
        "ToCountry": "ES",
        "FromCity": "",  # Twilio sends empty fields and signs them
        "MessageSid": sid,
        "AccountSid": "AC" + "0123456789abcdef" * 2,
        "From": "+34612345678",
        "To": "+15017122661",
        "Body": body,
        "NumMedia": "0",
    }


async def post_sms(
    client: AsyncTestClient[Litestar], form: dict[str, str], signature: str | None
) -> httpx.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return await client.post("/webhooks/twilio", content=urlencode(form), headers=headers)


def twiml_messages(response: httpx.Response) -> list[str | None]:
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Response"
    return [message.text for message in root.iter("Message")]


async def test_signed_sms_is_answered_with_twiml_carrying_the_reply(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    form = sms_form("¿Tenéis camisetas?")

    with anyio.fail_after(5):
        response = await post_sms(client, form, twilio_signature(TWILIO_URL, form))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert twiml_messages(response) == ["You said: ¿Tenéis camisetas?"]
    assert shop.received == [
        InboundMessage(
            user_id="sms:+34612345678",
            text="¿Tenéis camisetas?",
            client_type="sms",
            phone="+34612345678",
            message_id=form["MessageSid"],
        )
    ]
    assert shop.replies == []  # the answer travels in the response


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(twilio_signature(TWILIO_URL, sms_form(), "another-token"), id="other-token"),
        pytest.param(twilio_signature(TWILIO_URL, sms_form("Other text")), id="other-body"),
        pytest.param(
            twilio_signature("http://localhost:3300/webhooks/twilio", sms_form()), id="other-url"
        ),
    ],
)
async def test_forged_twilio_signature_is_forbidden_and_the_handler_never_called(
    client: AsyncTestClient[Litestar], shop: Shop, signature: str
) -> None:
    with anyio.fail_after(5):
        response = await post_sms(client, sms_form(), signature)

    assert response.status_code == 403
    assert "SHOPMCP_PUBLIC_URL" in response.json()["detail"]
    assert shop.received == []


async def test_unsigned_sms_is_unauthorized_and_the_handler_never_called(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    with anyio.fail_after(5):
        response = await post_sms(client, sms_form(), None)

    assert response.status_code == 401
    assert shop.received == []


async def test_resent_sms_is_answered_once_and_then_with_empty_twiml(
    client: AsyncTestClient[Litestar], shop: Shop
) -> None:
    form = sms_form()

    with anyio.fail_after(5):
        first = await post_sms(client, form, twilio_signature(TWILIO_URL, form))
        again = await post_sms(client, form, twilio_signature(TWILIO_URL, form))

    assert twiml_messages(first) == ["You said: Hola"]
    assert (again.status_code, twiml_messages(again)) == (200, [])
    assert len(shop.received) == 1


async def test_sms_webhook_without_the_auth_token_answers_503_naming_the_variable(
    shop: Shop,
) -> None:
    form = sms_form()

    with anyio.fail_after(5):
        async with serve(shop, replace(SETTINGS, twilio_auth_token=None)) as client:
            response = await post_sms(client, form, twilio_signature(TWILIO_URL, form))

    assert response.status_code == 503
    assert "set TWILIO_AUTH_TOKEN" in response.json()["detail"]
    assert shop.received == []
