"""Pointing at products the way shoppers do, in each locale, against what the conversation showed."""

from __future__ import annotations

import pytest

from dialogue import DialogueState, resolve_reference

IPHONE, PRO, ULTRA, REDMI = "1", "2", "3", "4"


@pytest.mark.parametrize(
    ("locale", "phrase", "expected"),
    [
        pytest.param("en", "it", IPHONE, id="en-it"),
        pytest.param("en", "that one", IPHONE, id="en-that-one"),
        pytest.param("es", "añádelo", IPHONE, id="es-clitic"),
        pytest.param("es", "lo quiero", IPHONE, id="es-lo-quiero"),
        pytest.param("fr", "prends-le", IPHONE, id="fr-prends-le"),
        pytest.param("fr", "je le prends", IPHONE, id="fr-je-le-prends"),
        pytest.param("de", "nimm den", IPHONE, id="de-nimm-den"),
        pytest.param("de", "das nehme ich", IPHONE, id="de-das-nehme-ich"),
    ],
)
def test_a_pronoun_points_at_the_product_in_focus(
    state: DialogueState, locale: str, phrase: str, expected: str
) -> None:
    found = resolve_reference(phrase, locale, state)
    assert found.item is not None and found.item.id == expected
    assert found.text == ""


@pytest.mark.parametrize(
    ("locale", "phrase", "expected"),
    [
        pytest.param("en", "the second", PRO, id="en-second"),
        pytest.param("en", "2nd", PRO, id="en-2nd"),
        pytest.param("en", "the last one", REDMI, id="en-last"),
        pytest.param("es", "el segundo", PRO, id="es-segundo"),
        pytest.param("es", "la última", REDMI, id="es-ultima"),
        pytest.param("es", "el 3º", ULTRA, id="es-3o"),
        pytest.param("fr", "le deuxième", PRO, id="fr-deuxieme"),
        pytest.param("fr", "le 3e", ULTRA, id="fr-3e"),
        pytest.param("fr", "le dernier", REDMI, id="fr-dernier"),
        pytest.param("de", "der zweite", PRO, id="de-zweite"),
        pytest.param("de", "den letzten", REDMI, id="de-letzten"),
    ],
)
def test_an_ordinal_counts_in_the_listing(
    state: DialogueState, locale: str, phrase: str, expected: str
) -> None:
    found = resolve_reference(phrase, locale, state)
    assert found.item is not None and found.item.id == expected


def test_a_superlative_two_products_share_is_a_question(state: DialogueState) -> None:
    found = resolve_reference("the biggest", "en", state)  # two phones with 256 GB
    assert found.item is None
    assert {c.id for c in found.candidates} == {PRO, ULTRA}


def test_an_ordinal_past_the_listing_is_out_of_range(state: DialogueState) -> None:
    found = resolve_reference("the ninth", "en", state)
    assert found.item is None and found.out_of_range


@pytest.mark.parametrize(
    ("locale", "phrase", "expected"),
    [
        pytest.param("en", "the cheapest one", REDMI, id="en-cheapest"),
        pytest.param("en", "the most expensive", PRO, id="en-priciest"),
        pytest.param("en", "the newest", PRO, id="en-newest"),
        pytest.param("es", "el más barato", REDMI, id="es-barato"),
        pytest.param("es", "el más caro", PRO, id="es-caro"),
        pytest.param("fr", "le moins cher", REDMI, id="fr-moins-cher"),
        pytest.param("fr", "le plus cher", PRO, id="fr-plus-cher"),
        pytest.param("de", "das günstigste", REDMI, id="de-guenstigste"),
        pytest.param("de", "den teuersten", PRO, id="de-teuersten"),
    ],
)
def test_a_superlative_picks_by_price_model_or_storage(
    state: DialogueState, locale: str, phrase: str, expected: str
) -> None:
    found = resolve_reference(phrase, locale, state)
    assert found.item is not None and found.item.id == expected
    assert found.text == ""


@pytest.mark.parametrize(
    ("locale", "phrase", "expected"),
    [
        pytest.param("en", "the purple one", ULTRA, id="en-purple"),
        pytest.param("es", "la roja", REDMI, id="es-roja"),
        pytest.param("fr", "le violet", ULTRA, id="fr-violet"),
        pytest.param("de", "das rote", REDMI, id="de-rote"),
        pytest.param("fr", "celui en 256 Go avec l'écran le plus grand", None, id="fr-no-guess"),
    ],
)
def test_a_colour_picks_the_one_product_shown_in_it(
    state: DialogueState, locale: str, phrase: str, expected: str | None
) -> None:
    found = resolve_reference(phrase, locale, state)
    assert (found.item.id if found.item else None) == expected


@pytest.mark.parametrize(
    ("locale", "phrase"),
    [
        pytest.param("en", "the black one", id="en"),
        pytest.param("es", "la azul", id="es"),
        pytest.param("fr", "celui en 256 Go", id="fr-storage"),
        pytest.param("de", "die blaue", id="de"),
    ],
)
def test_an_attribute_several_products_share_is_a_question_not_a_guess(
    state: DialogueState, locale: str, phrase: str
) -> None:
    found = resolve_reference(phrase, locale, state)
    assert found.item is None
    assert len(found.candidates) == 2


@pytest.mark.parametrize(
    ("locale", "phrase", "expected"),
    [
        pytest.param("en", "the ultra", ULTRA, id="en-ultra"),
        pytest.param("en", "the pro", PRO, id="en-pro"),
        pytest.param("es", "el redmi", REDMI, id="es-redmi"),
        pytest.param("fr", "le galaxy", ULTRA, id="fr-galaxy"),
        pytest.param("de", "das Pro", PRO, id="de-pro"),
    ],
)
def test_a_partial_name_picks_from_the_listing(
    state: DialogueState, locale: str, phrase: str, expected: str
) -> None:
    found = resolve_reference(phrase, locale, state)
    assert found.item is not None and found.item.id == expected


@pytest.mark.parametrize(
    ("locale", "phrase"),
    [
        pytest.param("en", "one of the t-shirts", id="en"),
        pytest.param("es", "una de las t-shirts", id="es"),
        pytest.param("fr", "un des t-shirts", id="fr"),
        pytest.param("de", "eins der T-Shirts", id="de"),
    ],
)
def test_one_of_the_x_points_at_the_basket_line(
    state: DialogueState, locale: str, phrase: str
) -> None:
    found = resolve_reference(phrase, locale, state, among="basket")
    assert found.item is not None and found.item.id == "20"


def test_the_slot_keeps_the_colour_apart_from_the_product(state: DialogueState) -> None:
    found = resolve_reference("it in purple", "en", state)
    assert found.item is not None and found.item.id == IPHONE
    assert found.text == "" and found.color == "purple"


def test_a_name_the_conversation_has_not_shown_is_left_to_the_storefront(
    state: DialogueState,
) -> None:
    found = resolve_reference("the galaxy tab", "en", state)
    assert found.item is None and not found.candidates
    assert found.text == "galaxy tab"


def test_a_full_name_is_not_turned_into_a_question(state: DialogueState) -> None:
    found = resolve_reference("iphone 15", "en", state)
    assert found.item is None and not found.candidates and found.text == "iphone 15"
