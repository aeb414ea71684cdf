from __future__ import annotations

import pytest

from engine import PatternError, PatternSyntaxError, parse_text
from engine import _ast as ast


def test_a_file_holds_lists_rules_and_intents_with_examples() -> None:
    parsed = parse_text(
        "locale es\n"
        'list color\n  rojo = roja | rojos\n  "azul marino" = marino\n  negro\n'
        "rule cart = carrito | carro\n      | cesta   # continued\n"
        "intent add_to_basket\n"
        "  slots product: text\n"
        "  priority 3\n"
        "  match agrega {product} [al <cart>]\n"
        '  example agrega iphone al carrito -> product = "iphone"\n'
        "  not ver carrito\n",
        "es/x.intents",
    )
    assert parsed.locale == "es"
    (color,) = parsed.lists
    assert [(v.value, v.synonyms) for v in color.values] == [
        ("rojo", ("roja", "rojos")),
        ("azul marino", ("marino",)),
        ("negro", ()),
    ]
    (rule,) = parsed.rules
    assert rule.expr == ast.Alt((ast.Word("carrito"), ast.Word("carro"), ast.Word("cesta")))
    (intent,) = parsed.intents
    assert intent.patterns[0].priority == 3
    assert intent.examples[0].expected[0].slots[0].value == "iphone"
    assert intent.counter_examples[0].text == "ver carrito"


def test_permutations_are_groups_with_semicolons() -> None:
    parsed = parse_text("locale en\nintent x\n  match (a; b c; d)\n")
    expr = parsed.intents[0].patterns[0].expr
    assert isinstance(expr, ast.Permutation)
    assert len(expr.parts) == 3


def test_a_two_request_example_lists_the_second_intent_after_an_ampersand() -> None:
    parsed = parse_text(
        "locale en\nintent add_to_basket\n"
        "  example add 2 shirts and pay -> quantity = 2 & get_payment_link -> channel = email\n"
    )
    expected = parsed.intents[0].examples[0].expected
    assert [e.intent for e in expected] == ["add_to_basket", "get_payment_link"]
    assert expected[1].slots[0].value == "email"


def test_a_hash_inside_an_example_sentence_is_text_not_a_comment() -> None:
    parsed = parse_text("locale en\nintent answer_question\n  example where is order #1234  # c\n")
    assert parsed.intents[0].examples[0].text == "where is order #1234"


def test_an_unclosed_group_points_at_the_spot_and_names_the_opening_bracket() -> None:
    with pytest.raises(PatternSyntaxError) as caught:
        parse_text("locale es\nintent x\n  match hola [que tal\n", "patterns/es/x.intents")
    message = str(caught.value)
    assert message.startswith("patterns/es/x.intents:3:22: ")
    assert "expected ']' to close the '[' opened at 3:14" in message
    assert "  match hola [que tal" in message and message.rstrip().endswith("^")


def test_a_match_line_outside_an_intent_is_reported_with_the_fix() -> None:
    with pytest.raises(PatternSyntaxError, match=r"2:3: 'match' line outside an intent"):
        parse_text("locale es\n  match hola\n")


def test_a_file_must_start_with_its_locale() -> None:
    with pytest.raises(PatternSyntaxError, match="must start with 'locale <code>'"):
        parse_text("intent greet\n  match hola\n")


def test_an_intent_defined_twice_in_a_file_is_an_error() -> None:
    with pytest.raises(PatternError, match="already defined at line 2"):
        parse_text("locale es\nintent greet\n  match hola\nintent greet\n  match buenas\n")
