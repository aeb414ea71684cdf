"""Nobody acts where they don't belong (issue 11, items 1, 2 and 11), against the real server.

Each test performs an attack the issue found: a keyless "yes" confirming an admin's pending action,
the open API addressing a channel shopper's conversation, a wrong key on the WebSocket, one browser
guessing another's userId. The server runs with the admin key, the Meta and Twilio secrets and one
trusted back-end key (`SHOPMCP_API_KEYS`), as documented.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from twilio.request_validator import RequestValidator
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from commerce import load_or_create_link_secret
from server.identity import SESSION_COOKIE, WebSessions
from tests.e2e.conftest import (
    ADMIN_KEY,
    META_SECRET,
    TWILIO_TOKEN,
    RunningServer,
    _Inbox,
    start_server,
    stop_server,
)
from tests.redis_server import redis_url

pytestmark = pytest.mark.slow

RELAY_KEY = "relay-key-6f1d2c9a8b7e"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}

REPLY_SECONDS = 30


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[_Inbox, int]
) -> Iterator[RunningServer]:
    inbox, port = smtp
    running = start_server(
        tmp_path_factory.mktemp("ownership"), port, inbox, SHOPMCP_API_KEYS=f"relay:{RELAY_KEY}"
    )
    (running.data_dir / "imports").mkdir(exist_ok=True)
    yield running
    stop_server(running)


# -- what the server stored -----------------------------------------------------------------------


def _stock(server: RunningServer, sku: str) -> int | None:
    """The product's stock in the shop, None when there is no such product."""
    uri = f"file:{server.data_dir / 'shop.sqlite3'}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        row = db.execute("SELECT stock FROM products WHERE sku = ?", (sku,)).fetchone()
    return None if row is None else int(row[0])


def _outbox(server: RunningServer, recipient: str) -> list[str]:
    path = server.data_dir / "outbox.sqlite3"
    if not path.exists():
        return []
    with contextlib.closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT body FROM outbox WHERE recipient = ?", (recipient,)).fetchall()
    return [str(r[0]) for r in rows]


def _stored_conversation(key: str) -> str | None:
    with contextlib.closing(redis.Redis.from_url(redis_url())) as client:
        raw = client.get(f"shopmcp:conv:{key}")
    return None if raw is None else raw.decode()


# -- the channels, as their providers call the webhooks -------------------------------------------


def _us_number() -> str:
    return "1202555" + str(uuid.uuid4().int)[:4]


def _signed_meta(client: httpx.Client, route: str, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(META_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.post(
        route,
        content=body,
        headers={"content-type": "application/json", "X-Hub-Signature-256": signature},
    )
    assert response.status_code == 200, response.text


def _wait_for_reply(server: RunningServer, recipient: str, before: int) -> None:
    """Meta's messages are answered after the 200: wait for the answer in the outbox."""
    deadline = time.monotonic() + REPLY_SECONDS
    while len(_outbox(server, recipient)) <= before:
        assert time.monotonic() < deadline, f"no answer to {recipient}"
        time.sleep(0.1)  # the answer is sent in the background, as Meta requires


def _from_channel(
    server: RunningServer, client: httpx.Client, channel: str, sender: str, text: str
) -> None:
    """`text` from a channel's shopper, through its signed webhook, answered."""
    mid = uuid.uuid4().hex
    if channel == "sms":
        url = server.url + "/webhooks/twilio"
        form = {"From": sender, "Body": text, "MessageSid": f"SM{mid}"}
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)
        response = client.post(
            "/webhooks/twilio", data=form, headers={"X-Twilio-Signature": signature}
        )
        assert response.status_code == 200 and "<Message>" in response.text, response.text
        return
    if channel == "whatsapp":
        recipient = "+" + sender
        message = {"id": f"wamid.{mid}", "from": sender, "type": "text", "text": {"body": text}}
        value = {"messaging_product": "whatsapp", "messages": [message]}
        entry: dict[str, Any] = {"id": "1", "changes": [{"field": "messages", "value": value}]}
        payload = {"object": "whatsapp_business_account", "entry": [entry]}
    else:
        recipient, shop = sender, "17841405822304914"
        event = {
            "sender": {"id": sender},
            "recipient": {"id": shop},
            "message": {"mid": f"mid.{mid}", "text": text},
        }
        payload = {"object": "instagram", "entry": [{"id": shop, "messaging": [event]}]}
    before = len(_outbox(server, recipient))
    _signed_meta(client, f"/webhooks/{channel}", payload)
    _wait_for_reply(server, recipient, before)


# -- the WebSocket --------------------------------------------------------------------------------


@contextlib.contextmanager
def _socket(server: RunningServer, **headers: str) -> Iterator[ClientConnection]:
    url = server.url.replace("http://", "ws://") + "/ws"
    with connect(url, additional_headers=headers, open_timeout=10) as ws:
        yield ws


def _ask(ws: ClientConnection, user: str, text: str) -> dict[str, Any]:
    ws.send(json.dumps({"userId": user, "message": text, "clientType": "web-storefront"}))
    return dict(json.loads(ws.recv(timeout=REPLY_SECONDS)))


def _refusal(ws: ClientConnection, user: str) -> tuple[dict[str, Any], int | None]:
    """The frame a refused socket sends, and its close code; a frame is tried first, as a
    shopper would, in case the server reads it as one."""
    with contextlib.suppress(ConnectionClosed):
        ws.send(json.dumps({"userId": user, "message": "thanks!", "clientType": "mobile"}))
    frame = json.loads(ws.recv(timeout=REPLY_SECONDS))
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=REPLY_SECONDS)
    return frame, closed.value.rcvd.code if closed.value.rcvd else None


