from __future__ import annotations

from pathlib import Path

import pytest
from lark import UnexpectedInput

import grammar as grammar_package
from engine import PatternError, parse_text
from engine._fastparse import _STRING, _WORD, take_expression_lines
from engine._parse import _build, _parser, _syntax_error
from engine.errors import SourceSpot

HEADER = "locale en\nintent x\n  slots a: text, n: number\n"
PATH = "x.intents"


def _lark_only(text: str) -> object:
    """The file as Lark alone parses it, or its error message."""
    lines = text.splitlines()
    try:
        return _build(PATH, _parser().parse(text, PATH, lines))
    except UnexpectedInput as exc:
        return str(_syntax_error(exc, PATH, lines))
    except PatternError as exc:
        return str(exc)


def _parsed(text: str) -> object:
    try:
        return parse_text(text, PATH)
    except PatternError as exc:
        return str(exc)


def _taken(text: str) -> int:
    return len(take_expression_lines(text.split("\n"), lambda line, column: SourceSpot("", 1, 1)))


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("  match a b c\n", id="words"),
        pytest.param("rule r = one | two three\n     | four\n  match go <r>\n", id="continuation"),
        pytest.param("  match add {a} [to [my] cart | (x; y z; {n:number})]\n", id="nested"),
        pytest.param('  match "quoted \\" word" b\n', id="quoted"),
        pytest.param("  match\tgo\t{ a }  # a comment\n", id="tabs-and-comment"),
        pytest.param("  match(go now)\n", id="keyword-then-bracket"),
        pytest.param("  match go -> a = the big one, n = 3\n", id="fixed-values"),
        pytest.param('  match go ->a="x, y" # c\n', id="fixed-quoted"),
        pytest.param("  match go -> a = x|y->z\n", id="fixed-bare-punctuation"),
        pytest.param("  match a#b c\n", id="hash-starts-a-comment"),
        pytest.param("  matches a b\n", id="not-a-keyword"),
    ],
)
def test_the_fast_reader_builds_what_lark_builds(body: str) -> None:
    text = HEADER + body
    assert _taken(text) > 0 or body.startswith("  matches")
    assert _parsed(text) == _lark_only(text)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("  match a b   \n  | c\n", id="blanks-before-a-continuation"),
        pytest.param("  match a b # c\n  | d\n", id="comment-before-a-continuation"),
        pytest.param("  match a # c\r d\n", id="carriage-return-in-a-comment"),
        pytest.param("  match a\xa0b\n", id="unicode-space"),
        pytest.param("  match [a -> b]\n", id="arrow-inside-brackets"),
        pytest.param("  match {a:b-c}\n", id="bad-slot-type"),
        pytest.param("  match a -> a = b c & d\n", id="ampersand-in-a-match-line"),
        pytest.param("  match " + "[ " * 60 + "a" + " ]" * 60 + "\n", id="deep-brackets"),
    ],
)
def test_a_line_the_fast_reader_is_unsure_of_is_left_to_lark(body: str) -> None:
    text = HEADER + body
    assert _taken(text) == 0
    assert _parsed(text) == _lark_only(text)


def test_an_error_elsewhere_in_the_file_is_reported_by_lark_as_before() -> None:
    text = HEADER + "  match go now\n  slots b text\n  match go (on\n"
    assert _taken(text) == 1
    error = _parsed(text)
    assert isinstance(error, str) and error.startswith("x.intents:5:")
    assert error == _lark_only(text)


@pytest.mark.parametrize(("terminal", "copy"), [("WORD", _WORD), ("STRING", _STRING)])
def test_the_fast_reader_reads_the_grammar_s_own_terminals(terminal: str, copy: str) -> None:
    grammar = (Path(grammar_package.__file__).parent / "intents.lark").read_text()
    (line,) = [g for g in grammar.splitlines() if g.startswith(f"{terminal}: /")]
    assert line == f"{terminal}: /{copy}/"
