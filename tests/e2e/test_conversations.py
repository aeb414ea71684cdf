"""Whole conversations against the real server, its MCP subprocesses, Redis and an SMTP server."""

from __future__ import annotations

import json

import pytest
from websockets.sync.client import connect

from tests.e2e.conftest import ADMIN_KEY, RunningServer

pytestmark = pytest.mark.slow


def test_a_web_shopper_searches_adds_the_second_result_and_gets_the_link_by_email(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        found = server.say(c, user, "Do you have iPhone?")
        assert (found["intent"], found["locale"]) == ("search_products", "en")
        products = found["data"]["products"]
        assert len(products) >= 2
        added = server.say(c, user, "add the second one to my cart")
        assert added["intent"] == "add_to_basket"
        assert [line["product_id"] for line in added["data"]["basket"]["lines"]] == [
            products[1]["id"]
        ]
        basket = server.say(c, user, "what's in my cart?")
        assert basket["intent"] == "get_basket"
        assert basket["data"]["basket"]["item_count"] == 1
        before = len(server.inbox.messages)
        link = server.say(c, user, "send me the payment link by email to ana@example.com")
        assert link["intent"] == "get_payment_link"
        url = link["data"]["payment_link"]["url"]
    assert url.startswith(f"{server.url}/checkout/")  # the server's own port, not 3300
    assert len(server.inbox.messages) == before + 1
    mail = server.inbox.messages[-1]
    assert mail["To"] == "ana@example.com"
    assert url in mail.get_payload(decode=True).decode()
    assert (
        "€1,329.00" in mail.get_payload(decode=True).decode()
        or "€959.00" in mail.get_payload(decode=True).decode()
    )


def test_the_seed_example_in_spanish_over_whatsapp(server: RunningServer, user: str) -> None:
    with server.client() as c:
        reply = server.say(c, user, "Agregar iPhone al carrito", "whatsapp")
    assert (reply["intent"], reply["locale"]) == ("add_to_basket", "es")
    assert reply["response"]


@pytest.mark.parametrize(
    ("locale", "search", "add_second", "show_basket", "pay"),
    [
        pytest.param(
            "es",
            "hola, ¿tienen auriculares?",
            "agrega el segundo al carrito",
            "ver mi carrito",
            "mándame el link de pago a {email}",
            id="es",
        ),
        pytest.param(
            "fr",
            "vous avez des casques ?",
            "ajoute le deuxième au panier",
            "mon panier",
            "envoie-moi le lien de paiement à {email}",
            id="fr",
        ),
        pytest.param(
            "de",
            "habt ihr Kopfhörer?",
            "leg den zweiten in den Warenkorb",
            "zeig mir meinen Warenkorb",
            "schick mir den Zahlungslink an {email}",
            id="de",
        ),
    ],
)
def test_a_conversation_in_each_locale(
    server: RunningServer,
    user: str,
    locale: str,
    search: str,
    add_second: str,
    show_basket: str,
    pay: str,
) -> None:
    with server.client() as c:
        found = server.say(c, user, search, "whatsapp")
        assert (found["intent"], found["locale"]) == ("search_products", locale)
        second = found["data"]["products"][1]["id"]
        added = server.say(c, user, add_second, "whatsapp")
        assert added["intent"] == "add_to_basket"
        assert added["data"]["basket"]["lines"][0]["product_id"] == second
        basket = server.say(c, user, show_basket, "whatsapp")
        assert basket["intent"] == "get_basket"
        assert basket["locale"] == locale
        # the address alone says the channel: the link goes out by e-mail
        link = server.say(c, user, pay.format(email=f"{user}@example.com"), "whatsapp")
    assert link["intent"] == "get_payment_link"
    assert link["data"]["delivery"]["to"] == f"{user}@example.com"
    assert any(m["To"] == f"{user}@example.com" for m in server.inbox.messages)


def test_a_missing_address_is_asked_for_and_the_answer_completes_the_request(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        server.say(c, user, "Do you have iPhone?")
        server.say(c, user, "add the first one")
        asked = server.say(c, user, "send me the payment link by email")
        assert asked["data"]["pending"] == {"intent": "get_payment_link", "awaiting": "email"}
        done = server.say(c, user, "it's bob@example.com")
        assert done["intent"] == "get_payment_link"
        assert done["data"]["delivery"]["to"] == "bob@example.com"


def test_admin_actions_need_the_key_and_a_confirmation(server: RunningServer, user: str) -> None:
    with server.client() as shopper:
        refused = server.say(shopper, user, "delete product Bose QuietComfort Ultra Headphones")
        assert refused["data"].get("error") == "admin_required"
    with server.client(Authorization=f"Bearer {ADMIN_KEY}") as admin:
        asked = server.say(admin, user, "delete product Bose QuietComfort Ultra Headphones")
        assert asked["data"]["confirm"] == "delete_product"
        cancelled = server.say(admin, user, "no")
        assert cancelled["intent"] == "delete_product"
        assert "confirm" not in cancelled["data"]


def test_bad_input_gets_a_clear_error(server: RunningServer) -> None:
    with server.client() as c:
        malformed = c.post(
            "/api/message", content=b"{not json", headers={"content-type": "application/json"}
        )
        missing = c.post("/api/message", json={"message": "hi"})
        too_long = c.post(
            "/api/message", json={"userId": "x", "message": "a" * 5000, "clientType": "sms"}
        )
        huge = c.post(
            "/api/message",
            content=b"{" + b" " * 70_000 + b"}",
            headers={"content-type": "application/json"},
        )
        locale = c.post(
            "/api/message",
            json={"userId": "x", "message": "hi", "clientType": "sms", "locale": "pt"},
        )
        key = c.post(
            "/api/message",
            json={"userId": "x", "message": "hi", "clientType": "sms"},
            headers={"Authorization": "Bearer wrong"},
        )
    assert malformed.status_code == 400 and "userId" in malformed.json()["error"]
    assert missing.status_code == 400
    assert {p["field"] for p in missing.json()["problems"]} >= {"userId", "clientType"}
    assert too_long.status_code == 413 and "limit is 2000" in too_long.json()["error"]
    assert huge.status_code == 413
    assert locale.status_code == 422 and "en, es, fr, de" in locale.json()["error"]
    assert key.status_code == 401


def test_health_metrics_and_the_openapi_document_are_served(server: RunningServer) -> None:
    with server.client() as c:
        health = c.get("/health").json()
        metrics = c.get("/metrics").text
        schema = c.get("/schema/openapi.json").json()
        ui = c.get("/schema/swagger")
    assert health["status"] == "ok" and health["redis"] == "up" and health["patternSet"]
    assert set(health["servers"]) == {
        "intent",
        "ecommerce_storefront",
        "ecommerce_admin",
        "notifications",
    }
    assert 'shopmcp_mcp_up{server="intent"} 1' in metrics
    assert "/api/message" in schema["paths"]
    assert ui.status_code == 200 and ui.headers["content-type"].startswith("text/html")


def test_the_websocket_carries_the_same_messages(server: RunningServer, user: str) -> None:
    with connect(server.url.replace("http", "ws") + "/ws", open_timeout=10) as ws:
        ws.send(
            json.dumps({"userId": user, "message": "Do you have iPhone?", "clientType": "mobile"})
        )
        reply = json.loads(ws.recv(timeout=30))
        ws.send("{oops")
        error = json.loads(ws.recv(timeout=30))
    assert reply["intent"] == "search_products" and reply["data"]["products"]
    assert error["status"] == 400
