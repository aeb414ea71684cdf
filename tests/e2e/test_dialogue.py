"""Multi-turn chats through the real server: references, follow-ups, answers and order status."""

from __future__ import annotations

import asyncio

import pytest

from commerce import open_backend
from shopmcp.settings import Settings
from tests.e2e.conftest import RunningServer

pytestmark = pytest.mark.slow


def quantities(reply: dict) -> dict[str, int]:
    return {ln["product_id"]: ln["quantity"] for ln in reply["data"]["basket"]["lines"]}


def test_a_shopper_picks_the_cheapest_then_sets_adds_and_takes_units(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        found = server.say(c, user, "Do you have iPhone?")
        cheapest = min(found["data"]["products"], key=lambda p: p["price"])["id"]
        added = server.say(c, user, "add the cheapest one")
        assert quantities(added) == {cheapest: 1}
        assert quantities(server.say(c, user, "make it 2")) == {cheapest: 2}
        assert quantities(server.say(c, user, "one more")) == {cheapest: 3}
        assert quantities(server.say(c, user, "one less")) == {cheapest: 2}
        emptied = server.say(c, user, "empty my basket")
    assert emptied["data"]["basket"]["lines"] == []
    assert "http" not in emptied["response"]


def test_a_spanish_shopper_sets_the_quantity_instead_of_adding_more(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        found = server.say(c, user, "¿tenéis auriculares?", "whatsapp")
        second = found["data"]["products"][1]["id"]
        server.say(c, user, "añade el segundo", "whatsapp")
        set_two = server.say(c, user, "mejor que sean 2", "whatsapp")
        again = server.say(c, user, "vale, pues 3", "whatsapp")
    assert quantities(set_two) == {second: 2}
    assert quantities(again) == {second: 3}
    assert set_two["locale"] == "es" and "2 ×" in set_two["response"]


def test_a_which_one_question_is_numbered_and_a_partial_name_answers_it(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        server.say(c, user, "Do you have iPhone?")
        asked = server.say(c, user, "add the black one")
        assert asked["data"]["pending"] == {"intent": "add_to_basket", "awaiting": "product"}
        assert "1. " in asked["response"] and "2. " in asked["response"]
        picked = server.say(c, user, "the pro")
    assert picked["intent"] == "add_to_basket"
    [line] = picked["data"]["basket"]["lines"]
    assert line["name"] == "Apple iPhone 15 Pro"


def test_a_german_stock_limit_is_offered_and_ok_takes_what_is_left(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        offered = server.say(c, user, "leg 50 JBL Flip 6 in den Warenkorb", "whatsapp", locale="de")
        assert offered["data"]["pending"] == {"intent": "add_to_basket", "awaiting": "quantity"}
        available = offered["data"]["available"]
        assert f"{available}" in offered["response"] and "Soll ich" in offered["response"]
        taken = server.say(c, user, "ok", "whatsapp", locale="de")
    assert [ln["quantity"] for ln in taken["data"]["basket"]["lines"]] == [available]


def test_a_french_shopper_refers_back_and_asks_again_in_another_colour(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        server.say(c, user, "vous avez des casques ?")
        info = server.say(c, user, "le moins cher")
        assert info["intent"] == "get_product_info"
        added = server.say(c, user, "je le prends")
        assert quantities(added) == {info["data"]["product"]["id"]: 1}
        red = server.say(c, user, "vous avez des enceintes ?")
        again = server.say(c, user, "et en rouge ?")
    assert red["intent"] == "search_products"
    assert again["intent"] == "search_products"
    assert again["data"]["products"] and all(
        "red" in p["colors"] for p in again["data"]["products"]
    )


def test_a_paid_order_is_shown_with_its_status_items_and_total(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        added = server.say(c, user, "add 2 JBL Flip 6 to my cart")
        basket_id = added["data"]["basket"]["basket_id"]
        order = asyncio.run(_pay(server, basket_id))
        shown = server.say(c, user, f"just paid, can you check {order}?")
        german = server.say(c, user, f"wo ist meine Bestellung {order.lower()}?", locale="de")
        unknown = server.say(c, user, "40512 still hasn't come")
    assert shown["intent"] == "answer_question"
    assert order in shown["response"] and "2 × JBL Flip 6" in shown["response"]
    assert "paid" in shown["response"] and "€258.00" in shown["response"]
    assert "bezahlt" in german["response"] and "258,00" in german["response"]
    assert "40512" in unknown["response"] and unknown["data"]["error"] == "unknown_order"


async def _pay(server: RunningServer, basket_id: str) -> str:
    settings = Settings(data_dir=server.data_dir)
    async with open_backend(settings) as shop:
        return (await shop.mark_paid(basket_id)).id
