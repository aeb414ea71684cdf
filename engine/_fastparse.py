"""A fast path for the lines that hold most of a pattern file: `rule` and `match` expressions.

Lark's pure-Python LALR loop costs several microseconds a token and pattern files hold ~190k
tokens, nearly all in these lines. This recursive-descent reader accepts a strict subset of what
the grammar accepts for them and builds the same AST nodes with the same positions. A line it is
unsure of (a comment before a continuation, unusual whitespace, anything unexpected) is left in
the text for Lark, and so is every error: `_parse` blanks the lines taken here, lets Lark parse
the rest, and on any error parses the whole original text with Lark, so messages and positions
never depend on this module.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from engine import _ast as ast
from engine.errors import SourceSpot

__all__ = ["FastLine", "take_expression_lines", "unquote"]

FastLine = tuple[int, str, SourceSpot, Any]
"""(line number, line kind, spot, payload): the fields of a `_parse._Line` and where it starts."""

# The terminals of grammar/intents.lark, copied verbatim: a token read here is the token Lark reads.
_WORD = r'[^\s\[\](){}<>|;=,#"&]+'
_STRING = r'"(?:[^"\\\n]|\\.)*"'
_NAME = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_]*)")
_BARE = re.compile(r'[ \t]*([^\s,&"#]+)')
_STRING_VALUE = re.compile(r"[ \t]*(" + _STRING + ")")

# A line whose first word is exactly `match` or `rule` (the keyword is a whole WORD token).
_KEYWORD = re.compile(r"[ \t]*(match|rule)(?!" + _WORD[:-1] + ")")
_CONTINUATION = re.compile(r"[ \t]*\|")

# One token where an expression item, a `|`, a closing bracket, `->` or the end may come. `->` is
# tried first as Lark does (ARROW has the highest priority; a WORD never validly starts with it).
# A `|` on the next line is only a continuation when nothing but the newline precedes it: Lark
# reads trailing blanks or a comment before the newline as the end of the line.
_TOKEN = re.compile(
    r"(?P<ws>[ \t]*)(?:"
    r"(?P<arrow>->)"
    r"|(?P<word>" + _WORD + ")"
    r"|(?P<string>" + _STRING + ")"
    r"|(?P<punct>[\[\](){};<>|])"
    r"|(?P<newbar>\n[ \t]*\|)"
    r"|(?P<end>(?:#[^\r\n]*)?\Z))"
)
_PUNCT = re.compile(r"[ \t]*([=:}>,])")
_ASSIGNMENT_END = re.compile(r"[ \t]*(?:#[^\r\n]*)?\Z")


_MAX_DEPTH = 50
"""Deeper brackets are left to Lark, whose parser does not recurse."""


class _Reject(Exception):
    """Not a line this reader is sure about; Lark takes it."""


def unquote(text: str) -> str:
    """The text of a quoted phrase (`"say \\"hi\\""` → `say "hi"`); anything else as it is."""
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


class _Reader:
    """Reads one logical line: its physical lines joined by newlines, continuations included."""

    def __init__(self, text: str, starts: list[int], first: int, spot: Callable[..., SourceSpot]):
        self.text = text
        self.starts = starts
        self.first = first
        self.spot_at = spot
        self.pos = 0
        self.depth = 0
        self.peeked: tuple[str, str, int] | None = None

    def spot(self, pos: int) -> SourceSpot:
        index = bisect_right(self.starts, pos) - 1
        return self.spot_at(self.first + index, pos - self.starts[index] + 1)

    # --- tokens ---
    def peek(self) -> tuple[str, str, int]:
        """(kind, text, end) of the next expression token, read once."""
        if self.peeked is None:
            m = _TOKEN.match(self.text, self.pos)
            if m is None:
                raise _Reject
            kind = m.lastgroup
            assert kind is not None
            if kind == "newbar":
                if m.group("ws"):
                    raise _Reject
                kind, value = "punct", "|"
            else:
                value = m.group(kind)
            self.peeked = (kind, value, m.end())
        return self.peeked

    def advance(self) -> tuple[str, str, int]:
        token = self.peek()
        self.pos = token[2]
        self.peeked = None
        return token

    def name(self) -> tuple[str, int]:
        assert self.peeked is None
        m = _NAME.match(self.text, self.pos)
        if m is None:
            raise _Reject
        self.pos = m.end()
        return m.group(1), m.start(1)

    def punct(self) -> str:
        assert self.peeked is None
        m = _PUNCT.match(self.text, self.pos)
        if m is None:
            raise _Reject
        self.pos = m.end()
        return m.group(1)

    # --- grammar: expr, seq, item ---
    def expr(self) -> ast.Expr:
        seqs = [self.seq()]
        while self.peek()[1] == "|":
            self.advance()
            seqs.append(self.seq())
        return seqs[0] if len(seqs) == 1 else ast.Alt(tuple(seqs))

    def seq(self) -> ast.Expr:
        items: list[ast.Expr] = []
        while True:
            kind, value, _end = self.peek()
            if kind == "word":
                self.advance()
                items.append(ast.Word(value))
            elif kind == "string":
                self.advance()
                items.append(ast.Word(unquote(value)))
            elif kind == "punct" and value in "[({<":
                self.advance()
                items.append(self.bracket(value))
            else:
                break
        if not items:
            raise _Reject
        return items[0] if len(items) == 1 else ast.Seq(tuple(items))

    def close(self, bracket: str) -> None:
        if self.advance()[:2] != ("punct", bracket):
            raise _Reject

    def bracket(self, opener: str) -> ast.Expr:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Reject
        try:
            return self._bracket(opener)
        finally:
            self.depth -= 1

    def _bracket(self, opener: str) -> ast.Expr:
        if opener == "[":
            inner = self.expr()
            self.close("]")
            return ast.Optional(inner)
        if opener == "(":
            parts = [self.expr()]
            while self.peek()[1] == ";":
                self.advance()
                parts.append(self.expr())
            self.close(")")
            return parts[0] if len(parts) == 1 else ast.Permutation(tuple(parts))
        name, at = self.name()
        if opener == "<":
            if self.punct() != ">":
                raise _Reject
            return ast.RuleRef(name, self.spot(at))
        type_: str | None = None
        closer = self.punct()
        if closer == ":":
            type_ = self.name()[0]
            closer = self.punct()
        if closer != "}":
            raise _Reject
        return ast.SlotRef(name, type_, self.spot(at))

    # --- the lines ---
    def rule_line(self, keyword_at: int) -> FastLine:
        name, at = self.name()
        if self.punct() != "=":
            raise _Reject
        expr = self.expr()
        if self.advance()[0] != "end":
            raise _Reject
        keyword = self.spot(keyword_at)
        return (keyword.line, "rule", keyword, ast.Rule(name, expr, self.spot(at)))

    def match_line(self, keyword_at: int) -> FastLine:
        expr = self.expr()
        kind = self.advance()[0]
        fixed: tuple[ast.Assignment, ...] = ()
        if kind == "arrow":
            fixed = self.assignments()
        elif kind != "end":
            raise _Reject
        keyword = self.spot(keyword_at)
        return (keyword.line, "match", keyword, (expr, fixed))

    def assignments(self) -> tuple[ast.Assignment, ...]:
        out: list[ast.Assignment] = []
        while True:
            name, at = self.name()
            if self.punct() != "=":
                raise _Reject
            quoted_match = _STRING_VALUE.match(self.text, self.pos)
            if quoted_match is not None:
                self.pos = quoted_match.end()
                value, quoted = unquote(quoted_match.group(1)), True
            else:
                words: list[str] = []
                while (bare := _BARE.match(self.text, self.pos)) is not None:
                    words.append(bare.group(1))
                    self.pos = bare.end()
                if not words:
                    raise _Reject
                value, quoted = " ".join(words), False
            out.append(ast.Assignment(name, value, quoted, self.spot(at)))
            end = _ASSIGNMENT_END.match(self.text, self.pos)
            if end is not None:
                return tuple(out)
            if self.punct() != ",":
                raise _Reject


def take_expression_lines(
    physical: list[str], spot: Callable[[int, int], SourceSpot]
) -> list[FastLine]:
    """Parse the `rule` and `match` lines of `physical` (the text split at newlines) that this
    reader is sure of, blank them in place (with their continuation lines) and return them.

    `spot(line, column)` builds a SourceSpot as the Lark transformer does.
    """
    taken: list[FastLine] = []
    count = len(physical)
    i = 0
    while i < count:
        keyword = _KEYWORD.match(physical[i])
        if keyword is None:
            i += 1
            continue
        end = i + 1
        while end < count and _CONTINUATION.match(physical[end]):
            end += 1
        text = "\n".join(physical[i:end]) if end > i + 1 else physical[i]
        starts = [0]
        for line in physical[i : end - 1]:
            starts.append(starts[-1] + len(line) + 1)
        reader = _Reader(text, starts, i + 1, spot)
        reader.pos = keyword.end()
        try:
            if keyword.group(1) == "rule":
                line = reader.rule_line(keyword.start(1))
            else:
                line = reader.match_line(keyword.start(1))
        except _Reject:
            i = end
            continue
        taken.append(line)
        physical[i:end] = [""] * (end - i)
        i = end
    return taken
