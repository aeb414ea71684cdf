"""How long a conversation is kept: throw-away user ids must not pile up for a week."""

from __future__ import annotations

from server.store import CONVERSATION_TTL_SECONDS, NEW_CONVERSATION_TTL_SECONDS, Conversation


def _after(*texts: str) -> Conversation:
    conversation = Conversation("ttl-test")
    for text in texts:
        conversation.add_turn("user", text)
        conversation.add_turn("assistant", "…")
    return conversation


def test_a_conversation_of_one_exchange_is_kept_an_hour() -> None:
    assert _after("hi").ttl_seconds == NEW_CONVERSATION_TTL_SECONDS == 3600


def test_a_second_exchange_a_basket_or_a_pending_question_keeps_it_a_week() -> None:
    with_basket = _after("add an iphone")
    with_basket.basket_id = "b-1"
    pending = _after("delete product Blue Mug")
    pending.pending = {"intent": "delete_product"}
    for conversation in (_after("hi", "do you have iphone?"), with_basket, pending):
        assert conversation.ttl_seconds == CONVERSATION_TTL_SECONDS
