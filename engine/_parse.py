"""Parse `.intents` files into the AST.

Lark (LALR, contextual lexer) turns the text into lines; a Transformer builds AST nodes; `_build`
groups list values and intent lines under their headers. The `rule` and `match` lines, most of a
file, are read first by the faster `_fastparse` reader; Lark reads the rest and reports errors.
Every error becomes a PatternSyntaxError that points at file:line:column with the source line and
a caret.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedInput
from lark.exceptions import UnexpectedEOF, UnexpectedToken, VisitError

from engine import _ast as ast
from engine._fastparse import take_expression_lines, unquote
from engine.errors import DuplicateDefinitionError, PatternError, PatternSyntaxError, SourceSpot

__all__ = ["parse_file", "parse_text"]

# What a human calls each terminal, for "expected ..." messages.
_TERMINAL_NAMES = {
    "NAME": "a name",
    "WORD": "a word",
    "STRING": 'a "quoted phrase"',
    "SIGNED_INT": "an integer",
    "BARE": "a value",
    "ARROW": "'->'",
    "SENTENCE": "a sentence",
    "_BAR": "'|'",
    "_NL": "the end of the line",
    "RSQB": "']'",
    "LSQB": "'['",
    "RPAR": "')'",
    "LPAR": "'('",
    "RBRACE": "'}'",
    "LBRACE": "'{'",
    "LESSTHAN": "'<'",
    "MORETHAN": "'>'",
    "EQUAL": "'='",
    "COMMA": "','",
    "COLON": "':'",
    "SEMICOLON": "';'",
    "AMPERSAND": "'&'",
    "$END": "the end of the file",
}


class _Parser:
    """One LALR parser that builds the AST while it parses (no intermediate tree, no position
    bookkeeping: several times faster), reused for every file; the lock keeps the watcher thread
    and other callers apart."""

    def __init__(self) -> None:
        self.transformer = _ToAst("<string>", [])
        self.lark = Lark.open_from_package(
            "grammar",
            "intents.lark",
            parser="lalr",
            lexer="contextual",
            maybe_placeholders=True,
            transformer=self.transformer,
        )
        self.lock = threading.Lock()

    def parse(self, text: str, path: str, lines: list[str]) -> list[_Line]:
        with self.lock:
            self.transformer.path = path
            self.transformer.lines = lines
            return self.lark.parse(text)  # type: ignore[return-value]


@functools.cache
def _parser() -> _Parser:
    return _Parser()


def _unquote(token: Token) -> str:
    return unquote(token.value)


@dataclass(frozen=True, slots=True)
class _Line:
    kind: str
    spot: SourceSpot
    payload: Any = None


class _ToAst(Transformer[Token, list[_Line]]):
    def __init__(self, path: str, lines: list[str]) -> None:
        super().__init__()
        self.path = path
        self.lines = lines

    def _spot(self, line: int, column: int) -> SourceSpot:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return SourceSpot(self.path, line, column, text)

    def _at(self, token: Token) -> SourceSpot:
        return self._spot(token.line or 0, token.column or 0)

    def _tok(self, token: Token) -> SourceSpot:
        return self._spot(token.line or 0, token.column or 0)

    # --- expressions ---
    def word(self, children: list[Token]) -> ast.Word:
        return ast.Word(_unquote(children[0]))

    def seq(self, children: list[ast.Expr]) -> ast.Expr:
        return children[0] if len(children) == 1 else ast.Seq(tuple(children))

    def expr(self, children: list[ast.Expr]) -> ast.Expr:
        return children[0] if len(children) == 1 else ast.Alt(tuple(children))

    def optional(self, children: list[ast.Expr]) -> ast.Expr:
        return ast.Optional(children[0])

    def group(self, children: list[ast.Expr]) -> ast.Expr:
        return children[0] if len(children) == 1 else ast.Permutation(tuple(children))

    def slot(self, children: list[Token | None]) -> ast.SlotRef:
        name, type_ = children
        assert name is not None
        return ast.SlotRef(name.value, type_.value if type_ is not None else None, self._tok(name))

    def ruleref(self, children: list[Token]) -> ast.RuleRef:
        return ast.RuleRef(children[0].value, self._tok(children[0]))

    # --- pieces ---
    def phrase(self, children: list[Token]) -> str:
        return " ".join(_unquote(c) for c in children)

    def phrases(self, children: list[str]) -> tuple[str, ...]:
        return tuple(children)

    def assignment(self, children: list[Token]) -> ast.Assignment:
        name, *values = children
        quoted = len(values) == 1 and values[0].value.startswith('"')
        value = _unquote(values[0]) if quoted else " ".join(v.value for v in values)
        return ast.Assignment(name.value, value, quoted, self._tok(name))

    def assignments(self, children: list[ast.Assignment]) -> tuple[ast.Assignment, ...]:
        return tuple(children)

    def slot_decl(self, children: list[Token]) -> ast.SlotDecl:
        return ast.SlotDecl(children[0].value, children[1].value, self._tok(children[0]))

    def followup(self, children: list[Any]) -> ast.Expectation:
        name, _arrow, slots = children
        return ast.Expectation(name.value, slots or ())

    # --- lines ---
    def locale_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        return _Line("locale", self._at(keyword), children[0].value)

    def skip_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        return _Line("skip", self._at(keyword), children[0])

    def split_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        return _Line("split", self._at(keyword), children[0])

    def trim_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        return _Line("trim", self._at(keyword), children[0])

    def alias_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        words, expansion = children
        return _Line("alias", self._at(keyword), ast.Alias(words, expansion, self._at(keyword)))

    def list_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        return _Line("list", self._at(keyword), children[0].value)

    def value_line(self, children: list[Any]) -> _Line:
        value, synonyms = children
        spot = self._at(value)
        return _Line("value", spot, ast.ListValue(_unquote(value), synonyms or (), spot))

    def rule_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        name, expr = children
        return _Line("rule", self._at(keyword), ast.Rule(name.value, expr, self._tok(name)))

    def intent_line(self, kw_and_children: list[Any]) -> _Line:
        _keyword, *children = kw_and_children
        return _Line("intent", self._tok(children[0]), children[0].value)

    def slots_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        return _Line("slots", self._at(keyword), tuple(children))

    def priority_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        return _Line("priority", self._at(keyword), int(children[0].value))

    def match_line(self, kw_and_children: list[Any]) -> _Line:
        keyword, *children = kw_and_children
        expr, _arrow, fixed = children
        return _Line("match", self._at(keyword), (expr, fixed or ()))

    def example_line(self, kw_and_children: list[Any]) -> _Line:
        _keyword, *children = kw_and_children
        sentence, _arrow, slots, *followups = children
        return _Line("example", self._tok(sentence), (sentence.value, slots or (), followups))

    def not_line(self, kw_and_children: list[Any]) -> _Line:
        _keyword, *children = kw_and_children
        return _Line("not", self._tok(children[0]), children[0].value)

    def start(self, children: list[_Line]) -> list[_Line]:
        return children


@dataclass
class _IntentDraft:
    name: str
    spot: SourceSpot
    slots: list[ast.SlotDecl] = field(default_factory=list)
    patterns: list[ast.Pattern] = field(default_factory=list)
    examples: list[ast.Example] = field(default_factory=list)
    counter_examples: list[ast.CounterExample] = field(default_factory=list)
    priority: int = 0

    def freeze(self) -> ast.Intent:
        return ast.Intent(
            self.name,
            tuple(self.slots),
            tuple(self.patterns),
            tuple(self.examples),
            tuple(self.counter_examples),
            self.spot,
        )


_INTENT_LINES = {"slots", "priority", "match", "example", "not"}


def _build(path: str, lines: list[_Line]) -> ast.PatternFile:
    """Group the flat lines under their `list` and `intent` headers."""
    locale: str | None = None
    skip: list[str] = []
    split: list[str] = []
    trim: list[str] = []
    aliases: list[ast.Alias] = []
    lists: list[ast.SlotList] = []
    rules: list[ast.Rule] = []
    intents: list[_IntentDraft] = []
    current_list: tuple[str, SourceSpot, list[ast.ListValue]] | None = None
    current_intent: _IntentDraft | None = None
    seen_intents: dict[str, SourceSpot] = {}

    def close_list() -> None:
        nonlocal current_list
        if current_list is not None:
            name, spot, values = current_list
            lists.append(ast.SlotList(name, tuple(values), spot))
            current_list = None

    for line in lines:
        if locale is None and line.kind != "locale":
            raise PatternSyntaxError(
                "a pattern file must start with 'locale <code>' (for example 'locale es')",
                line.spot,
            )
        if line.kind in _INTENT_LINES and current_intent is None:
            raise PatternSyntaxError(
                f"'{line.kind}' line outside an intent; put it below an 'intent NAME' line",
                line.spot,
            )
        if line.kind == "value" and current_list is None:
            raise PatternSyntaxError(
                "a list value outside a list; put it below a 'list NAME' line, or start the line "
                'with a keyword (quote a value that is a keyword, like "not")',
                line.spot,
            )
        if line.kind not in {"value"}:
            close_list()
        if line.kind not in _INTENT_LINES and line.kind != "value":
            current_intent = None

        match line.kind:
            case "locale":
                if locale is not None:
                    raise PatternSyntaxError("a second 'locale' line; a file has one", line.spot)
                locale = line.payload
            case "skip":
                skip.extend(line.payload)
            case "split":
                split.extend(line.payload)
            case "trim":
                trim.extend(line.payload)
            case "alias":
                aliases.append(line.payload)
            case "list":
                current_list = (line.payload, line.spot, [])
            case "value":
                assert current_list is not None
                current_list[2].append(line.payload)
            case "rule":
                rules.append(line.payload)
            case "intent":
                if line.payload in seen_intents:
                    raise DuplicateDefinitionError(
                        f"intent '{line.payload}' is already defined at "
                        f"line {seen_intents[line.payload].line}; merge the two blocks",
                        line.spot,
                    )
                seen_intents[line.payload] = line.spot
                current_intent = _IntentDraft(line.payload, line.spot)
                intents.append(current_intent)
            case "slots":
                assert current_intent is not None
                current_intent.slots.extend(line.payload)
            case "priority":
                assert current_intent is not None
                current_intent.priority = line.payload
            case "match":
                assert current_intent is not None
                expr, fixed = line.payload
                current_intent.patterns.append(
                    ast.Pattern(expr, current_intent.priority, fixed, line.spot)
                )
            case "example":
                assert current_intent is not None
                sentence, slots, followups = line.payload
                expected = (ast.Expectation(current_intent.name, slots), *followups)
                current_intent.examples.append(ast.Example(sentence, expected, line.spot))
            case "not":
                assert current_intent is not None
                current_intent.counter_examples.append(ast.CounterExample(line.payload, line.spot))
    close_list()
    if locale is None:
        raise PatternSyntaxError(
            "the file is empty; start it with 'locale <code>'", SourceSpot(path, 1, 1)
        )
    return ast.PatternFile(
        path=path,
        locale=locale,
        skip=tuple(skip),
        split=tuple(split),
        trim=tuple(trim),
        aliases=tuple(aliases),
        lists=tuple(lists),
        rules=tuple(rules),
        intents=tuple(d.freeze() for d in intents),
    )


def _describe_expected(expected: set[str] | frozenset[str]) -> str:
    names = sorted({_TERMINAL_NAMES.get(t, repr(t.lower())) for t in expected})
    if len(names) > 6:
        names = [*names[:6], "..."]
    return " or ".join(names) if names else "something else"


def _syntax_error(exc: UnexpectedInput, path: str, lines: list[str]) -> PatternSyntaxError:
    line = getattr(exc, "line", 0) or 0
    column = getattr(exc, "column", 0) or 0
    if isinstance(exc, UnexpectedEOF) or line < 1:
        line, column = len(lines), len(lines[-1]) + 1 if lines else 1
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    spot = SourceSpot(path, line, column, text)
    if isinstance(exc, UnexpectedCharacters):
        char = exc.char
        allowed = _describe_expected(exc.allowed or set())
        message = f"unexpected {char!r}; expected {allowed}"
    elif isinstance(exc, UnexpectedToken):
        got = "the end of the line" if exc.token.type == "_NL" else repr(str(exc.token))
        message = f"unexpected {got}; expected {_describe_expected(exc.expected)}"
    else:
        message = f"unexpected end of file; expected {_describe_expected(exc.expected)}"
    if "']'" in message or "')'" in message or "'}'" in message or "'>'" in message:
        opener = _unclosed(text, column)
        if opener:
            message += f" to close the {opener[0]!r} opened at {line}:{opener[1]}"
    return PatternSyntaxError(message, spot)


def _unclosed(text: str, column: int) -> tuple[str, int] | None:
    """The innermost bracket still open before `column` on this line, with its column."""
    pairs = {"]": "[", ")": "(", "}": "{", ">": "<"}
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text[: max(column - 1, 0)], start=1):
        if ch in "[({<":
            stack.append((ch, i))
        elif ch in pairs and stack and stack[-1][0] == pairs[ch]:
            stack.pop()
    return stack[-1] if stack else None


def _parse_lines(text: str, path: str, lines: list[str]) -> list[_Line]:
    """The flat lines of a file: `rule` and `match` lines by the fast reader, the rest by Lark.

    The lines the fast reader takes are blanked (line numbers and columns stay put) before Lark
    parses the rest; if that fails, Lark parses the original text so errors are always Lark's.
    """

    def spot(line: int, column: int) -> SourceSpot:
        return SourceSpot(path, line, column, lines[line - 1] if 0 < line <= len(lines) else "")

    physical = text.split("\n")
    fast = take_expression_lines(physical, spot)
    if not fast:
        return _parser().parse(text, path, lines)
    try:
        rest = _parser().parse("\n".join(physical), path, lines)
    except (UnexpectedInput, VisitError):
        return _parser().parse(text, path, lines)
    merged = [_Line(kind, at, payload) for _line, kind, at, payload in fast]
    merged.extend(rest)
    merged.sort(key=lambda line: line.spot.line)
    return merged


def parse_text(text: str, path: str = "<string>") -> ast.PatternFile:
    """Parse the text of one pattern file; raise PatternError on any mistake."""
    lines = text.splitlines()
    try:
        built = _parse_lines(text if text.endswith("\n") else text + "\n", path, lines)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, path, lines) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, PatternError):
            raise exc.orig_exc from None
        raise
    return _build(path, built)


def parse_file(path: Path, display: str | None = None) -> ast.PatternFile:
    """Parse a pattern file from disk; `display` is the path shown in errors and rule origins."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PatternSyntaxError(
            f"the file is not UTF-8 (byte {exc.start}); save it as UTF-8",
            SourceSpot(name, 1, 1),
        ) from None
    return parse_text(text, name)
