"""What the orchestrator says, through the four real MCP servers: in the shopper's language, fit
for the channel, never a raw code, and the payment link delivered where it was asked for."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from server.formatter import is_gsm7
from server.orchestrator import Orchestrator
from server.pool import McpPool, server_parameters
from server.store import MemoryStore
from server.texts import text
from server.types import ClientType, InboundMessage, Reply
from shopmcp.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

TURN_LIMIT = 30
"""One turn is a few local tool calls; 30 s covers the servers starting on a loaded 2-core box."""
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+:")
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
async def orchestrator(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Orchestrator]:
    data: Path = tmp_path_factory.mktemp("shop")
    settings = Settings(data_dir=data, public_base_url="https://shop.example")
    async with McpPool(server_parameters(settings), ready_wait=20) as pool:
        yield Orchestrator(pool, MemoryStore())


class Chat:
    """One user's turns with the orchestrator."""

    def __init__(
        self, orchestrator: Orchestrator, client: ClientType = "web-storefront", **extra: Any
    ) -> None:
        self.orchestrator = orchestrator
        self.user = f"replies-{uuid.uuid4().hex[:10]}"
        self.client = client
        self.extra = extra

    async def say(self, message: str, locale: str | None = None) -> Reply:
        with anyio.fail_after(TURN_LIMIT):
            reply = await self.orchestrator(
                InboundMessage(
                    user_id=self.user,
                    text=message,
                    client_type=self.client,
                    locale=locale,
                    **self.extra,
                )
            )
        assert not RAW_CODE.search(reply.response), reply.response
        assert "None" not in reply.response and "{" not in reply.response
        return reply


async def outbox(orchestrator: Orchestrator, to: str) -> list[dict[str, Any]]:
    result = await orchestrator.pool.call("notifications", "list_outbox", {"to": to})
    assert result.structured_content is not None
    return list(result.structured_content["entries"])


@pytest.mark.parametrize("locale", ["en", "es", "fr", "de"])
async def test_a_no_with_nothing_pending_cancels_nothing(
    orchestrator: Orchestrator, locale: str
) -> None:
    no = {"en": "no", "es": "no", "fr": "non", "de": "nein"}[locale]
    reply = await Chat(orchestrator).say(no, locale)
    assert reply.response == text("nothing_to_cancel", locale)
    assert reply.response != text("cancelled", locale)


@pytest.mark.parametrize(
    ("message", "locale"), [("what's in my basket?", "en"), ("ver mi carrito", "es")]
)
async def test_an_empty_basket_is_called_empty_not_a_payment_link(
    orchestrator: Orchestrator, message: str, locale: str
) -> None:
    reply = await Chat(orchestrator).say(message, locale)
    assert reply.response == text("basket_empty", locale)


async def test_an_unknown_product_is_said_in_spanish(orchestrator: Orchestrator) -> None:
    reply = await Chat(orchestrator, "whatsapp").say("agrega condensador de flujo al carrito", "es")
    assert reply.response.startswith("No encuentro ningún producto llamado")
    assert reply.data["error"] == "unknown_product"


async def test_a_sold_out_product_is_said_in_french(orchestrator: Orchestrator) -> None:
    reply = await Chat(orchestrator).say("ajoute Sony Alpha 7 IV au panier", "fr")
    assert reply.data["error"] == "out_of_stock" and reply.data["available"] == 0
    assert "épuisé" in reply.response


async def test_a_second_address_gets_its_own_delivery_and_no_reply_names_the_first(
    orchestrator: Orchestrator,
) -> None:
    chat = Chat(orchestrator)
    first, second = f"{chat.user}-a@example.com", f"{chat.user}-b@example.com"
    await chat.say("add JBL Flip 6 to my basket", "en")
    sent = await chat.say(f"send me the payment link by email to {first}", "en")
    assert sent.data["delivery"]["to"] == first
    again = await chat.say(f"send me the payment link by email to {second}", "en")
    assert again.data["delivery"]["to"] == second and again.data["delivery"]["status"] == "stored"
    assert second in again.response and first not in again.response
    assert [e["to"] for e in await outbox(orchestrator, second)] == [second]
    assert len(await outbox(orchestrator, first)) == 1


