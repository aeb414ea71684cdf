from __future__ import annotations

import pytest

from engine import fold_text, tokenize


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param(
            "¿Tienen el iPhone en AZUL?", "tienen el iphone en azul", id="case-accents-punct"
        ),
        pytest.param("l'iPhone qu'il", "l iphone qu il", id="elisions"),
        pytest.param(
            "montre-moi, mets-en deux", "montre moi mets en deux", id="hyphenated-imperatives"
        ),
        pytest.param("holaaaa graciaaas merciii", "hola gracias merci", id="repeated-letters"),
        pytest.param("Größe Straße œuvre", "grosse strasse oeuvre", id="special-letters"),
        pytest.param("👍🏽👍 ok", "👍 ok", id="emoji-skin-tones-and-repeats"),
        pytest.param("1.299,99€ o $1,299.99", "1.299,99 € o $ 1,299.99", id="money"),
        pytest.param("den 2. Artikel", "den 2. artikel", id="german-ordinal"),
        pytest.param("el 2º y la 3ª", "el 2o y la 3a", id="ordinal-indicators"),
    ],
)
def test_messages_fold_to_plain_words(text: str, words: str) -> None:
    assert fold_text(text) == words


def test_every_word_keeps_the_span_the_shopper_typed() -> None:
    text = "Agrega l'iPhone, porfa"
    tokens = tokenize(text)
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == [
        "Agrega",
        "l",
        "iPhone",
        "porfa",
    ]


def test_punctuation_between_words_marks_a_break() -> None:
    assert tokenize("hola, busco fundas").breaks() == [False, True, False]


def test_emails_and_phone_numbers_stay_whole() -> None:
    tokens = tokenize("mail Ana.Lopez@Mail.com o +34 600 123 456")
    assert tokens.words == ["mail", "ana.lopez@mail.com", "o", "+34600123456"]
    assert tokens.kinds[1] == "email" and tokens.kinds[3] == "phone"


def test_a_short_digit_group_is_not_a_phone_number() -> None:
    assert tokenize("add 100 200").words == ["add", "100", "200"]


def test_a_national_phone_number_without_a_country_code_stays_whole() -> None:
    assert tokenize("ruf mich an unter 0170 1234567").words[-1] == "01701234567"


@pytest.mark.parametrize(
    ("text", "last"),
    [
        pytest.param("appelle-moi au 06 12 34 56 78", "0612345678", id="french-national"),
        pytest.param("mi número es +34 600 123 456", "+34600123456", id="country-code"),
        pytest.param("unter 500 euro", "euro", id="a-price-is-not-a-phone"),
    ],
)
def test_phone_numbers_are_found_among_other_digits(text: str, last: str) -> None:
    assert tokenize(text).words[-1] == last


def test_a_word_seen_before_keeps_the_span_of_its_new_place() -> None:
    tokenize("¿tienen fundas?")
    tokens = tokenize("hola, ¿tienen fundas?")
    assert [tokens.text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == [
        "hola",
        "tienen",
        "fundas",
    ]
