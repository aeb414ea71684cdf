"""Each conversation speaks as a shopper of its channel, with an address of its own per run."""

from __future__ import annotations

import phonenumbers
import pytest

from shopmcp.evaluation.corpus import Conversation
from shopmcp.evaluation.runner import user_id


def conversation(client: str, locale: str = "es", country: str | None = None) -> Conversation:
    return Conversation("c-1", locale, client, "g", (), {"turns": [1]}, country=country)


@pytest.mark.parametrize(
    ("locale", "region"), [("en", "GB"), ("es", "ES"), ("fr", "FR"), ("de", "DE")]
)
def test_sms_shoppers_have_a_valid_mobile_number_of_their_locales_country(
    locale: str, region: str
) -> None:
    number = phonenumbers.parse(user_id(conversation("sms", locale), "run-1"))
    assert phonenumbers.is_valid_number(number)
    assert phonenumbers.region_code_for_number(number) == region


def test_whatsapp_ids_are_digits_and_instagram_ids_are_prefixed() -> None:
    assert user_id(conversation("whatsapp", country="1"), "run-1").isdigit()
    assert user_id(conversation("instagram"), "run-1").startswith("instagram:")


def test_every_run_gets_new_users() -> None:
    for client in ("web-storefront", "mobile", "whatsapp", "instagram", "sms"):
        assert user_id(conversation(client), "run-1") != user_id(conversation(client), "run-2")
