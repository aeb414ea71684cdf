"""server/locale.py: explicit locale, then phone, then Accept-Language, then the text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from server.locale import (
    DEFAULT_LOCALE,
    UnsupportedLocaleError,
    locale_from_accept_language,
    locale_from_phone,
    normalize_locale,
    resolve_locale,
)

SPANISH_PHONE = "+34 612 345 678"


def detector(*guesses: str) -> Callable[[str], list[str]]:
    return lambda _text: list(guesses)


def must_not_detect(_text: str) -> list[str]:
    raise AssertionError("the detector should not have been asked")


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        pytest.param("es", "es", id="bare"),
        pytest.param("es-MX", "es", id="region"),
        pytest.param("fr_CA", "fr", id="underscore"),
        pytest.param("DE", "de", id="upper-case"),
        pytest.param(" en-GB ", "en", id="spaces"),
        pytest.param("de-Latn-AT", "de", id="script-and-region"),
    ],
)
def test_a_locale_tag_is_normalized_to_its_language(tag: str, locale: str) -> None:
    assert normalize_locale(tag) == locale


@pytest.mark.parametrize("tag", ["pt", "pt-BR", "", "e", "not a locale", "es@euro"])
def test_an_unsupported_locale_names_the_four_supported_ones(tag: str) -> None:
    with pytest.raises(UnsupportedLocaleError, match="use one of en, es, fr, de") as caught:
        normalize_locale(tag)
    assert caught.value.locale == tag
    assert isinstance(caught.value, ValueError)


def test_an_explicit_locale_wins_over_every_other_hint() -> None:
    resolved = resolve_locale(
        "es-MX", "+49 151 23456789", "fr", "hello there my friend", must_not_detect
    )
    assert resolved == ("es", "given")


def test_an_unsupported_explicit_locale_is_an_error_not_a_fallback() -> None:
    with pytest.raises(UnsupportedLocaleError, match="'it'"):
        resolve_locale("it", SPANISH_PHONE, "es", "hola", detector("es"))


def test_a_blank_explicit_locale_counts_as_none() -> None:
    assert resolve_locale("  ", SPANISH_PHONE, None, "hola", detector("es")) == ("es", "phone")


@pytest.mark.parametrize(
    ("phone", "locale"),
    [
        pytest.param("+34612345678", "es", id="spain"),
        pytest.param("+52 55 1234 5678", "es", id="mexico"),
        pytest.param("+54 9 11 2345 6789", "es", id="argentina"),
        pytest.param("+1 787 555 0100", "es", id="puerto-rico"),
        pytest.param("+33 6 12 34 56 78", "fr", id="france"),
        pytest.param("+49 151 23456789", "de", id="germany"),
        pytest.param("+43 664 1234567", "de", id="austria"),
        pytest.param("+44 7700 900123", "en", id="uk-unassigned-range-all-english"),
        pytest.param("+1 415 555 0100", "en", id="usa"),
        pytest.param("whatsapp:+34612345678", "es", id="twilio-whatsapp-prefix"),
        pytest.param("34612345678", "es", id="whatsapp-id-without-plus"),
        pytest.param("0033612345678", "fr", id="international-00-prefix"),
    ],
)
def test_a_phone_number_suggests_its_countrys_locale(phone: str, locale: str) -> None:
    assert locale_from_phone(phone) == locale


@pytest.mark.parametrize(
    "phone",
    [
        pytest.param("+41 79 123 45 67", id="switzerland"),
        pytest.param("+32 470 12 34 56", id="belgium"),
        pytest.param("+352 621 123 456", id="luxembourg"),
        pytest.param("+1 514 555 0100", id="canada"),
        pytest.param("+39 312 345 6789", id="italy"),
        pytest.param("+1 999 555 0100", id="unassigned-plus-one-range"),
        pytest.param("not a number", id="garbage"),
        pytest.param("", id="empty"),
    ],
)
def test_a_phone_number_from_a_multilingual_or_other_country_says_nothing(phone: str) -> None:
    assert locale_from_phone(phone) is None


def test_the_phone_decides_when_there_is_no_explicit_locale() -> None:
    assert resolve_locale(None, SPANISH_PHONE, "en", "hola", detector("en")) == ("es", "phone")


def test_a_multilingual_countrys_phone_falls_through_to_the_header() -> None:
    assert resolve_locale(None, "+41 79 123 45 67", "fr-CH", "salut", detector("de")) == (
        "fr",
        "header",
    )


def test_a_text_clearly_in_another_language_wins_over_the_phone() -> None:
    resolved = resolve_locale(None, SPANISH_PHONE, None, "do you have red sneakers", detector("en"))
    assert resolved == ("en", "text")


def test_a_short_text_does_not_override_the_phone() -> None:
    assert resolve_locale(None, SPANISH_PHONE, None, "ok thanks", detector("en")) == ("es", "phone")


def test_a_long_text_in_the_phones_language_keeps_the_phone_as_the_reason() -> None:
    resolved = resolve_locale(None, SPANISH_PHONE, None, "busco zapatillas rojas", detector("es"))
    assert resolved == ("es", "phone")


def test_a_text_detected_as_an_unsupported_language_does_not_override_the_phone() -> None:
    resolved = resolve_locale(
        None, SPANISH_PHONE, None, "vorrei delle scarpe rosse", detector("it", "en")
    )
    assert resolved == ("es", "phone")


def test_the_accept_language_header_is_next_after_the_phone() -> None:
    assert resolve_locale(None, None, "de-DE,de;q=0.9", "hello", detector("en")) == ("de", "header")


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        pytest.param("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr", id="first-wins"),
        pytest.param("en;q=0.3, de;q=0.9", "de", id="q-values-honoured"),
        pytest.param("pt-BR, pt;q=0.9, es;q=0.8, en;q=0.7", "es", id="first-supported"),
        pytest.param("es;q=0, fr;q=0.1", "fr", id="q-zero-is-refused"),
        pytest.param("en;q=0.5, fr", "fr", id="missing-q-is-one"),
        pytest.param("de;q=0.8, es;q=0.8", "de", id="ties-keep-order"),
        pytest.param("en;q=abc, es;q=0.5", "es", id="bad-q-is-ignored"),
        pytest.param(" ES-es ", "es", id="case-and-spaces"),
    ],
)
def test_accept_language_gives_the_best_supported_language(header: str, locale: str) -> None:
    assert locale_from_accept_language(header) == locale


@pytest.mark.parametrize("header", ["", "*", "pt-BR, it;q=0.5", "en;q=0"])
def test_accept_language_without_a_supported_language_gives_nothing(header: str) -> None:
    assert locale_from_accept_language(header) is None


def test_the_text_is_the_last_hint() -> None:
    assert resolve_locale(None, None, "pt-BR", "bonjour", detector("fr", "en")) == ("fr", "text")


def test_the_detectors_first_supported_guess_is_used() -> None:
    assert resolve_locale(None, None, None, "hallo", detector("nl", "de")) == ("de", "text")


def test_the_detector_may_answer_with_regional_tags() -> None:
    assert resolve_locale(None, None, None, "hola", detector("es-ES")) == ("es", "text")


def test_with_no_usable_hint_the_default_locale_says_so() -> None:
    assert resolve_locale(None, "+39 312 345 6789", None, "ok", detector()) == (
        DEFAULT_LOCALE,
        "default",
    )


def test_the_detector_is_not_asked_when_an_earlier_hint_decides() -> None:
    assert resolve_locale(None, SPANISH_PHONE, None, "hola", must_not_detect) == ("es", "phone")
    assert resolve_locale(None, None, "fr", "do you have any", must_not_detect) == ("fr", "header")
