"""The pages against the real server: chat and playground served, the playground's JSON (all of it
with the admin key, the shopper's view without), and the checkout behind a payment link (valid,
tampered, expired, stale; paying twice pays once)."""

from __future__ import annotations

import json
import re
import sqlite3
import string
import time
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from commerce import PaymentClaims
from commerce.links import sign_payment_token
from server.pages import STATIC_DIR, page_locale
from tests.e2e.conftest import (  # noqa: F401
    ADMIN_KEY,
    RunningServer,
    smtp,
    start_server,
    stop_server,
)

LINK_SECRET = "pages-test-link-secret"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, smtp: tuple) -> Iterator[RunningServer]:  # noqa: F811
    inbox, port = smtp
    running = start_server(
        tmp_path_factory.mktemp("pages"), port, inbox, SHOPMCP_LINK_SECRET=LINK_SECRET
    )
    yield running
    stop_server(running)


@pytest.fixture
def user() -> str:
    return f"pages-{uuid.uuid4().hex[:10]}"


def _basket_with_link(server: RunningServer, client: httpx.Client, user: str) -> str:
    server.say(client, user, "Do you have iPhone?")
    server.say(client, user, "add Apple iPhone 15 to my cart")
    link = server.say(client, user, "give me the payment link")
    return str(link["data"]["payment_link"]["url"])


def _path(url: str) -> str:
    return urlsplit(url).path


