"""The pattern file AST: frozen dataclasses mirroring the grammar's rules one to one."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.errors import SourceSpot

# --- expressions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Word:
    text: str


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Alt:
    options: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Optional:
    inner: Expr


@dataclass(frozen=True, slots=True)
class Permutation:
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class SlotRef:
    name: str
    type: str | None
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class RuleRef:
    name: str
    spot: SourceSpot


Expr = Word | Seq | Alt | Optional | Permutation | SlotRef | RuleRef

# --- statements --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """`name = value` in a match line (fixed slot value) or an example (expected slot value)."""

    name: str
    value: str
    quoted: bool
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class Pattern:
    expr: Expr
    priority: int
    fixed: tuple[Assignment, ...]
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class Expectation:
    intent: str
    slots: tuple[Assignment, ...]


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    expected: tuple[Expectation, ...]
    """The intents the sentence must yield, in order (more than one for a two-request message)."""
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class CounterExample:
    text: str
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class SlotDecl:
    name: str
    type: str
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    slots: tuple[SlotDecl, ...]
    patterns: tuple[Pattern, ...]
    examples: tuple[Example, ...]
    counter_examples: tuple[CounterExample, ...]
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class ListValue:
    value: str
    synonyms: tuple[str, ...]
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class SlotList:
    name: str
    values: tuple[ListValue, ...]
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    expr: Expr
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class Alias:
    words: tuple[str, ...]
    expansion: str
    spot: SourceSpot


@dataclass(frozen=True, slots=True)
class PatternFile:
    """One parsed `.intents` file."""

    path: str
    locale: str
    skip: tuple[str, ...] = ()
    split: tuple[str, ...] = ()
    trim: tuple[str, ...] = ()
    aliases: tuple[Alias, ...] = ()
    lists: tuple[SlotList, ...] = ()
    rules: tuple[Rule, ...] = ()
    intents: tuple[Intent, ...] = field(default=())
