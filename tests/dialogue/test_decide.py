"""What a message means after the last turn: follow-ups no intent has sentences for, answers to
the assistant's own questions, and the intent server's requests with their references resolved."""

from __future__ import annotations

from typing import Any

import pytest

from dialogue import (
    Ask,
    DialogueState,
    Item,
    Pending,
    PreviousRequest,
    Run,
    Say,
    Speaker,
    decide,
)

SHOPPER = Speaker("u1")
ADMIN = Speaker("u1", admin=True)
IPHONE, PRO, ULTRA, REDMI = "1", "2", "3", "4"


def unknown() -> dict[str, Any]:
    return {"status": "none", "intent": "unknown", "slots": {}, "requests": []}


def matched(intent: str, **slots: Any) -> dict[str, Any]:
    return {
        "status": "matched",
        "intent": intent,
        "slots": slots,
        "requests": [{"intent": intent, "slots": slots, "mapping": {"call": "as analysed"}}],
    }


def only_run(decision: Any) -> Run:
    assert len(decision.steps) == 1, decision
    step = decision.steps[0]
    assert isinstance(step, Run), step
    return step


@pytest.mark.parametrize(
    ("locale", "message", "quantity"),
    [
        pytest.param("en", "make it 2", 2, id="en"),
        pytest.param("en", "ok then 2 of them", 2, id="en-ok-then"),
        pytest.param("es", "mejor que sean 2", 2, id="es"),
        pytest.param("es", "vale, pues 3", 3, id="es-vale-pues"),
        pytest.param("fr", "mets-en 3 au total", 3, id="fr"),
        pytest.param("de", "mach 2 draus", 2, id="de"),
    ],
)
def test_setting_a_quantity_sets_the_line_of_the_product_in_focus(
    state: DialogueState, locale: str, message: str, quantity: int
) -> None:
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == (
        "add_to_basket",
        {"product": IPHONE, "quantity": quantity, "mode": "set"},
    )


@pytest.mark.parametrize(
    ("locale", "message", "quantity"),
    [
        pytest.param("en", "one more", 1, id="en-one"),
        pytest.param("en", "2 more", 2, id="en-two"),
        pytest.param("es", "otro más", 1, id="es"),
        pytest.param("fr", "encore un", 1, id="fr"),
        pytest.param("de", "noch eins", 1, id="de"),
        pytest.param("de", "noch 2", 2, id="de-two"),
    ],
)
def test_one_more_adds_units_of_the_product_in_focus(
    state: DialogueState, locale: str, message: str, quantity: int
) -> None:
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == ("add_to_basket", {"product": IPHONE, "quantity": quantity})


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        pytest.param("en", "one less", id="en"),
        pytest.param("es", "uno menos", id="es"),
        pytest.param("fr", "un de moins", id="fr"),
        pytest.param("de", "eins weniger", id="de"),
    ],
)
def test_one_less_takes_one_unit_out(state: DialogueState, locale: str, message: str) -> None:
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == ("remove_from_basket", {"product": IPHONE, "quantity": 1})


def test_a_set_phrasing_in_an_add_request_sets_instead_of_adding(state: DialogueState) -> None:
    analysis = matched("add_to_basket", product="it", quantity=2)
    run = only_run(decide(state, analysis, "mejor que sean 2", SHOPPER, "es"))
    assert run.slots["mode"] == "set" and run.slots["quantity"] == 2


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        pytest.param("en", "never mind", id="en"),
        pytest.param("es", "déjalo", id="es"),
        pytest.param("fr", "laisse tomber", id="fr"),
        pytest.param("de", "vergiss es", id="de"),
    ],
)
def test_never_mind_with_nothing_open_claims_no_cancellation(
    state: DialogueState, locale: str, message: str
) -> None:
    decision = decide(state, unknown(), message, SHOPPER, locale)
    assert decision.steps == (Say("nothing_to_cancel"),)


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        pytest.param("en", "never mind", id="en"),
        pytest.param("es", "olvídalo", id="es"),
        pytest.param("fr", "laissez tomber", id="fr"),
        pytest.param("de", "lass es", id="de"),
    ],
)
def test_never_mind_drops_the_open_question(
    state: DialogueState, locale: str, message: str
) -> None:
    state.pending = Pending("email", "get_payment_link", {"channel": "email"}, "u1", slot="email")
    decision = decide(state, unknown(), message, SHOPPER, locale)
    assert decision.steps == (Say("cancelled"),)
    assert decision.intent == "get_payment_link"


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        pytest.param("en", "empty my basket", id="en"),
        pytest.param("es", "vacía el carrito", id="es"),
        pytest.param("fr", "videz mon panier", id="fr"),
        pytest.param("de", "Warenkorb leeren", id="de"),
    ],
)
def test_emptying_the_basket_takes_every_line(
    state: DialogueState, locale: str, message: str
) -> None:
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == ("remove_from_basket", {"all": True})


