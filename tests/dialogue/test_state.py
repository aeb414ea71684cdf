"""The state is written with its version and read back whole; old conversations migrate on load."""

from __future__ import annotations

import json

from dialogue import VERSION, DialogueState, Item, Pending, PreviousRequest, Speaker, observe


def test_a_state_survives_a_round_trip_through_json(
    state: DialogueState, listing: list[Item]
) -> None:
    state.previous = PreviousRequest("search_products", {"query": "phone"})
    state.pending = Pending("product", "add_to_basket", {}, "u1", candidates=(listing[1],))
    data = json.loads(json.dumps(state.to_dict()))
    assert data["version"] == VERSION
    assert DialogueState.from_dict(data) == state


def test_the_loose_fields_of_old_conversations_migrate_on_load() -> None:
    old = {
        "basket_id": "b9",
        "last_results": [{"id": "7", "name": "Sony WH-1000XM5"}],
        "last_product": {"id": "7", "name": "Sony WH-1000XM5"},
        "pending": {
            "intent": "get_payment_link",
            "slots": {"channel": "email"},
            "awaiting": "email",
        },
    }
    state = DialogueState.from_dict(old, user_id="u1")
    assert state.basket_id == "b9"
    assert [i.id for i in state.listing] == ["7"] and state.focus == Item("7", "Sony WH-1000XM5")
    assert state.pending is not None
    assert (state.pending.kind, state.pending.slot) == ("email", "email")
    assert state.pending.may_be_answered_by(Speaker("u1"))


def test_an_old_confirmation_waits_for_an_admin() -> None:
    old = {"pending": {"intent": "delete_product", "slots": {}, "confirm": True, "mapping": {}}}
    pending = DialogueState.from_dict(old, user_id="u1").pending
    assert pending is not None and pending.kind == "confirm"
    assert not pending.may_be_answered_by(Speaker("u1"))
    assert pending.may_be_answered_by(Speaker("u1", admin=True))


def test_a_listing_keeps_what_shoppers_pick_by() -> None:
    item = Item.of(
        {
            "id": "2",
            "sku": "APL-IP15P-256",
            "name": "Apple iPhone 15 Pro",
            "price": 132900,
            "currency": "EUR",
            "brand": "apple",
            "colors": ["black"],
            "sizes": [],
        }
    )
    assert (item.price, item.storage, item.model, item.colors) == (132900, 256, 15, ("black",))


def test_adding_puts_the_added_product_in_focus(state: DialogueState) -> None:
    basket = {
        "basket_id": "b1",
        "lines": [
            {"product_id": "20", "name": "Nike Dri-FIT Training T-Shirt", "quantity": 2},
            {"product_id": "21", "name": "Spigen Case for iPhone 15", "quantity": 1},
            {"product_id": "3", "name": "Samsung Galaxy S24 Ultra", "quantity": 1},
        ],
    }
    observe(
        state, "add_to_basket", {"basket": basket}, intent="add_to_basket", slots={"product": "3"}
    )
    assert state.focus is not None and state.focus.id == "3" and state.focus.price == 89900
    assert [line.product_id for line in state.basket] == ["20", "21", "3"]
    assert state.previous == PreviousRequest("add_to_basket", {"product": "3"})


def test_a_search_with_one_result_puts_it_in_focus(state: DialogueState) -> None:
    observe(
        state, "search_products", {"products": [{"id": "9", "name": "Bose QuietComfort Ultra"}]}
    )
    assert state.focus == Item("9", "Bose QuietComfort Ultra")
