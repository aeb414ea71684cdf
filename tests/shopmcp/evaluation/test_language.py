"""The English-sentence detector flags English in es/fr/de replies and leaves the shop's own texts alone."""

from __future__ import annotations

import pytest

from commerce._policies import POLICIES
from shopmcp.evaluation.language import english_sentences


@pytest.mark.parametrize("locale", ["es", "fr", "de"])
@pytest.mark.parametrize("topic", sorted(POLICIES))
def test_the_shops_policy_answers_have_no_english_sentence(locale: str, topic: str) -> None:
    assert english_sentences(POLICIES[topic][locale], locale) == []


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("es", "Perdona, no te he entendido. Sorry, I didn't quite get that."),
        ("fr", "Voici votre panier. Your basket comes to €59.98."),
        ("de", "Gibt es in black und grey."),
        ("de", "Welches meinst du? Which one?"),
        ("es", "unknown_product: no product called 'x'; search the catalog to find it"),
    ],
)
def test_an_english_sentence_is_flagged(locale: str, text: str) -> None:
    assert english_sentences(text, locale)


def test_product_names_and_addresses_do_not_count_as_english() -> None:
    text = "He añadido Kit de iluminación inteligente Philips Hue White and Color a tu carrito."
    names = ["Kit de iluminación inteligente Philips Hue White and Color"]
    assert english_sentences(text, "es", names) == []
    assert english_sentences("Enlace enviado a the.best.shop@example.com.", "es") == []


def test_english_replies_are_never_flagged() -> None:
    assert english_sentences("Here's what I found.", "en") == []