def _form(client: httpx.Client, path: str) -> dict[str, str]:
    """What the open checkout page's form posts (its hidden fields; the cookie stays in client)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))


# -- pure ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "header", "expected"),
    [
        pytest.param("de", "es-ES,es;q=0.9", "de", id="lang-wins"),
        pytest.param(None, "pt-BR, fr;q=0.8, en;q=0.5", "fr", id="first-known-in-header"),
        pytest.param("xx", None, "en", id="unknown-falls-back-to-en"),
    ],
)
def test_the_page_locale_comes_from_lang_then_accept_language(
    lang: str | None, header: str | None, expected: str
) -> None:
    assert page_locale(lang, header) == expected


def test_every_locale_of_the_page_texts_has_the_same_keys_and_placeholders() -> None:
    texts = json.loads((STATIC_DIR / "i18n.json").read_text("utf-8"))
    assert sorted(texts) == ["de", "en", "es", "fr"]
    for locale, table in texts.items():
        assert table.keys() == texts["en"].keys(), locale
        for key, value in table.items():
            assert sorted(_fields(value)) == sorted(_fields(texts["en"][key])), (locale, key)


def _fields(text: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


# -- against the server ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_chat_and_the_playground_are_served_with_their_assets(server: RunningServer) -> None:
    with server.client() as c:
        chat = c.get("/")
        playground = c.get("/playground")
        script = c.get("/static/chat.js")
    assert chat.status_code == 200 and chat.headers["content-type"].startswith("text/html")
    assert "/static/chat.js" in chat.text
    assert playground.status_code == 200 and "/static/playground.js" in playground.text
    assert script.status_code == 200 and "new WebSocket" in script.text


@pytest.mark.slow
def test_the_playground_explains_intent_slots_rule_and_near_misses_to_the_admin(
    server: RunningServer,
) -> None:
    with server.client(authorization=f"Bearer {ADMIN_KEY}") as c:
        response = c.post("/api/playground", json={"text": "agrega 2 iphone al carrito porfa"})
    assert response.status_code == 200
    body = response.json()
    assert (body["intent"], body["locale"], body["slots"]["quantity"]) == ("add_to_basket", "es", 2)
    assert body["rule"].startswith("patterns/es/") and ":" in body["rule"]
    assert isinstance(body["near_misses"], list)
    assert body["pattern_errors"] == []
    assert body["pattern_set"] and body["micros"] > 0
    assert body["view"] == "admin"


@pytest.mark.slow
def test_without_the_key_the_playground_shows_the_shoppers_reading_and_nothing_internal(
    server: RunningServer,
) -> None:
    with server.client() as c:
        shopper = c.post("/api/playground", json={"text": "agrega 2 iphone al carrito porfa"})
        admin = c.post("/api/playground", json={"text": "delete product Apple iPhone 15"})
    assert shopper.status_code == 200 and admin.status_code == 200
    body = shopper.json()
    assert (body["intent"], body["slots"]["quantity"], body["view"]) == (
        "add_to_basket",
        2,
        "public",
    )
    assert body["requests"][0]["spans"]  # where the slots were typed is the shopper's own text
    for text in (shopper.text, admin.text):
        assert "patterns/" not in text and ".intents" not in text
        for internal in ("rule", "near_misses", "pattern_errors", "mapping", "tool_available"):
            assert f'"{internal}"' not in text
    assert (admin.json()["intent"], admin.json()["status"]) == ("unknown", "none")
    assert "delete" not in admin.text.replace("delete product Apple iPhone 15", "")


@pytest.mark.slow
def test_the_playground_refuses_a_key_that_is_not_the_admin_key(server: RunningServer) -> None:
    with server.client(authorization="Bearer guessed") as c:
        response = c.post("/api/playground", json={"text": "delete product Apple iPhone 15"})
    assert response.status_code == 401 and "admin key" in response.json()["error"]


@pytest.mark.slow
def test_the_playground_refuses_a_bad_body_and_an_unknown_locale(server: RunningServer) -> None:
    with server.client() as c:
        empty = c.post("/api/playground", json={"text": ""})
        unknown = c.post("/api/playground", json={"text": "hello", "locale": "xx"})
    assert empty.status_code == 400
    assert unknown.status_code == 422 and "xx" in unknown.json()["error"]


@pytest.mark.slow
def test_a_valid_link_shows_the_basket_in_the_locale_format(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        url = _basket_with_link(server, c, user)
        page = c.get(_path(url), params={"lang": "de"})
    assert page.status_code == 200
    assert 'data-state="open"' in page.text
    assert "Apple iPhone 15" in page.text
    assert "959,00\xa0€" in page.text  # German format from Babel
    assert "959,00\xa0€ bezahlen" in page.text


@pytest.mark.slow
def test_a_tampered_link_is_refused_with_400_on_the_page_and_on_pay(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        path = _path(_basket_with_link(server, c, user))
        body, _, signature = path.removeprefix("/checkout/").partition(".")
        forged = f"/checkout/{body}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
        page = c.get(forged)
        paid = c.post(forged + "/pay", data={"lang": "en"})
        garbage = c.get("/checkout/not-a-token")
    assert page.status_code == 400 and 'data-state="tampered"' in page.text
    assert paid.status_code == 400
    assert garbage.status_code == 400


@pytest.mark.slow
def test_an_expired_link_is_refused_with_410(server: RunningServer) -> None:
    claims = PaymentClaims("some-basket", 100, "EUR", "x", expires_at=int(time.time()) - 60)
    token = sign_payment_token(LINK_SECRET.encode(), claims)
    with server.client() as c:
        page = c.get(f"/checkout/{token}", params={"lang": "fr"})
    assert page.status_code == 410
    assert "Ce lien a expiré" in page.text


@pytest.mark.slow
def test_a_link_for_a_basket_that_changed_since_is_refused(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        path = _path(_basket_with_link(server, c, user))
        form = _form(c, path)
        server.say(c, user, "add Apple iPhone 15 to my cart")
        page = c.get(path)
        paid = c.post(path + "/pay", data=form)
    assert page.status_code == 409 and 'data-state="stale"' in page.text
    assert paid.status_code == 409


@pytest.mark.slow
def test_paying_twice_pays_once_and_confirms_once_by_email(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        path = _path(_basket_with_link(server, c, user))
        form = {**_form(c, path), "lang": "es", "email": "ana@example.com"}
        before = len(server.inbox.messages)
        first = c.post(path + "/pay", data=form)
        second = c.post(path + "/pay", data=form)
        assert first.status_code == second.status_code == 303
        order = parse_qs(urlsplit(first.headers["location"]).query)["order"][0]
        assert parse_qs(urlsplit(second.headers["location"]).query)["order"] == [order]
        shown = c.get(first.headers["location"])
        reopened = c.get(path)
    assert shown.status_code == 200 and f'data-order="{order}"' in shown.text
    assert "¡Gracias!" in shown.text and 'data-sent="sent"' in shown.text
    assert reopened.status_code == 409  # nothing left to pay
    mails = server.inbox.messages[before:]
    assert [m["To"] for m in mails] == ["ana@example.com"]
    assert order in mails[0]["Subject"]


@pytest.mark.slow
def test_paying_again_with_another_address_mails_nobody(server: RunningServer, user: str) -> None:
    with server.client() as c:
        path = _path(_basket_with_link(server, c, user))
        form = {**_form(c, path), "email": "ana@example.com"}
        before = len(server.inbox.messages)
        first = c.post(path + "/pay", data=form)
        again = [
            c.post(path + "/pay", data={**form, "email": f"victim{i}@example.com"})
            for i in range(3)
        ]
    assert first.status_code == 303 and all(r.status_code == 303 for r in again)
    assert {r.headers["location"].split("&sent=")[0] for r in again} == {
        first.headers["location"].split("&sent=")[0]
    }
    assert [m["To"] for m in server.inbox.messages[before:]] == ["ana@example.com"]


@pytest.mark.slow
def test_the_confirmation_goes_to_the_address_on_record_and_the_page_never_shows_it(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        server.say(c, user, "Do you have iPhone?")
        server.say(c, user, "add Apple iPhone 15 to my cart")
        link = server.say(c, user, "send me the payment link by email to bea@example.com")
        path = _path(link["data"]["payment_link"]["url"])
        page = c.get(path)
        form = _form(c, path)
        before = len(server.inbox.messages)
        paid = c.post(path + "/pay", data={**form, "email": "mallory@example.com"})
    assert "bea@example.com" not in page.text and "b•••@example.com" in page.text
    assert 'name="email"' not in page.text  # the address on record is not the form's to choose
    assert paid.status_code == 303
    assert [m["To"] for m in server.inbox.messages[before:]] == ["bea@example.com"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda form, c: ({"lang": "en"}, c), id="no-form-token"),
        pytest.param(lambda form, c: ({**form, "csrf": "A" * 43}, c), id="wrong-form-token"),
        pytest.param(lambda form, c: (form, None), id="no-cookie"),
    ],
)
def test_a_payment_not_posted_from_the_page_in_this_browser_is_refused(
    server: RunningServer, user: str, forge: object
) -> None:
    with server.client() as c:
        path = _path(_basket_with_link(server, c, user))
        data, cookies = forge(_form(c, path), c.cookies)  # type: ignore[operator]
        with server.client() as other:  # another browser: it has only what the forger sent
            if cookies is not None:
                other.cookies = cookies
            refused = other.post(path + "/pay", data=data)
        still_open = c.get(path)
    assert refused.status_code == 403 and 'data-state="forged"' in refused.text
    assert still_open.status_code == 200 and 'data-state="open"' in still_open.text


@pytest.mark.slow
def test_a_payment_posted_from_another_site_is_refused(server: RunningServer, user: str) -> None:
    with server.client() as c:
        path = _path(_basket_with_link(server, c, user))
        form = _form(c, path)
        refused = c.post(path + "/pay", data=form, headers={"origin": "https://evil.example"})
        paid = c.post(path + "/pay", data=form)
    assert refused.status_code == 403
    assert paid.status_code == 303


@pytest.mark.slow
def test_after_paying_the_next_add_makes_a_new_basket_and_a_new_order(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        first_path = _path(_basket_with_link(server, c, user))
        first = c.post(first_path + "/pay", data=_form(c, first_path))
        server.say(c, user, "add Apple iPhone 15 to my cart")
        link = server.say(c, user, "give me the payment link")
        second_path = _path(link["data"]["payment_link"]["url"])
        second = c.post(second_path + "/pay", data=_form(c, second_path))
    orders = [parse_qs(urlsplit(r.headers["location"]).query)["order"][0] for r in (first, second)]
    assert second_path != first_path
    assert orders[0] != orders[1]
    with sqlite3.connect(server.data_dir / "shop.sqlite3") as db:
        paid = db.execute("SELECT id, lines FROM orders WHERE id IN (?, ?)", orders).fetchall()
    assert len(paid) == 2 and all("Apple iPhone 15" in lines for _, lines in paid)