def _web_session(server: RunningServer, cookie: str | None = None) -> str:
    """The session token the chat page sets (renewing `cookie` when given)."""
    cookies = {SESSION_COOKIE: cookie} if cookie else {}
    page = httpx.get(server.url + "/", cookies=cookies, timeout=30)
    assert page.status_code == 200
    set_cookie = page.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie, set_cookie
    return str(page.cookies[SESSION_COOKIE])


def _from_page(server: RunningServer, token: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token}", "Origin": server.url}


# -- item 1: pending admin actions ----------------------------------------------------------------


def test_a_keyless_yes_does_not_confirm_an_admins_delete(server: RunningServer, user: str) -> None:
    with server.client(**ADMIN) as admin, server.client() as anyone:
        asked = server.say(admin, user, "delete product Xiaomi Redmi Note 13")
        assert asked["data"]["confirm"] == "delete_product"
        server.say(anyone, user, "yes")
        after_the_keyless_yes = _stock(server, "XIA-RN13-256")
        server.say(admin, user, "yes")
    assert after_the_keyless_yes is not None
    assert _stock(server, "XIA-RN13-256") is None  # the admin's own yes deletes it


def test_a_keyless_websocket_yes_does_not_confirm_an_admins_update(
    server: RunningServer, user: str
) -> None:
    with server.client(**ADMIN) as admin:
        asked = server.say(admin, user, "set the stock of Google Pixel 8 to 25")
        assert asked["data"]["confirm"] == "update_product"
        with _socket(server) as ws:
            _ask(ws, user, "yes")
        after_the_keyless_yes = _stock(server, "GOO-PIX8-128")
        server.say(admin, user, "yes")
    assert after_the_keyless_yes == 9
    assert _stock(server, "GOO-PIX8-128") == 25


def test_a_signed_whatsapp_si_does_not_confirm_an_admins_import(server: RunningServer) -> None:
    sender = "34611" + str(uuid.uuid4().int)[:6]
    sku, file = f"OWN-{uuid.uuid4().hex[:8]}", f"own-{uuid.uuid4().hex[:8]}.csv"
    (server.data_dir / "imports" / file).write_text(
        f"sku,name,price,category\n{sku},Owned Vase,12,home\n", "utf-8"
    )
    with server.client(**ADMIN) as admin, server.client() as meta:
        asked = server.say(admin, f"whatsapp:{sender}", f"import products from {file}")
        assert asked["data"]["confirm"] == "create_from_file"
        _from_channel(server, meta, "whatsapp", sender, "sí")
        after_the_whatsapp_si = _stock(server, sku)
        server.say(admin, f"whatsapp:{sender}", "yes")
    assert after_the_whatsapp_si is None
    assert _stock(server, sku) is not None  # the file imports: the admin's yes proves it


# -- item 2: channel shoppers' conversations ------------------------------------------------------


@pytest.mark.parametrize("channel", ["whatsapp", "sms", "instagram"])
def test_the_open_api_cannot_reach_a_channel_shoppers_conversation(
    server: RunningServer, channel: str
) -> None:
    number = _us_number()
    sender = {"whatsapp": number, "sms": "+" + number, "instagram": number + "77"}[channel]
    victim = f"{channel}:{sender}"
    thief = f"thief-{uuid.uuid4().hex[:8]}@example.com"
    with server.client() as client:
        _from_channel(server, client, channel, sender, "add JBL Flip 6 to my cart")
        stored = _stored_conversation(victim)
        assert stored is not None and json.loads(stored)["dialogue"]["basket_id"], stored
        seen = server.say(client, victim, "what's in my basket?")
        added = server.say(client, victim, "add Apple AirPods Pro 2 to my cart")
        mailed = server.say(client, victim, f"send me the payment link by email to {thief}")
    assert "basket" not in seen["data"], seen
    assert all("Flip 6" not in line["name"] for line in added["data"]["basket"]["lines"])
    assert mailed["data"]["payment_link"]["amount"] == added["data"]["basket"]["total"]
    assert _stored_conversation(victim) == stored  # the shopper's conversation is untouched
    assert all("Flip 6" not in body for body in _outbox(server, thief))


