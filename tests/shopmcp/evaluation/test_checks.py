"""The corpus checks must fail on a wrong reply and pass on a right one, or the figures mean nothing."""

from __future__ import annotations

from typing import Any

import pytest

from shopmcp.evaluation.checks import State, done_problems, generic_problems, turn_problems
from shopmcp.evaluation.corpus import Conversation, Turn


def conversation(locale: str = "en", client: str = "web-storefront", **done: Any) -> Conversation:
    return Conversation("c-1", locale, client, "a goal", (), done or {"turns": [1]})


def turn(intent: str = "add_to_basket", **checks: Any) -> Turn:
    return Turn("a message", (intent,), checks)


def reply(response: str = "Done.", intent: str = "add_to_basket", locale: str = "en", **data: Any):
    return {"response": response, "intent": intent, "locale": locale, "data": data}


def basket(*lines: tuple[str, int]) -> dict[str, Any]:
    return {"lines": [{"name": n, "sku": n.upper(), "quantity": q} for n, q in lines]}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("unknown_product: no product called 'it'", id="snake-case-code"),
        pytest.param("Error executing tool add_to_basket: boom", id="sdk-prefix"),
        pytest.param('Traceback (most recent call last):\n  File "x.py", line 3', id="traceback"),
        pytest.param("Your basket: None", id="none"),
        pytest.param("Hello {name}", id="braces"),
    ],
)
def test_a_reply_that_leaks_internals_fails_the_generic_checks(text: str) -> None:
    assert any(p.startswith("no_raw_code") for p in generic_problems(reply(text), "whatsapp"))


def test_an_email_with_an_underscore_is_not_an_internal_code() -> None:
    text = "I've sent the payment link to pedro_ruiz@example.com: https://shop.test/checkout/a_b"
    assert generic_problems(reply(text), "web-storefront") == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Added to your basket 🛒", id="emoji"),
        pytest.param("Added *JBL Flip 6* to your basket", id="bold"),
    ],
)
def test_an_sms_reply_with_emoji_or_markup_fails(text: str) -> None:
    assert any(p.startswith("sms") for p in generic_problems(reply(text), "sms"))
    assert not any(p.startswith("sms") for p in generic_problems(reply(text), "whatsapp"))


def test_the_wrong_intent_fails_the_turn() -> None:
    problems = turn_problems(turn("get_basket"), reply(intent="unknown"), State(), conversation())
    assert problems == ["intent: unknown, expected get_basket"]


def test_a_reply_in_another_locale_fails_the_language_check() -> None:
    problems = turn_problems(turn(), reply(locale="en"), State(), conversation("es"))
    assert any("locale is en, expected es" in p for p in problems)


def test_an_english_sentence_in_a_spanish_reply_fails_but_a_spanish_one_passes() -> None:
    mixed = reply("¡Hecho! Lo he añadido a tu carrito. Which one did you mean?", locale="es")
    clean = reply(
        "¡Hecho! He añadido 1 × Altavoz Bluetooth JBL Flip 6 a tu carrito.",
        locale="es",
        basket=basket(("Altavoz Bluetooth JBL Flip 6", 1)),
    )
    assert any("English" in p for p in turn_problems(turn(), mixed, State(), conversation("es")))
    assert turn_problems(turn(), clean, State(), conversation("es")) == []


def test_the_basket_must_hold_exactly_the_expected_lines() -> None:
    want = turn(basket={"Flip 6": 2})
    right = reply(basket=basket(("JBL Flip 6 Bluetooth Speaker", 2)))
    wrong_quantity = reply(basket=basket(("JBL Flip 6 Bluetooth Speaker", 3)))
    extra_line = reply(
        basket=basket(("JBL Flip 6 Bluetooth Speaker", 2), ("Apple 20W USB-C Charger", 1))
    )
    assert turn_problems(want, right, State(), conversation()) == []
    assert turn_problems(want, wrong_quantity, State(), conversation())
    assert turn_problems(want, extra_line, State(), conversation())


def test_a_reply_without_a_basket_is_judged_on_the_last_basket_shown() -> None:
    state = State(basket=basket(("JBL Flip 6 Bluetooth Speaker", 1))["lines"])
    assert turn_problems(turn(basket={"Flip 6": 2}), reply(), state, conversation())
    assert turn_problems(turn(basket={"Flip 6": 1}), reply(), state, conversation()) == []