async def test_asking_again_for_the_same_address_sends_once(orchestrator: Orchestrator) -> None:
    chat = Chat(orchestrator)
    address = f"{chat.user}@example.com"
    await chat.say("add JBL Flip 6 to my basket", "en")
    await chat.say(f"send me the payment link by email to {address}", "en")
    again = await chat.say(f"send me the payment link by email to {address}", "en")
    assert again.data["delivery"]["duplicate"] is True
    assert len(await outbox(orchestrator, address)) == 1


@pytest.mark.parametrize(
    "message", ["hi!", "do you have headphones?", "add JBL Flip 6 to my basket", "thanks"]
)
async def test_sms_replies_carry_no_emoji_or_markup(
    orchestrator: Orchestrator, message: str
) -> None:
    reply = await Chat(orchestrator, "sms", phone="+34612345678").say(message, "en")
    assert reply.response and is_gsm7(reply.response)
    assert not EMOJI.search(reply.response) and "*" not in reply.response


async def test_an_admin_listing_on_whatsapp_shows_the_names_in_the_admins_language(
    orchestrator: Orchestrator,
) -> None:
    reply = await Chat(orchestrator, "whatsapp", admin=True).say("listar productos", "es")
    assert reply.intent == "list_products"
    assert reply.response.startswith("Productos del catálogo")
    assert "{'" not in reply.response and "*" in reply.response


@pytest.mark.parametrize("admin", [False, True])
async def test_suggestions_offer_admin_commands_to_admins_only(
    orchestrator: Orchestrator, admin: bool
) -> None:
    result = await orchestrator.pool.call(
        "intent",
        "get_suggestions",
        {"message": "product price stock", "locale": "en", "limit": 5, "admin": admin},
    )
    assert result.structured_content is not None
    intents = {s["intent"] for s in result.structured_content["suggestions"]}
    admin_intents = {
        "create_product",
        "create_from_file",
        "list_products",
        "update_product",
        "delete_product",
    }
    assert bool(intents & admin_intents) is admin


SUGGESTED_INTENTS = {
    "suggest_add_first": "add_to_basket",
    "suggest_add_it": "add_to_basket",
    "suggest_show_basket": "get_basket",
    "suggest_pay": "get_payment_link",
}


@pytest.mark.parametrize("key", sorted(SUGGESTED_INTENTS))
@pytest.mark.parametrize("locale", ["en", "es", "fr", "de"])
async def test_every_suggestion_is_understood_as_the_request_it_offers(
    orchestrator: Orchestrator, key: str, locale: str
) -> None:
    result = await orchestrator.pool.call(
        "intent", "analyze_intent", {"message": text(key, locale), "locale": locale}
    )
    assert result.structured_content is not None
    assert result.structured_content["intent"] == SUGGESTED_INTENTS[key]


async def test_suggestions_follow_the_conversation_in_the_shoppers_language(
    orchestrator: Orchestrator,
) -> None:
    chat = Chat(orchestrator, "whatsapp")
    found = await chat.say("¿tenéis auriculares?", "es")
    assert found.suggestions == [text("suggest_add_first", "es")]
    added = await chat.say(found.suggestions[0], "es")
    assert added.intent == "add_to_basket" and added.data["basket"]["item_count"] == 1
    assert added.suggestions == [text("suggest_pay", "es")]
    again = await chat.say("¿tenéis altavoces?", "es")
    assert again.suggestions == [text("suggest_add_first", "es"), text("suggest_show_basket", "es")]


@pytest.mark.parametrize("admin", [False, True])
async def test_a_user_who_is_not_understood_is_offered_admin_commands_only_as_an_admin(
    orchestrator: Orchestrator, admin: bool
) -> None:
    """The shopper typing close to "set the price of Blue Mug to 10" was offered exactly that."""
    reply = await Chat(orchestrator, admin=admin).say("sett prize of the blue mug plz", "en")
    assert reply.intent == "unknown" and reply.suggestions
    offered = []
    for suggestion in reply.suggestions:
        result = await orchestrator.pool.call(
            "intent", "analyze_intent", {"message": suggestion, "locale": "en"}
        )
        assert result.structured_content is not None
        offered.append(result.structured_content["requests"][0]["mapping"]["admin"])
    assert any(offered) is admin


async def test_with_nothing_close_a_shopper_hears_what_can_be_done(
    orchestrator: Orchestrator,
) -> None:
    # every close phrasing of this one is an admin command
    reply = await Chat(orchestrator).say("price stock product catalog list", "en")
    assert reply.response == text("not_understood", "en")
