from __future__ import annotations

import pytest

from engine import IntentEngine, UnknownLocaleError
from tests.engine.conftest import MINI_ES


def _line_of(fragment: str) -> str:
    """`all.intents:N` for the line of MINI_ES holding `fragment`."""
    number = next(i for i, line in enumerate(MINI_ES.splitlines(), 1) if fragment in line)
    return f"all.intents:{number}"


def _one(engine: IntentEngine, text: str, locale: str = "es") -> tuple[str, dict[str, object]]:
    result = engine.recognize(text, locale)
    assert result.status == "matched", (text, result)
    assert len(result.matches) == 1, result.matches
    return result.intent, result.matches[0].values()


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        pytest.param(
            "agrega 2 iphone al carrito", {"quantity": 2, "product": "iphone"}, id="digits"
        ),
        pytest.param(
            "agrega dos fundas al carrito", {"quantity": 2, "product": "fundas"}, id="words"
        ),
        pytest.param(
            "mete el iPhone 15 Pro al carro", {"product": "iPhone 15 Pro"}, id="trim-keeps-case"
        ),
        pytest.param("añade el segundo al carrito", {"ordinal": 2}, id="ordinal-word"),
        pytest.param("pon el 2º en el carrito", {"ordinal": 2}, id="ordinal-indicator"),
        pytest.param("agrega la ultima", {"ordinal": -1}, id="last"),
    ],
)
def test_basket_slots_are_typed(mini: IntentEngine, text: str, slots: dict[str, object]) -> None:
    assert _one(mini, text) == ("add_to_basket", slots)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        pytest.param("busco zapatillas por menos de 500€", 50000, "EUR", id="suffix-symbol"),
        pytest.param("busco zapatillas por menos de 500 euros", 50000, "EUR", id="word"),
        pytest.param("busco zapatillas por menos de 1.299,99 €", 129999, "EUR", id="european"),
        pytest.param("busco zapatillas por menos de $1,299.99", 129999, "USD", id="prefix-symbol"),
        pytest.param("busco zapatillas por menos de 80", 8000, "EUR", id="default-currency"),
    ],
)
def test_money_is_minor_units_and_a_currency(
    mini: IntentEngine, text: str, amount: int, currency: str
) -> None:
    _, slots = _one(mini, text)
    assert slots["max_price"] == {"amount": amount, "currency": currency}


def test_list_synonyms_map_to_the_canonical_value_longest_first(mini: IntentEngine) -> None:
    assert _one(mini, "tienen camisas en azul marino")[1] == {"query": "camisas", "color": "navy"}
    assert _one(mini, "tienen camisas en azules")[1] == {"query": "camisas", "color": "blue"}


def test_slots_carry_the_span_the_shopper_typed(mini: IntentEngine) -> None:
    result = mini.recognize("Agrega 2 iPhone al carrito", "es")
    product = next(s for s in result.matches[0].slots if s.name == "product")
    assert (product.text, product.start, product.end) == ("iPhone", 9, 15)


def test_skip_phrases_and_aliases_are_applied_before_matching(mini: IntentEngine) -> None:
    assert _one(mini, "quiero pagar porfa")[0] == "get_payment_link"
    assert _one(mini, "do u have shoes", "en") == ("search_products", {"query": "shoes"})


def test_the_pattern_with_more_literal_words_wins_an_overlap(mini: IntentEngine) -> None:
    result = mini.recognize("agrega el segundo al carrito", "es")
    assert result.matches[0].values() == {"ordinal": 2}
    assert result.matches[0].rule.endswith(_line_of("{ordinal} [al"))


def test_two_requests_in_one_message_come_back_in_order(mini: IntentEngine) -> None:
    result = mini.recognize("busco fundas y luego quiero pagar", "es")
    assert [m.intent for m in result.matches] == ["search_products", "get_payment_link"]
    assert result.matches[0].values() == {"query": "fundas"}


def test_english_two_requests_split_on_and(mini: IntentEngine) -> None:
    result = mini.recognize("add 2 shirts to my cart and send me the payment link", "en")
    assert [m.intent for m in result.matches] == ["add_to_basket", "get_payment_link"]


def test_a_conjunction_inside_a_product_name_does_not_split(mini: IntentEngine) -> None:
    assert _one(mini, "busco camisa blanca y negra") == (
        "search_products",
        {"query": "camisa blanca y negra"},
    )


def test_a_greeting_before_a_request_frames_it(mini: IntentEngine) -> None:
    result = mini.recognize("hola tienen iphone", "es")
    assert result.intent == "search_products"
    assert [m.intent for m in result.courtesy] == ["greet"]


def test_a_message_sharing_no_word_with_any_pattern_is_no_match(mini: IntentEngine) -> None:
    result = mini.recognize("el tiempo esta bonito hoy", "es", explain=True)
    assert result.status == "none"
    assert result.intent == "unknown"
    assert result.near_misses == ()


def test_near_misses_name_the_rules_the_prefilter_let_through(mini: IntentEngine) -> None:
    result = mini.recognize("agrega", "es", explain=True)
    assert result.status == "none"
    assert any(origin.endswith(_line_of("[{quantity}]")) for origin in result.near_misses)


def test_an_emoji_no_pattern_uses_is_ignored(mini: IntentEngine) -> None:
    assert _one(mini, "gracias 😊")[0] == "thanks"
    assert _one(mini, "🙏")[0] == "thanks"


def test_the_locale_is_detected_from_the_text_when_not_given(mini: IntentEngine) -> None:
    result = mini.recognize("agrega 2 iphone al carrito")
    assert (result.locale, result.locale_detected, result.intent) == ("es", True, "add_to_basket")
    assert mini.recognize("add 2 shirts to my cart").locale == "en"


def test_regional_locale_tags_use_their_language(mini: IntentEngine) -> None:
    assert mini.recognize("quiero pagar", "es-MX").intent == "get_payment_link"


def test_an_unknown_locale_names_the_supported_ones(mini: IntentEngine) -> None:
    with pytest.raises(UnknownLocaleError, match="supported locales are en, es"):
        mini.recognize("hola", "pt")


def test_two_intents_tied_on_every_rank_are_ambiguous(write_patterns) -> None:  # type: ignore[no-untyped-def]
    from engine import load_patterns

    engine = load_patterns(
        write_patterns(
            {
                "en/x.intents": "locale en\nintent help\n  match menu\nintent get_basket\n  match menu\n"
            }
        )
    )
    result = engine.recognize("menu", "en")
    assert result.status == "ambiguous"
    assert {m.intent for m in result.matches} == {"help", "get_basket"}
    assert result.intent == "unknown"


def test_the_pattern_set_finds_the_same_matches_as_each_pattern_alone(mini: IntentEngine) -> None:
    texts = ["agrega 2 iphone al carrito", "busco fundas y luego quiero pagar", "hola", "nada"]
    before = [mini.recognize(t, "es") for t in texts]
    mini.compile_all()
    assert mini.compiled("es").pattern_set is not None
    after = [mini.recognize(t, "es") for t in texts]
    assert [(r.status, [m.values() for m in r.matches]) for r in after] == [
        (r.status, [m.values() for m in r.matches]) for r in before
    ]