@pytest.mark.parametrize(
    ("locale", "message", "line"),
    [
        pytest.param("en", "forget the case", "21", id="en"),
        pytest.param("es", "olvida la t-shirt", "20", id="es"),
        pytest.param("fr", "oubliez le t-shirt", "20", id="fr"),
        pytest.param("de", "vergiss das T-Shirt", "20", id="de"),
    ],
)
def test_forget_the_x_takes_that_line_out(
    state: DialogueState, locale: str, message: str, line: str
) -> None:
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == ("remove_from_basket", {"product": line})


@pytest.mark.parametrize(
    ("locale", "message", "changed"),
    [
        pytest.param("en", "and in red?", {"color": "red"}, id="en-red"),
        pytest.param("en", "same in size 42", {"size": "42"}, id="en-size"),
        pytest.param("es", "¿y en rojo?", {"color": "red"}, id="es"),
        pytest.param("fr", "et en rouge ?", {"color": "red"}, id="fr"),
        pytest.param("de", "und in Rot?", {"color": "red"}, id="de"),
    ],
)
def test_and_in_red_runs_the_last_search_again_with_that_change(
    state: DialogueState, locale: str, message: str, changed: dict[str, str]
) -> None:
    state.previous = PreviousRequest("search_products", {"query": "sneakers"})
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == ("search_products", {"query": "sneakers", **changed})


def test_and_in_red_read_as_a_bare_colour_search_keeps_the_last_query(
    state: DialogueState,
) -> None:
    state.previous = PreviousRequest("search_products", {"query": "sneakers", "size": "42"})
    run = only_run(
        decide(state, matched("search_products", color="red"), "and red?", SHOPPER, "en")
    )
    assert run.slots == {"query": "sneakers", "size": "42", "color": "red"}


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        pytest.param("en", "no, the red one", id="en"),
        pytest.param("es", "no, el rojo", id="es"),
        pytest.param("fr", "non, le rouge", id="fr"),
        pytest.param("de", "nein, das rote", id="de"),
    ],
)
def test_no_the_red_one_replaces_the_product_just_added(
    state: DialogueState, locale: str, message: str
) -> None:
    state.previous = PreviousRequest("add_to_basket", {"product": "21", "quantity": 1})
    decision = decide(state, unknown(), message, SHOPPER, locale)
    assert decision.steps == (
        Run("remove_from_basket", {"product": "21"}),
        Run("add_to_basket", {"product": REDMI, "quantity": 1}),
    )


def test_actually_3_corrects_the_quantity(state: DialogueState) -> None:
    state.previous = PreviousRequest("add_to_basket", {"product": IPHONE, "quantity": 1})
    run = only_run(decide(state, unknown(), "actually 3", SHOPPER, "en"))
    assert run.slots == {"product": IPHONE, "quantity": 3, "mode": "set"}


@pytest.mark.parametrize(
    ("locale", "message", "expected"),
    [
        pytest.param("en", "2", ULTRA, id="number"),
        pytest.param("en", "the second", ULTRA, id="en-ordinal"),
        pytest.param("es", "el segundo", ULTRA, id="es-ordinal"),
        pytest.param("fr", "le premier", PRO, id="fr-ordinal"),
        pytest.param("de", "der erste", PRO, id="de-ordinal"),
        pytest.param("en", "the pro", PRO, id="partial-name"),
        pytest.param("es", "el morado", ULTRA, id="colour"),
        pytest.param("de", "das Ultra bitte", ULTRA, id="name-with-words-around"),
    ],
)
def test_an_answer_to_which_one_picks_among_the_numbered_options(
    listing: list[Item], state: DialogueState, locale: str, message: str, expected: str
) -> None:
    state.pending = Pending(
        "product", "add_to_basket", {"quantity": 1}, "u1", candidates=(listing[1], listing[2])
    )
    decision = decide(state, unknown(), message, SHOPPER, locale)
    run = only_run(decision)
    assert (run.intent, run.slots) == ("add_to_basket", {"quantity": 1, "product": expected})
    assert decision.via == "answer"


