"""Answers held to the contract, and the words of the message each slot value came from."""

from __future__ import annotations

from typing import Any

import pytest

from engine.ai import InvalidAnswerError, locate_slots, validate_answer
from engine.ai._providers import retry_after_seconds
from engine.ai._resilience import CircuitBreaker
from engine.contract import INTENTS


def check(engine, answer: dict[str, Any]) -> dict[str, object]:
    return validate_answer(answer, provider="test", model="m", compiled=engine.compiled("es")).slots


def test_values_of_every_type_pass_and_are_normalized(engine) -> None:
    slots = check(
        engine,
        {
            "intent": "search_products",
            "slots": {
                "query": " fundas ",
                "color": "red",
                "max_price": {"amount": 50000, "currency": "EUR"},
                "category": "audio",
                "size": None,
            },
            "confidence": 1,
        },
    )
    assert slots == {
        "query": "fundas",
        "color": "red",
        "max_price": {"amount": 50000, "currency": "EUR"},
        "category": "audio",
    }
    contact = {"email": "Ana@Example.COM", "phone": "+34 600 123 456", "channel": "email"}
    assert check(engine, {"intent": "get_payment_link", "slots": contact, "confidence": 0.5}) == {
        "email": "ana@example.com",
        "phone": "+34600123456",
        "channel": "email",
    }


@pytest.mark.parametrize(
    ("intent", "slots", "confidence"),
    [
        pytest.param("order_pizza", {}, 0.9, id="intent-outside-the-contract"),
        pytest.param(None, {}, 0.9, id="intent-not-a-string"),
        pytest.param("get_basket", {"product": "x"}, 0.9, id="slot-of-another-intent"),
        pytest.param("add_to_basket", {"quantity": 2.5}, 0.9, id="number-as-float"),
        pytest.param("add_to_basket", {"quantity": True}, 0.9, id="number-as-bool"),
        pytest.param("add_to_basket", {"quantity": -1}, 0.9, id="negative-number"),
        pytest.param("add_to_basket", {"product": ""}, 0.9, id="empty-text"),
        pytest.param("search_products", {"max_price": 500}, 0.9, id="money-as-number"),
        pytest.param(
            "search_products",
            {"max_price": {"amount": 5.5, "currency": "EUR"}},
            0.9,
            id="money-amount-not-minor-units",
        ),
        pytest.param(
            "search_products",
            {"max_price": {"amount": 500, "currency": "euro"}},
            0.9,
            id="money-currency-not-iso",
        ),
        pytest.param("search_products", {"color": "rojo"}, 0.9, id="list-synonym"),
        pytest.param("answer_question", {"topic": "weather"}, 0.9, id="list-unknown-value"),
        pytest.param("get_payment_link", {"email": "not-an-email"}, 0.9, id="email"),
        pytest.param("get_payment_link", {"phone": "12"}, 0.9, id="phone"),
        pytest.param("greet", {}, 1.5, id="confidence-above-1"),
        pytest.param("greet", {}, "high", id="confidence-not-a-number"),
        pytest.param("greet", [], 0.9, id="slots-not-an-object"),
    ],
)
def test_an_answer_outside_the_contract_raises_naming_the_problem(
    engine, intent, slots, confidence
) -> None:
    with pytest.raises(InvalidAnswerError, match="test: "):
        check(engine, {"intent": intent, "slots": slots, "confidence": confidence})


def test_an_answer_that_is_not_an_object_raises() -> None:
    with pytest.raises(InvalidAnswerError, match="not an object"):
        validate_answer(["greet"], provider="test", model="m", compiled=None)


def test_slot_values_are_found_in_the_words_the_shopper_wrote(engine) -> None:
    text = "Quiero DOS fundas azules de menos de 20 €"
    types = {"quantity": "number", "product": "text", "color": "color", "max_price": "money"}
    slots = {
        "quantity": 2,
        "product": "fundas",
        "color": "blue",
        "max_price": {"amount": 2000, "currency": "EUR"},
    }

    spans = locate_slots(text, slots, types, engine.compiled("es"))

    assert {name: text[a:b] for name, (a, b) in spans.items()} == {
        "quantity": "DOS",
        "product": "fundas",
        "color": "azules",
        "max_price": "20 €",
    }


def test_a_value_the_message_does_not_contain_has_no_span(engine) -> None:
    spans = locate_slots(
        "mete eso", {"product": "funda"}, INTENTS["add_to_basket"], engine.compiled("es")
    )
    assert spans == {}


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        pytest.param({"retry-after": "2"}, 2.0, id="seconds"),
        pytest.param({"retry-after-ms": "250", "retry-after": "9"}, 0.25, id="milliseconds-first"),
        pytest.param({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, 10.0, id="http-date"),
        pytest.param({}, None, id="absent"),
        pytest.param({"retry-after": "soon"}, None, id="unreadable"),
    ],
)
def test_retry_after_is_read_in_every_form_servers_send(headers, seconds) -> None:
    now = 1445412480.0  # 07:28:00 that day
    assert retry_after_seconds(headers, now=now) == seconds


def test_a_breaker_allows_one_trial_when_half_open() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=1, cooldown=10, clock=lambda: now[0])
    breaker.record_failure()
    assert not breaker.allow()

    now[0] = 10.0
    assert (breaker.state, breaker.allow(), breaker.allow()) == ("half-open", True, False)
    breaker.record_success()
    assert (breaker.state, breaker.allow()) == ("closed", True)
