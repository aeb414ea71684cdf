"""Channel webhooks against the real server: signatures checked before parsing, replies sent."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
import uuid

import pytest
from twilio.request_validator import RequestValidator

from tests.e2e.conftest import META_SECRET, TWILIO_TOKEN, RunningServer

pytestmark = pytest.mark.slow


def _whatsapp_event(message_id: str, sender: str, text: str) -> bytes:
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "contacts": [{"wa_id": sender, "profile": {"name": "Ana"}}],
                                "messages": [
                                    {
                                        "id": message_id,
                                        "from": sender,
                                        "type": "text",
                                        "text": {"body": text},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


def _sign(body: bytes) -> str:
    return "sha256=" + hmac.new(META_SECRET.encode(), body, hashlib.sha256).hexdigest()


def _outbox(server: RunningServer, to: str) -> list[tuple[str, str]]:
    path = server.data_dir / "outbox.sqlite3"
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT channel, body FROM outbox WHERE recipient = ?", (to,)))


def test_a_forged_whatsapp_webhook_is_refused_before_parsing(server: RunningServer) -> None:
    body = _whatsapp_event("wamid.forged", "34600111222", "hola")
    with server.client() as c:
        unsigned = c.post(
            "/webhooks/whatsapp", content=body, headers={"content-type": "application/json"}
        )
        forged = c.post(
            "/webhooks/whatsapp",
            content=body,
            headers={
                "content-type": "application/json",
                "X-Hub-Signature-256": "sha256=" + "0" * 64,
            },
        )
    assert (unsigned.status_code, forged.status_code) == (401, 403)


def test_a_signed_whatsapp_message_is_answered_through_the_notifications_server(
    server: RunningServer,
) -> None:
    sender = "34600" + str(int(time.time() * 1000))[-6:]
    body = _whatsapp_event(f"wamid.{sender}", sender, "¿tienen auriculares?")
    with server.client() as c:
        response = c.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"content-type": "application/json", "X-Hub-Signature-256": _sign(body)},
        )
        again = c.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"content-type": "application/json", "X-Hub-Signature-256": _sign(body)},
        )
    assert (response.status_code, again.status_code) == (200, 200)
    deadline = time.monotonic() + 30
    rows: list[tuple[str, str]] = []
    while time.monotonic() < deadline and not rows:
        rows = (
            _outbox(server, "+" + sender) if (server.data_dir / "outbox.sqlite3").exists() else []
        )
        time.sleep(0.1)  # the reply is sent after the 200, as Meta requires
    assert len(rows) == 1  # the retried delivery was answered once
    channel, text = rows[0]
    assert channel == "whatsapp" and text


def test_a_signed_twilio_sms_gets_a_twiml_answer_and_a_forged_one_is_refused(
    server: RunningServer,
) -> None:
    url = server.url + "/webhooks/twilio"  # the public URL's default
    sid = "SM" + uuid.uuid4().hex  # Redis remembers message ids for a day: a fresh one per run
    params = {"From": "+15005550006", "Body": "do you have iphone", "MessageSid": sid}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
    with server.client() as c:
        good = c.post("/webhooks/twilio", data=params, headers={"X-Twilio-Signature": signature})
        forged = c.post("/webhooks/twilio", data=params, headers={"X-Twilio-Signature": "bad"})
    assert good.status_code == 200
    assert good.headers["content-type"].startswith("application/xml")
    assert "<Response><Message>" in good.text
    assert forged.status_code == 403