@pytest.mark.parametrize(
    ("locale", "yes", "no"),
    [
        pytest.param("en", "yes please", "no", id="en"),
        pytest.param("es", "sí, claro", "no", id="es"),
        pytest.param("fr", "oui", "non merci", id="fr"),
        pytest.param("de", "ja, bitte", "nein", id="de"),
    ],
)
def test_a_yes_or_a_no_answers_a_confirmation_in_each_language(
    state: DialogueState, locale: str, yes: str, no: str
) -> None:
    pending = Pending("confirm", "delete_product", {"product": "Blue Mug"}, "u1", admin=True)
    state.pending = pending
    confirmed = only_run(decide(state, unknown(), yes, ADMIN, locale))
    assert confirmed.confirmed and confirmed.intent == "delete_product"
    state.pending = pending
    assert decide(state, unknown(), no, ADMIN, locale).steps == (Say("cancelled"),)


def test_a_shoppers_yes_does_not_confirm_an_admin_action(state: DialogueState) -> None:
    state.pending = Pending("confirm", "delete_product", {"product": "Blue Mug"}, "u1", admin=True)
    decision = decide(state, matched("affirm"), "yes", SHOPPER, "en")
    assert not any(isinstance(s, Run) and s.confirmed for s in decision.steps)


def test_another_identity_cannot_answer_the_question(state: DialogueState) -> None:
    state.pending = Pending("confirm", "delete_product", {"product": "Blue Mug"}, "u1", admin=True)
    decision = decide(state, matched("affirm"), "yes", Speaker("u2", admin=True), "en")
    assert not any(isinstance(s, Run) and s.confirmed for s in decision.steps)


@pytest.mark.parametrize(
    ("locale", "message", "quantity"),
    [
        pytest.param("en", "ok", 3, id="en-ok"),
        pytest.param("en", "ok then 2 of them", 2, id="en-number"),
        pytest.param("es", "vale, pues 3", 3, id="es"),
        pytest.param("fr", "d'accord", 3, id="fr"),
        pytest.param("de", "ja", 3, id="de"),
    ],
)
def test_an_answer_to_a_stock_offer_completes_it(
    state: DialogueState, locale: str, message: str, quantity: int
) -> None:
    state.pending = Pending(
        "stock_offer", "add_to_basket", {"product": REDMI, "quantity": 5}, "u1", available=3
    )
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == ("add_to_basket", {"product": REDMI, "quantity": quantity})


@pytest.mark.parametrize(
    ("locale", "message", "phone"),
    [
        pytest.param("en", "07911 123456", "+447911123456", id="en-local"),
        pytest.param("es", "es el 612 34 56 78", "+34612345678", id="es-local"),
        pytest.param("fr", "06 12 34 56 78", "+33612345678", id="fr-local"),
        pytest.param("de", "0151 2345678", "+491512345678", id="de-local"),
        pytest.param("fr", "+34 612 345 678", "+34612345678", id="international"),
    ],
)
def test_a_phone_number_answers_in_local_or_international_notation(
    state: DialogueState, locale: str, message: str, phone: str
) -> None:
    state.pending = Pending("phone", "get_payment_link", {"channel": "sms"}, "u1", slot="phone")
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert run.slots == {"channel": "sms", "phone": phone}


def test_an_email_answers_whatever_surrounds_it(state: DialogueState) -> None:
    state.pending = Pending("email", "get_payment_link", {"channel": "email"}, "u1", slot="email")
    run = only_run(decide(state, unknown(), "sure, it's bob@example.com thanks", SHOPPER, "en"))
    assert run.slots == {"channel": "email", "email": "bob@example.com"}


@pytest.mark.parametrize(
    ("locale", "message", "order_id"),
    [
        pytest.param("en", "40512 still hasn't come", "40512", id="en-digits"),
        pytest.param("en", "just paid, can you check ORD-4F2A9B11C0?", "ORD-4F2A9B11C0", id="en"),
        pytest.param("es", "mi pedido 40512 no ha llegado", "40512", id="es"),
        pytest.param("fr", "où en est ma commande ORD-AB12CD34EF ?", "ORD-AB12CD34EF", id="fr"),
        pytest.param("de", "wo ist meine Bestellung 40512", "40512", id="de"),
    ],
)
def test_an_order_number_anywhere_asks_for_that_order(
    state: DialogueState, locale: str, message: str, order_id: str
) -> None:
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == (
        "answer_question",
        {"topic": "order_status", "order_id": order_id},
    )