def test_picked_names_the_product_the_reply_acted_on() -> None:
    state = State(basket=basket(("Apple iPhone 15", 1))["lines"])
    added = reply(basket=basket(("Apple iPhone 15", 1), ("Apple iPhone 15 Pro", 1)))
    assert turn_problems(turn(picked="iPhone 15 Pro"), added, state, conversation()) == []
    assert turn_problems(turn(picked="Galaxy"), added, state, conversation())
    shown = reply(
        intent="get_product_info", product={"name": "Google Pixel 8", "sku": "GOO-PIX8-128"}
    )
    assert (
        turn_problems(
            turn("get_product_info", picked="GOO-PIX8-128"), shown, State(), conversation()
        )
        == []
    )


def test_a_payment_link_is_required_or_forbidden() -> None:
    link = {"url": "http://shop.test/checkout/abc", "amount": 100, "currency": "EUR"}
    with_link = reply(intent="get_payment_link", payment_link=link)
    without = reply(intent="get_payment_link")
    assert turn_problems(
        turn("get_payment_link", payment_url=True), without, State(), conversation()
    )
    assert turn_problems(
        turn("get_payment_link", payment_url=False), with_link, State(), conversation()
    )
    assert (
        turn_problems(
            turn("get_payment_link", payment_url=True), with_link, State(), conversation()
        )
        == []
    )


def test_a_delivery_must_go_to_the_address_asked_for() -> None:
    sent = reply(
        intent="get_payment_link",
        delivery={"channel": "email", "to": "ana@example.com", "status": "sent"},
    )
    check = turn("get_payment_link", delivered_to="ana.work@example.org")
    assert turn_problems(check, sent, State(), conversation())
    check = turn("get_payment_link", delivered_to="ana@example.com")
    assert turn_problems(check, sent, State(), conversation()) == []
    assert turn_problems(check, sent, State(), conversation(), inbox=["bob@example.com"])


def test_a_phone_delivery_compares_the_digits() -> None:
    sent = reply(
        intent="get_payment_link",
        delivery={"channel": "sms", "to": "+34612345678", "status": "stored"},
    )
    check = turn("get_payment_link", delivered_to="+34 612 345 678")
    assert turn_problems(check, sent, State(), conversation()) == []


def test_reply_contains_reads_prices_whatever_the_spaces() -> None:
    french = reply(
        "L'Apple iPhone 15 Pro coûte 1\u202f329,00\u00a0€.", intent="get_product_info", locale="fr"
    )
    check = turn("get_product_info", reply_contains_any=["1 329"])
    assert turn_problems(check, french, State(), conversation("fr")) == []
    check = turn("get_product_info", reply_contains_any=["959"])
    assert turn_problems(check, french, State(), conversation("fr"))


def test_placeholders_in_checks_take_the_paid_order() -> None:
    state = State(variables={"order_id": "ORD-ABC123"})
    check = turn("answer_question", reply_contains_all=["{order_id}"])
    assert (
        turn_problems(
            check, reply("Order ORD-ABC123 is paid.", "answer_question"), state, conversation()
        )
        == []
    )
    assert turn_problems(
        check, reply("Send me your order number.", "answer_question"), state, conversation()
    )


def test_the_goal_needs_a_link_for_the_final_basket() -> None:
    goal = conversation(basket={"Flip 6": 2}, payment_url=True)
    lines = basket(("JBL Flip 6 Bluetooth Speaker", 2))["lines"]
    stale = State(
        basket=lines,
        link_url="http://x/checkout/1",
        link_basket=[("JBL Flip 6 Bluetooth Speaker", 1)],
    )
    fresh = State(
        basket=lines,
        link_url="http://x/checkout/1",
        link_basket=[("JBL Flip 6 Bluetooth Speaker", 2)],
    )
    assert done_problems(goal, stale, []) == [
        "done.payment_url: the last payment link was for another basket"
    ]
    assert done_problems(goal, fresh, []) == []


def test_the_goal_fails_when_a_key_turn_failed_or_nothing_was_paid() -> None:
    assert done_problems(conversation(turns=[2]), State(), [True, False])
    assert done_problems(conversation(paid=True), State(), [])
    assert done_problems(conversation(paid=True), State(paid_order="ORD-1"), []) == []
