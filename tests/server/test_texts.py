"""server/texts.py: every sentence in every locale, with the same placeholders everywhere."""

from __future__ import annotations

import string

import pytest

from engine.contract import INTENTS, LIST_VALUES, LOCALES
from server import texts
from server.locale import UnsupportedLocaleError
from server.texts import (
    KEYS,
    MissingTextParamError,
    UnknownTextError,
    color_name,
    intent_choices,
    placeholders,
    text,
)

# The keys the orchestrator was promised (issue #5), with exactly these placeholders.
PROMISED: dict[str, set[str]] = {
    "greet": set(),
    "thanks": set(),
    "goodbye": set(),
    "help_shopper": set(),
    "help_admin": set(),
    "nothing_pending": set(),
    "cancelled": set(),
    "unknown": {"suggestions"},
    "search_results": {"count"},
    "no_results": {"query"},
    "product_stock_in": {"count"},
    "product_stock_out": set(),
    "added": {"quantity", "name"},
    "removed": {"name"},
    "basket_empty": set(),
    "basket_total": {"total"},
    "payment_link": {"url"},
    "payment_link_sent": {"channel", "address"},
    "ask_quantity": {"name"},
    "ask_product": set(),
    "ask_which": {"options"},
    "ask_email": set(),
    "ask_phone": set(),
    "confirm_delete": {"name"},
    "confirm_update": {"name", "field", "value"},
    "confirm_import": {"file"},
    "done": set(),
    "admin_required": set(),
    "service_unavailable": set(),
    "rate_limited": {"seconds"},
    "out_of_stock": {"name", "available"},
    "unknown_product": {"name"},
    "ambiguous_intent": {"options"},
    "product_created": {"name"},
    "products_imported": {"created", "updated", "errors"},
    "product_updated": {"name"},
    "product_deleted": {"name"},
    "products_listed": {"count"},
    "no_basket_yet": set(),
    "which_one_ordinal": set(),
}
ALSO_PROMISED = ["product_price", "product_colors", "product_sizes", "product_shipping"]


def fields_of(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


@pytest.mark.parametrize("key", sorted(PROMISED))
def test_every_promised_key_exists_with_its_promised_placeholders(key: str) -> None:
    assert set(placeholders(key)) == PROMISED[key]


@pytest.mark.parametrize("key", ALSO_PROMISED)
def test_the_product_detail_keys_exist(key: str) -> None:
    assert key in KEYS


@pytest.mark.parametrize("key", KEYS)
def test_every_key_is_written_in_all_four_locales_with_the_same_placeholders(key: str) -> None:
    by_locale = texts._TEXTS[key]
    assert set(by_locale) == set(LOCALES)
    english = sorted(fields_of(by_locale["en"]))
    for locale in LOCALES:
        template = by_locale[locale]
        assert template == template.strip() and template, (key, locale)
        assert sorted(fields_of(template)) == english, (key, locale)
        assert all(name.isidentifier() for name in fields_of(template)), (key, locale)


def test_keys_are_sorted_and_match_the_table() -> None:
    assert list(KEYS) == sorted(texts._TEXTS)


@pytest.mark.parametrize("key", KEYS)
def test_texts_carry_no_markup_because_the_formatter_adds_it_per_channel(key: str) -> None:
    for locale in LOCALES:
        assert "*" not in texts._TEXTS[key][locale]


@pytest.mark.parametrize(
    ("locale", "formal_words"),
    [
        pytest.param("es", {"usted", "ustedes", "su", "sus"}, id="es-tu"),
        pytest.param("de", {"Sie", "Ihnen", "Ihr", "Ihre", "Ihren"}, id="de-du"),
        pytest.param("fr", {"tu", "te", "ton", "ta", "tes", "toi"}, id="fr-vous"),
    ],
)
def test_each_locale_keeps_its_register(locale: str, formal_words: set[str]) -> None:
    for key in KEYS:
        words = set(
            text(key, locale, **dict.fromkeys(placeholders(key), "X")).replace("’", " ").split()
        )
        words = {word.strip(".,!?:;¿¡«»„“”()") for word in words}
        assert not words & formal_words, (key, words & formal_words)


def test_the_outage_apology_says_sorry_and_asks_to_try_again_in_every_locale() -> None:
    sorry = {"en": "sorry", "es": "sentimos", "fr": "excuses", "de": "leid"}
    again = {"en": "try again", "es": "vuelve a intentarlo", "fr": "réessayez", "de": "noch einmal"}
    for locale in LOCALES:
        message = text("service_unavailable", locale).lower()
        assert sorry[locale] in message and again[locale] in message


def test_placeholders_are_filled_from_keyword_arguments() -> None:
    assert text("added", "en", quantity=2, name="iPhone 15") == (
        "Done! I've added 2 × iPhone 15 to your basket. 🛒"
    )
    assert (
        text("basket_total", "de", total="1.299,99 €")
        == "Dein Warenkorb kostet insgesamt 1.299,99 €."
    )


def test_braces_in_a_value_are_not_read_as_placeholders() -> None:
    assert text("unknown_product", "en", name="{name}") == (
        "I couldn't find a product called “{name}”. Could you check the name?"
    )


def test_a_regional_locale_gets_its_language() -> None:
    assert text("greet", "es-MX") == text("greet", "es")


def test_unused_params_are_ignored_so_one_call_site_can_serve_several_keys() -> None:
    assert text("ask_email", "fr", name="iPhone") == text("ask_email", "fr")


def test_an_unknown_key_raises_and_suggests_the_closest_one() -> None:
    with pytest.raises(UnknownTextError, match=r"no text 'gret'; did you mean 'greet'\?"):
        text("gret", "en")


def test_an_unknown_key_with_nothing_close_points_at_the_key_list() -> None:
    with pytest.raises(UnknownTextError, match=r"server\.texts\.KEYS"):
        text("zzzzzzzz", "en")


def test_an_unknown_key_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        placeholders("nope")


def test_an_unsupported_locale_raises_and_names_the_four_supported_ones() -> None:
    with pytest.raises(UnsupportedLocaleError, match="'pt'; use one of en, es, fr, de"):
        text("greet", "pt")


def test_a_missing_placeholder_names_what_the_key_needs_and_what_is_missing() -> None:
    with pytest.raises(MissingTextParamError, match="'added' needs quantity, name; missing name"):
        text("added", "en", quantity=1)


@pytest.mark.parametrize("list_name", ["field", "channel"])
def test_every_contract_value_a_sentence_names_has_a_text(list_name: str) -> None:
    for value in LIST_VALUES[list_name]:
        assert f"{list_name}_{value}" in KEYS


def test_every_catalog_colour_has_a_name_in_every_locale() -> None:
    from commerce import COLORS

    for color in COLORS:
        assert f"color_{color}" in KEYS
    assert color_name("navy", "es") == "azul marino"
    assert color_name("Sunset Coral", "de") == "Sunset Coral"  # a shop's own colour, as written


def test_every_request_intent_can_be_offered_in_words() -> None:
    for intent in INTENTS:
        if intent != "unknown":
            assert f"intent_{intent}" in KEYS


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "search for products or see your basket"),
        ("es", "buscar productos o ver tu carrito"),
        ("fr", "chercher des produits ou voir votre panier"),
        ("de", "nach Produkten suchen oder deinen Warenkorb sehen"),
    ],
)
def test_a_choice_between_requests_is_said_without_intent_names(locale: str, expected: str) -> None:
    assert intent_choices(["search_products", "get_basket"], locale) == expected