def test_an_order_slot_holding_the_sentence_is_cut_to_the_number(state: DialogueState) -> None:
    analysis = matched("answer_question", topic="order_status", order_id="40512 still hasn't come")
    run = only_run(decide(state, analysis, "order 40512 still hasn't come", SHOPPER, "en"))
    assert run.slots["order_id"] == "40512"


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        pytest.param("it in purple", IPHONE, id="pronoun-with-colour"),
        pytest.param("cheapest one", REDMI, id="superlative"),
        pytest.param("the ultra", ULTRA, id="partial-name"),
    ],
)
def test_a_product_slot_becomes_the_product_it_points_at(
    state: DialogueState, product: str, expected: str
) -> None:
    run = only_run(decide(state, matched("add_to_basket", product=product), "", SHOPPER, "en"))
    assert run.slots == {"product": expected}
    assert run.mapping is None  # the slots changed: the mapping is asked again


def test_an_ambiguous_pick_is_a_numbered_question_not_a_guess(state: DialogueState) -> None:
    decision = decide(state, matched("add_to_basket", product="the black one"), "", SHOPPER, "en")
    (ask,) = decision.steps
    assert isinstance(ask, Ask) and ask.key == "ask_which"
    assert ask.params["options"] == "1. Apple iPhone 15; 2. Apple iPhone 15 Pro"
    assert [c.id for c in ask.pending.candidates] == [IPHONE, PRO]


def test_a_bare_partial_name_after_a_listing_shows_that_product(state: DialogueState) -> None:
    run = only_run(decide(state, unknown(), "the pro", SHOPPER, "en"))
    assert (run.intent, run.slots) == ("get_product_info", {"product": PRO})


def test_a_request_the_state_adds_nothing_to_keeps_its_mapping(state: DialogueState) -> None:
    analysis = matched("search_products", query="headphones")
    run = only_run(decide(state, analysis, "do you have headphones?", SHOPPER, "en"))
    assert run.mapping == {"call": "as analysed"}


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        pytest.param("en", "put that one in", id="en"),
        pytest.param("es", "añádelo", id="es-clitic"),
        pytest.param("es", "lo quiero", id="es"),
        pytest.param("fr", "prends-le", id="fr-imperative"),
        pytest.param("fr", "je le prends", id="fr"),
        pytest.param("de", "nimm den", id="de-imperative"),
        pytest.param("de", "das nehme ich", id="de"),
    ],
)
def test_taking_it_adds_the_product_in_focus_even_unclassified(
    state: DialogueState, locale: str, message: str
) -> None:
    run = only_run(decide(state, unknown(), message, SHOPPER, locale))
    assert (run.intent, run.slots) == ("add_to_basket", {"product": IPHONE})


def test_a_bare_number_after_asking_about_an_order_is_the_order_number(
    state: DialogueState,
) -> None:
    state.previous = PreviousRequest("answer_question", {"topic": "order_status"})
    run = only_run(decide(state, unknown(), "40512", SHOPPER, "en"))
    assert run.slots == {"topic": "order_status", "order_id": "40512"}


def test_no_the_blue_one_when_two_are_blue_asks_which(state: DialogueState) -> None:
    state.previous = PreviousRequest("get_product_info", {"product": REDMI})
    (ask,) = decide(state, unknown(), "no, the blue one", SHOPPER, "en").steps
    assert isinstance(ask, Ask) and ask.pending.intent == "get_product_info"
    assert [c.id for c in ask.pending.candidates] == [IPHONE, PRO]


@pytest.mark.parametrize(
    ("message", "cancelled"),
    [
        pytest.param("no", True, id="a-bare-no-drops-it"),
        pytest.param("no, the pro", False, id="no-with-a-pick-answers-it"),
    ],
)
def test_no_to_which_one(
    listing: list[Item], state: DialogueState, message: str, cancelled: bool
) -> None:
    state.pending = Pending("product", "add_to_basket", {}, "u1", candidates=tuple(listing[:3]))
    decision = decide(state, matched("deny"), message, SHOPPER, "en")
    assert (decision.steps == (Say("cancelled"),)) is cancelled
    if not cancelled:
        assert only_run(decision).slots == {"product": PRO}
