from __future__ import annotations

from engine import IntentEngine


def test_a_typo_within_the_cutoff_resolves_to_the_exact_intent(mini: IntentEngine) -> None:
    result = mini.recognize("agerga dos fundas al carrito", "es")
    assert result.intent == "add_to_basket"
    match = result.matches[0]
    assert match.source == "fuzzy"
    assert match.values() == {"quantity": 2, "product": "fundas"}
    (fix,) = match.corrections
    assert (fix.original, fix.corrected, fix.start, fix.end) == ("agerga", "agrega", 0, 6)
    assert match.score < 1.0


def test_a_long_word_may_be_two_edits_away(mini: IntentEngine) -> None:
    assert mini.recognize("agregame el iphone al carrrrito", "es").intent == "add_to_basket"
    assert mini.recognize("agregame el iphone al caritto", "es").intent == "add_to_basket"


def test_short_words_are_never_corrected(mini: IntentEngine) -> None:
    # "hila" is one edit from "hola", but four letters is too short to guess on
    assert mini.recognize("hila", "es").intent == "unknown"


def test_words_the_vocabulary_knows_are_left_alone(mini: IntentEngine) -> None:
    result = mini.recognize("quiero pagar", "es")
    assert result.matches[0].source == "pattern"
    assert result.matches[0].corrections == ()


def test_out_of_domain_chatter_stays_unknown(mini: IntentEngine) -> None:
    for text in ["mi perro se llama toby", "que calor hace hoy", "jajaja", "el partido de ayer"]:
        assert mini.recognize(text, "es").intent == "unknown", text


def test_the_product_name_keeps_what_the_shopper_wrote_after_a_correction(
    mini: IntentEngine,
) -> None:
    result = mini.recognize("agrega 2 iphonee al carrito", "es")
    assert result.matches[0].values()["product"] == "iphonee"


def test_compile_all_builds_the_typo_index_so_no_shopper_waits_for_it(mini: IntentEngine) -> None:
    # built lazily it cost a shopper who switched language ~100 ms on the full pattern set
    mini.compile_all()
    for locale in mini.locales:
        assert mini.compiled(locale).fuzzy_pool, locale
