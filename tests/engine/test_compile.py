from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from engine import (
    DuplicateDefinitionError,
    PatternError,
    PatternLimitError,
    UnknownReferenceError,
    load_patterns,
)

HEAD = "locale es\nlist number\n  1 = uno\nlist ordinal\n  1 = primero\nlist currency\n  EUR = €\n"


def _compile(write: Callable[..., Path], body: str) -> None:
    load_patterns(write({"es/x.intents": HEAD + body}))


def test_an_unknown_rule_names_the_rules_that_exist(write_patterns: Callable[..., Path]) -> None:
    with pytest.raises(
        UnknownReferenceError, match=r"rule <cart> is not defined.*rules defined: add"
    ):
        _compile(write_patterns, "rule add = agrega\nintent x\n  match <add> <cart>\n")


def test_a_slot_of_an_undefined_list_says_how_to_fix_it(
    write_patterns: Callable[..., Path],
) -> None:
    with pytest.raises(UnknownReferenceError) as caught:
        _compile(
            write_patterns, "intent search_products\n  slots color: colors\n  match busco {color}\n"
        )
    assert "x.intents:9:" in str(caught.value)
    assert "define 'list colors'" in str(caught.value)
    assert caught.value.intent == "search_products"


def test_a_slot_without_a_type_asks_for_a_declaration(write_patterns: Callable[..., Path]) -> None:
    with pytest.raises(UnknownReferenceError, match=r"slot \{product\} has no type"):
        _compile(write_patterns, "intent x\n  match agrega {product}\n")


def test_a_recursive_rule_is_refused(write_patterns: Callable[..., Path]) -> None:
    with pytest.raises(PatternLimitError, match="a -> b -> a"):
        _compile(write_patterns, "rule a = x <b>\nrule b = y <a>\nintent i\n  match <a>\n")


def test_a_pattern_without_a_required_word_cannot_be_indexed(
    write_patterns: Callable[..., Path],
) -> None:
    with pytest.raises(PatternLimitError, match="no required word"):
        _compile(write_patterns, "intent x\n  slots p: text\n  match [hola] {p}\n")


def test_a_skip_phrase_inside_a_pattern_could_never_match(
    write_patterns: Callable[..., Path],
) -> None:
    with pytest.raises(PatternError, match="'por favor' is a skip phrase"):
        _compile(write_patterns, "skip por favor\nintent x\n  match pagar por favor\n")


def test_a_list_defined_in_two_files_is_a_duplicate(write_patterns: Callable[..., Path]) -> None:
    root = write_patterns(
        {"es/a.intents": HEAD + "list c\n  rojo\n", "es/b.intents": "locale es\nlist c\n  azul\n"}
    )
    with pytest.raises(DuplicateDefinitionError, match="list 'c' is already defined"):
        load_patterns(root)


def test_a_fixed_slot_value_must_be_a_value_of_its_list(
    write_patterns: Callable[..., Path],
) -> None:
    with pytest.raises(UnknownReferenceError, match="'cost' is not a value of list 'attribute'"):
        _compile(
            write_patterns,
            "list attribute\n  price = precio\nintent get_product_info\n"
            "  slots attribute: attribute, product: text\n"
            "  match cuanto cuesta {product} -> attribute = cost\n",
        )


def test_a_file_in_the_wrong_locale_folder_is_reported(write_patterns: Callable[..., Path]) -> None:
    with pytest.raises(PatternError, match="lives in the 'fr' folder"):
        load_patterns(write_patterns({"fr/x.intents": HEAD}))


def test_a_pattern_counts_the_text_slots_every_match_fills(
    write_patterns: Callable[..., Path],
) -> None:
    engine = load_patterns(
        write_patterns(
            {
                "es/x.intents": HEAD
                + "rule prod = el {a} | la {a}\n"
                + "intent x\n  slots a: text, b: text, n: number\n"
                + "  match uno {a}\n"
                + "  match dos [{a}]\n"
                + "  match tres ({a} | {b})\n"
                + "  match cuatro <prod> y {b}\n"
                + "  match cinco ({a}; {b})\n"
                + "  match seis {c: text} y {c: number}\n"
            }
        )
    )
    assert [p.sure_text for p in engine.compiled("es").patterns] == [1, 0, 0, 2, 2, 0]
