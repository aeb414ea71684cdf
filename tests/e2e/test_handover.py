"""Asking for a person (`human_agent`) against the real server: the shop's contact in the
shopper's language, and the request recorded in Redis where the shop's staff read it."""

from __future__ import annotations

import anyio
import pytest
import redis.asyncio as aioredis

from server.store import RedisStore
from tests.e2e.conftest import RunningServer

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("message", "locale", "channel", "says"),
    [
        pytest.param(
            "can I talk to a person?", "en", "web-storefront", "a person will reply", id="en"
        ),
        pytest.param(
            "quiero hablar con un humano", "es", "whatsapp", "una persona te responderá", id="es"
        ),
        pytest.param("un conseiller svp", "fr", "instagram", "une personne vous répondra", id="fr"),
        pytest.param(
            "einen Mitarbeiter bitte", "de", "mobile", "Ein Mensch antwortet dir", id="de"
        ),
    ],
)
def test_asking_for_a_person_gives_the_contact_and_records_the_request(
    server: RunningServer, user: str, message: str, locale: str, channel: str, says: str
) -> None:
    with server.client() as c:
        reply = server.say(c, user, message, channel, locale=locale)
    assert (reply["intent"], reply["locale"]) == ("human_agent", locale)
    assert says in reply["response"]
    assert "support@example-shop.com" in reply["response"]  # the shop's contact text
    assert reply["data"]["handover"]["recorded"] is True
    recorded = anyio.run(_handovers, server.env["REDIS_URL"])
    mine = [r for r in recorded if r.conversation_id == reply["conversationId"]]
    assert [(r.text, r.locale, r.channel) for r in mine] == [(message, locale, channel)]


async def _handovers(url: str) -> list:
    client = aioredis.Redis.from_url(url)
    try:
        return await RedisStore(client).handovers(count=200)
    finally:
        await client.aclose()