def test_an_api_keys_user_ids_are_a_namespace_of_their_own(server: RunningServer) -> None:
    user = f"ana-{uuid.uuid4().hex[:8]}"
    relay = {"Authorization": f"Bearer {RELAY_KEY}"}
    with server.client(**relay) as back_end, server.client() as anyone:
        added = server.say(back_end, user, "add JBL Flip 6 to my cart")
        again = server.say(back_end, user, "what's in my basket?")
        same_id = server.say(anyone, user, "what's in my basket?")
        spelled = server.say(anyone, f"key:relay:{user}", "what's in my basket?")
        admin_intent = server.say(back_end, user, "delete product JBL Flip 6")
    assert added["data"]["basket"]["lines"] and again["data"]["basket"] == added["data"]["basket"]
    assert "basket" not in same_id["data"] and "basket" not in spelled["data"]
    assert admin_intent["data"].get("error") == "admin_required"  # a back-end is not an admin


def test_a_wrong_key_gets_a_401_that_names_both_kinds_of_key(server: RunningServer) -> None:
    with server.client(Authorization=f"Bearer {RELAY_KEY}x") as client:
        response = client.post(
            "/api/message", json={"userId": "ana", "message": "hi", "clientType": "mobile"}
        )
    assert response.status_code == 401
    assert "admin key" in response.json()["error"]
    assert "SHOPMCP_API_KEYS" in response.json()["error"]


# -- item 11 and the web chat's session: the WebSocket --------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Bearer not-the-key", id="wrong-key"),
        pytest.param(f"Basic {ADMIN_KEY}", id="wrong-scheme"),
        pytest.param(f"Bearer {ADMIN_KEY}x", id="admin-key-plus-one"),
    ],
)
def test_a_wrong_key_on_the_websocket_is_refused_not_read_as_a_shopper(
    server: RunningServer, user: str, authorization: str
) -> None:
    with _socket(server, Authorization=authorization) as ws:
        frame, code = _refusal(ws, user)
    assert frame["status"] == 401 and "admin key" in frame["error"], frame
    assert code == 1008  # policy violation


def test_the_admin_key_on_the_websocket_is_an_admin(server: RunningServer, user: str) -> None:
    with _socket(server, **ADMIN) as ws:
        listed = _ask(ws, user, "list products")
    assert listed["intent"] == "list_products" and listed["data"]["products"]


def test_each_browser_owns_its_conversation_whatever_user_id_its_frames_name(
    server: RunningServer,
) -> None:
    ana, bob = _web_session(server), _web_session(server)
    guessable = f"web-{uuid.uuid4().hex[:6]}"  # both browsers' frames name the same userId
    with _socket(server, **_from_page(server, ana)) as ws:
        added = _ask(ws, guessable, "add JBL Flip 6 to my cart")
    with _socket(server, **_from_page(server, bob)) as ws:
        bobs = _ask(ws, guessable, "what's in my basket?")
    with server.client() as anyone:
        open_api = server.say(anyone, guessable, "what's in my basket?")
    renewed = _web_session(server, ana)  # ana comes back to the page a day later
    with _socket(server, **_from_page(server, renewed)) as ws:
        anas = _ask(ws, f"web-{uuid.uuid4().hex[:6]}", "what's in my basket?")
    assert added["data"]["basket"]["lines"]
    assert "basket" not in bobs["data"] and "basket" not in open_api["data"]
    assert anas["data"]["basket"] == added["data"]["basket"]


def _expired(server: RunningServer) -> str:
    sessions = WebSessions(load_or_create_link_secret(server.data_dir))
    return sessions.issue(now=time.time() - sessions.ttl_seconds - 60)


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda s, t: t[:-1] + ("0" if t[-1] != "0" else "1"), id="tampered-mac"),
        pytest.param(lambda s, t: t + "00", id="appended"),
        pytest.param(lambda s, t: t.replace(t.split(".")[1], "0" * 32), id="other-session-id"),
        pytest.param(lambda s, t: WebSessions(b"another-server").issue(), id="another-secret"),
        pytest.param(lambda s, t: _expired(s), id="expired"),
        pytest.param(lambda s, t: "x" * 4000, id="garbage"),
    ],
)
def test_a_forged_web_session_is_refused(server: RunningServer, user: str, forge: Any) -> None:
    token = forge(server, _web_session(server))
    with _socket(server, **_from_page(server, token)) as ws:
        frame, code = _refusal(ws, user)
    assert frame["status"] == 401 and "session" in frame["error"], frame
    assert code == 1008


def test_another_sites_page_cannot_use_a_shoppers_session(server: RunningServer, user: str) -> None:
    headers = {**_from_page(server, _web_session(server)), "Origin": "http://shop.evil.example"}
    with _socket(server, **headers) as ws:
        frame, code = _refusal(ws, user)
    assert frame["status"] == 401 and "another site" in frame["error"], frame
    assert code == 1008
