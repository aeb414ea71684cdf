"""Compile the parsed files of one locale into matchers.

Each `match` line becomes an RE2 program over the normalized message (" word word ..."), so
matching is linear in the message whatever the pattern; its required words feed the prefilter
index. Rules are inlined, permutations expanded, list synonyms folded like messages, and every
reference is checked here, once, with an error that points at the spot.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from re2 import _re2  # the low-level binding: about 5x less overhead per call than `re2.compile`

from engine import _ast as ast
from engine._normalize import tokenize
from engine._result import Slot
from engine.contract import COURTESY_INTENTS
from engine.errors import (
    DuplicateDefinitionError,
    PatternError,
    PatternLimitError,
    SourceSpot,
    UnknownReferenceError,
)

__all__ = ["BUILTIN_TYPES", "CompiledLocale", "CompiledPattern", "SlotGroup", "compile_locale"]

BUILTIN_TYPES = frozenset({"text", "number", "ordinal", "money", "email", "phone"})
VETO_LISTS = frozenset({"not_product_head", "not_product_word"})
"""Lists no slot uses: negative vocabulary that keeps free text from swallowing a clause."""
PRODUCT_SLOTS = frozenset({"query", "product"})
"""Free-text slots that must read as a product reference, not as "to be a doctor" or "a hug"."""
RESERVED_LISTS = ("number", "ordinal", "currency")

MAX_PERMUTATION_PARTS = 4
# A regex larger than this is a sign of runaway expansion (permutations of large rules); RE2 would
# compile it, but memory and compile time grow with it.
MAX_REGEX_CHARS = 200_000
RE2_MAX_MEM = 64 << 20
# The set of a locale's patterns builds its DFA lazily; its states are cached up to this budget.
RE2_SET_MAX_MEM = 256 << 20
ANCHOR_BOTH = _re2.RE2.Anchor.ANCHOR_BOTH

_ORDINAL_SUFFIXES = (
    "st|nd|rd|th|o|a|er|re|e|eme|ieme|nd|de|do|da|ro|ra|to|ta|vo|va|no|na|mo|ma|te|ten|ter|tes|tem"
)
_NUM = r"\d+(?:[.,]\d+)*"


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


@dataclass(frozen=True, slots=True)
class SlotGroup:
    """A capture group of a compiled pattern and the slot it fills."""

    slot: str
    type: str
    """A built-in type or the name of a list."""


_OPTIONS = _re2.RE2.Options()
_OPTIONS.max_mem = RE2_MAX_MEM


@dataclass(slots=True)
class CompiledPattern:
    id: int
    intent: str
    origin: str
    """`patterns/es/basket.intents:12`"""
    priority: int
    source: str
    """The RE2 expression over the normalized message (" word word ...")."""
    groups: tuple[SlotGroup | None, ...]
    """Indexed by RE2 group number (0 = whole match, never a slot)."""
    required: tuple[frozenset[str], ...]
    """Every set must share a word with the message; the first is the one indexed."""
    fixed: tuple[tuple[str, object], ...]
    text_slots: int
    fixed_slots: tuple[Slot, ...] = ()
    """The `fixed` values as slots: immutable, so every match of the pattern shares them."""
    sure_text: int = 0
    """Text slots every match fills, each with at least one word: a match's rank is at most
    (priority, words - sure_text, -sure_text), which lets matching skip slot extraction."""
    program: Any = None
    """The compiled `_re2.RE2`, built on first use (`compiled()`): a locale's programs take a
    second or more to build and most messages touch a handful of them."""

    def compiled(self) -> Any:
        program = self.program
        if program is None:
            program = _re2.RE2(self.source.encode(), _OPTIONS)
            if not program.ok():
                raise PatternLimitError(
                    f"the pattern cannot be compiled: {program.error()}; simplify it",
                    SourceSpot(
                        self.origin.rsplit(":", 1)[0], int(self.origin.rsplit(":", 1)[1]), 1
                    ),
                    self.intent,
                )
            self.program = program
        return program


@dataclass(frozen=True, slots=True)
class ListTable:
    name: str
    values: dict[str, object]
    """Normalized synonym ("azul marino") to canonical value."""
    regex: str
    """Any synonym, each preceded by its space (" azul marino")."""
    bare: str
    """Any synonym without the leading space, for use inside the built-in types."""


@dataclass(slots=True)
class CompiledLocale:
    locale: str
    patterns: list[CompiledPattern]
    index: dict[str, tuple[int, ...]]
    lists: dict[str, ListTable]
    aliases: dict[str, tuple[str, ...]]
    skip: dict[str, tuple[tuple[str, ...], ...]]
    """First word to the skip phrases starting with it (longest first)."""
    split: dict[str, tuple[tuple[str, ...], ...]]
    trim: frozenset[tuple[str, ...]]
    trim_words: frozenset[str]
    """Every word of a trim phrase: free text whose ends are not among them is left as it is."""
    vocabulary: frozenset[str]
    """Every word a pattern or list of this locale can match (fuzzy targets, locale detection)."""
    rewrite_words: frozenset[str]
    """Words that make `prepare` rewrite a message: skip-phrase starts and aliases."""
    courtesy_words: frozenset[str]
    """Words of the greeting and thanks patterns: a message may open with them, unpunctuated."""
    intents: dict[str, ast.Intent]
    slot_types: dict[str, dict[str, str]]
    """Intent to its declared slot types."""
    files: tuple[str, ...] = field(default=())
    fuzzy_pool: dict[str, list[str]] = field(default_factory=dict)
    """Deletion index of the vocabulary, built on first use by the fuzzy stage."""
    fuzzy_cache: dict[str, tuple[str, int] | None] = field(default_factory=dict)
    pattern_set: Any = None
    """`_re2.Set` of every pattern, built by `compile_all()`; None until then."""
    not_product_heads: frozenset[str] = field(default=frozenset())
    """Phrases that never begin a product reference ("hug", "to", "ser"): the locale's list
    `not_product_head`. A `query` or `product` slot starting with one rejects the reading."""
    not_product_words: frozenset[str] = field(default=frozenset())
    """Words never inside one (verbs: "become", "earn", "werden"): list `not_product_word`."""
    suggestion_index: tuple[list[str], list[tuple[str, str]]] | None = None
    """Folded example texts and (intent, example), built on first use by `suggest()`."""

    def compile_all(self) -> None:
        """Build every RE2 program now, and the set of all of them that finds every pattern a
        message matches in one linear pass (used when the prefilter leaves many candidates)."""
        for pattern in self.patterns:
            pattern.compiled()
        if self.pattern_set is None and self.patterns:
            options = _re2.RE2.Options()
            options.max_mem = RE2_SET_MAX_MEM
            matcher = _re2.Set(ANCHOR_BOTH, options)
            for pattern in self.patterns:
                if matcher.Add(pattern.source.encode()) != pattern.id:
                    return  # cannot happen for programs that compiled alone; keep the slow path
            if matcher.Compile():
                self.pattern_set = matcher

    def parse_list_value(self, list_name: str, words: str) -> object | None:
        table = self.lists.get(list_name)
        return None if table is None else table.values.get(words)


class _Context:
    """What compiling one locale needs: its rules, lists and aliases, and fresh group names."""

    def __init__(
        self,
        locale: str,
        rules: dict[str, ast.Rule],
        lists: dict[str, ListTable],
        aliases: dict[str, tuple[str, ...]],
        skip_phrases: set[tuple[str, ...]],
    ) -> None:
        self.locale = locale
        self.rules = rules
        self.lists = lists
        self.aliases = aliases
        self.skip_phrases = skip_phrases
        self._required_cache: dict[str, list[frozenset[str]]] = {}
        self._sure_text_cache: dict[tuple[str, str], frozenset[str]] = {}
        self._words_cache: dict[str, tuple[str, ...]] = {}
        self._word_regex_cache: dict[str, str] = {}
        self.rule_regex: dict[str, str] = {}
        """Regex of each rule without slots: rules are inlined many times, built once."""
        self.rule_words: dict[str, set[str]] = {}

    def word_regex(self, text: str) -> str:
        """The regex of a literal: its words, each after its space (built once per text)."""
        cached = self._word_regex_cache.get(text)
        if cached is None:
            words = self.words(text)
            cached = self._word_regex_cache[text] = "".join(" " + re.escape(w) for w in words)
        return cached

    def words(self, text: str) -> tuple[str, ...]:
        cached = self._words_cache.get(text)
        if cached is None:
            out: list[str] = []
            for word in tokenize(text).words:
                out.extend(self.aliases.get(word, (word,)))
            cached = self._words_cache[text] = tuple(out)
        return cached


def _phrase_words(ctx: _Context, phrases: Iterable[str]) -> list[tuple[str, ...]]:
    return [w for p in phrases if (w := ctx.words(p))]


def _alternation(options: Iterable[str]) -> str:
    # longest first: RE2 prefers earlier alternatives, and "azul marino" must beat "azul"
    ordered = sorted(set(options), key=lambda s: (-len(s), s))
    return "(?:" + "|".join(re.escape(o) for o in ordered) + ")"


class _PatternCompiler:
    """Compiles one pattern (or a rule inlined into it) to a regex and its required word sets."""

    def __init__(self, ctx: _Context, intent: ast.Intent, slot_types: dict[str, str]) -> None:
        self.ctx = ctx
        self.intent = intent
        self.slot_types = slot_types
        self.groups: list[SlotGroup] = []
        self.text_slots = 0
        self._rule_stack: list[str] = []

    def regex(self, expr: ast.Expr) -> str:
        match expr:
            case ast.Word(text):
                return self.ctx.word_regex(text)
            case ast.Seq(items):
                return self._bounded("".join(self.regex(i) for i in items))
            case ast.Alt(options):
                if all(isinstance(o, ast.Word) for o in options):
                    # RE2 takes the first alternative that fits: "want to see" must come before
                    # "want", whatever order the author wrote them in
                    options = tuple(
                        sorted(options, key=lambda o: -len(self.ctx.words(o.text)))  # type: ignore[union-attr]
                    )
                return self._bounded("(?:" + "|".join(self.regex(o) for o in options) + ")")
            case ast.Optional(inner):
                return "(?:" + self.regex(inner) + ")?"
            case ast.Permutation(parts):
                orders = itertools.permutations(parts)
                return "(?:" + "|".join("".join(self.regex(p) for p in o) for o in orders) + ")"
            case ast.SlotRef(name, type_, spot):
                return self._slot(name, type_, spot)
            case ast.RuleRef(name, spot):
                cached = self.ctx.rule_regex.get(name)
                if cached is not None:
                    return cached
                rule = self._rule(name, spot)
                self._rule_stack.append(name)
                groups_before, text_before = len(self.groups), self.text_slots
                try:
                    built = self.regex(rule.expr)
                finally:
                    self._rule_stack.pop()
                if len(self.groups) == groups_before and self.text_slots == text_before:
                    self.ctx.rule_regex[name] = built  # no slots inside: the same everywhere
                return built
        raise AssertionError(expr)

    def _bounded(self, built: str) -> str:
        """Refuse runaway expansion (rules that double each other) before it eats the memory."""
        if len(built) > MAX_REGEX_CHARS:
            raise _TooLarge(len(built))
        return built

    def _rule(self, name: str, spot: SourceSpot) -> ast.Rule:
        rule = self.ctx.rules.get(name)
        if rule is None:
            known = ", ".join(sorted(self.ctx.rules)) or "none"
            raise UnknownReferenceError(
                f"rule <{name}> is not defined in locale '{self.ctx.locale}'; define it with "
                f"'rule {name} = ...' (rules defined: {known})",
                spot,
                self.intent.name,
            )
        if name in self._rule_stack:
            cycle = " -> ".join([*self._rule_stack, name])
            raise PatternLimitError(
                f"rule <{name}> refers to itself ({cycle}); rules cannot be recursive",
                spot,
                self.intent.name,
            )
        return rule

    def _slot(self, name: str, type_: str | None, spot: SourceSpot) -> str:
        declared = self.slot_types.get(name)
        if type_ is None:
            if declared is None:
                raise UnknownReferenceError(
                    f"slot {{{name}}} has no type; declare it in the intent's 'slots' line "
                    f"(slots {name}: text) or write {{{name}: text}}",
                    spot,
                    self.intent.name,
                )
            type_ = declared
        elif declared is not None and declared != type_:
            raise UnknownReferenceError(
                f"slot {{{name}: {type_}}} contradicts its declaration '{name}: {declared}'",
                spot,
                self.intent.name,
            )
        body = self._type_regex(type_, name, spot)
        self.groups.append(SlotGroup(name, type_))
        return f"(?P<g{len(self.groups)}>{body})"

    def _type_regex(self, type_: str, slot: str, spot: SourceSpot) -> str:
        lists = self.ctx.lists
        if type_ == "text":
            self.text_slots += 1
            return r" [^ ]+(?: [^ ]+)*?"
        if type_ == "number":
            words = lists["number"].bare if "number" in lists else r"\b\B"
            return rf" (?:\d+\.?|{words})"
        if type_ == "ordinal":
            words = lists["ordinal"].bare if "ordinal" in lists else r"\b\B"
            return rf" (?:\d{{1,3}}(?:{_ORDINAL_SUFFIXES}|\.)?|{words})"
        if type_ == "money":
            cur = lists["currency"].bare if "currency" in lists else r"\b\B"
            return rf"(?: {cur})? {_NUM}(?: {cur})?"
        if type_ == "email":
            return r" [^ @]+@[^ ]+"
        if type_ == "phone":
            return r" \+?\d{8,15}"
        if type_ in lists:
            return lists[type_].regex
        known = ", ".join(sorted(BUILTIN_TYPES | set(lists)))
        raise UnknownReferenceError(
            f"slot '{slot}' has type '{type_}', which is neither a built-in type nor a list of "
            f"locale '{self.ctx.locale}'; define 'list {type_}' or use one of: {known}",
            spot,
            self.intent.name,
        )

    def sure_text(self, expr: ast.Expr) -> frozenset[str]:
        """Names of the text slots that every match of `expr` fills."""
        match expr:
            case ast.Word() | ast.Optional():
                return frozenset()
            case ast.Seq(items) | ast.Permutation(items):
                sure: frozenset[str] = frozenset()
                for item in items:
                    if not isinstance(item, ast.Word):
                        sure |= self.sure_text(item)
                return sure
            case ast.Alt(options):
                common: frozenset[str] | None = None
                for option in options:
                    found = self.sure_text(option)
                    common = found if common is None else common & found
                    if not common:
                        break  # most alternatives are words: the first one settles it
                return common or frozenset()
            case ast.SlotRef(name, type_, _):
                text = (type_ or self.slot_types.get(name)) == "text"
                return frozenset({name}) if text else frozenset()
            case ast.RuleRef(name, spot):
                key = (self.intent.name, name)
                cached = self.ctx._sure_text_cache.get(key)
                if cached is None:
                    cached = self.ctx._sure_text_cache[key] = self.sure_text(
                        self._rule(name, spot).expr
                    )
                return cached
        raise AssertionError(expr)

    def required(self, expr: ast.Expr) -> list[frozenset[str]]:
        """Sets of words of which the message must contain at least one each."""
        match expr:
            case ast.Word(text):
                return [frozenset({w}) for w in self.ctx.words(text)]
            case ast.Seq(items) | ast.Permutation(items):
                return [g for i in items for g in self.required(i)]
            case ast.Alt(options):
                per_option = [self.required(o) for o in options]
                if any(not groups for groups in per_option):
                    return []
                return [frozenset().union(*(min(gs, key=len) for gs in per_option))]
            case ast.Optional():
                return []
            case ast.SlotRef(name, type_, _):
                type_ = type_ or self.slot_types.get(name, "text")
                table = self.ctx.lists.get(type_)
                if table is None or type_ in RESERVED_LISTS:
                    return []
                return [frozenset(k.split(" ", 1)[0] for k in table.values)]
            case ast.RuleRef(name, spot):
                cached = self.ctx._required_cache.get(name)
                if cached is None:
                    rule = self._rule(name, spot)
                    self._rule_stack.append(name)
                    try:
                        cached = self.required(rule.expr)
                    finally:
                        self._rule_stack.pop()
                    self.ctx._required_cache[name] = cached
                return cached
        raise AssertionError(expr)


def _check_skip_words(ctx: _Context, expr: ast.Expr, spot: SourceSpot, intent: str) -> None:
    """A pattern word that is a skip phrase would never match: skip phrases leave messages first."""

    def check_run(words: list[str]) -> None:
        for n in range(1, len(words) + 1):
            for i in range(len(words) - n + 1):
                if tuple(words[i : i + n]) in ctx.skip_phrases:
                    raise PatternError(
                        f"'{' '.join(words[i : i + n])}' is a skip phrase of locale "
                        f"'{ctx.locale}': it is removed from messages before matching, so this "
                        "pattern could never match; remove it from the pattern",
                        spot,
                        intent,
                    )

    stack: list[ast.Expr] = [expr]
    while stack:
        node = stack.pop()
        match node:
            case ast.Word(text):
                check_run(list(ctx.words(text)))
            case ast.Seq(items):
                run: list[str] = []
                for item in [*items, None]:
                    if isinstance(item, ast.Word):
                        run.extend(ctx.words(item.text))
                        continue
                    check_run(run)
                    run = []
                    if item is not None:
                        stack.append(item)
            case ast.Permutation(items):
                stack.extend(items)
            case ast.Alt(options):
                stack.extend(options)
            case ast.Optional(inner):
                stack.append(inner)


def _build_list(ctx: _Context, slot_list: ast.SlotList) -> ListTable:
    values: dict[str, object] = {}
    for item in slot_list.values:
        canonical: object = item.value
        if slot_list.name in ("number", "ordinal"):
            try:
                canonical = int(item.value)
            except ValueError:
                raise PatternError(
                    f"list '{slot_list.name}' maps words to integers; '{item.value}' is not an "
                    "integer (write e.g. '2 = dos | two')",
                    item.spot,
                ) from None
        elif slot_list.name == "currency" and not re.fullmatch(r"[A-Z]{3}", item.value):
            raise PatternError(
                f"list 'currency' maps words to ISO 4217 codes; '{item.value}' is not one "
                "(write e.g. 'EUR = € | euro | euros')",
                item.spot,
            )
        names = (
            item.synonyms
            if slot_list.name in ("number", "ordinal")
            else (
                item.value,
                *item.synonyms,
            )
        )
        for synonym in names:
            words = ctx.words(synonym)
            if not words:
                continue
            key = " ".join(words)
            previous = values.get(key)
            if previous is not None and previous != canonical:
                raise DuplicateDefinitionError(
                    f"'{synonym}' is a synonym of both '{previous}' and '{canonical}' in list "
                    f"'{slot_list.name}'; keep it under one value",
                    item.spot,
                )
            values[key] = canonical
    if not values:
        raise PatternError(f"list '{slot_list.name}' has no values", slot_list.spot)
    return ListTable(
        slot_list.name, values, _alternation(" " + k for k in values), _alternation(values)
    )


def _index_key(groups: Sequence[frozenset[str]], frequency: Counter[str]) -> int:
    """The required set to index on: the one whose words are rarest across patterns."""
    return min(range(len(groups)), key=lambda i: (sum(frequency[w] for w in groups[i]), i))


def compile_locale(locale: str, files: Sequence[ast.PatternFile]) -> CompiledLocale:
    """Compile every file of one locale; raise PatternError at the first mistake."""
    aliases_raw: list[ast.Alias] = [a for f in files for a in f.aliases]
    # aliases are folded without alias expansion (an alias cannot chain into another)
    plain = _Context(locale, {}, {}, {}, set())
    aliases: dict[str, tuple[str, ...]] = {}
    for alias in aliases_raw:
        expansion = plain.words(alias.expansion)
        for word in alias.words:
            folded = plain.words(word)
            if len(folded) != 1:
                raise PatternError(
                    f"alias '{word}' must be a single word (it folds to {' '.join(folded)!r})",
                    alias.spot,
                )
            aliases[folded[0]] = expansion

    rules: dict[str, ast.Rule] = {}
    for f in files:
        for rule in f.rules:
            if rule.name in rules:
                first = rules[rule.name].spot
                raise DuplicateDefinitionError(
                    f"rule <{rule.name}> is already defined at {first}; keep one definition",
                    rule.spot,
                )
            rules[rule.name] = rule

    ctx = _Context(locale, rules, {}, aliases, set())
    ctx.skip_phrases = set(_phrase_words(ctx, (p for f in files for p in f.skip)))

    list_spots: dict[str, SourceSpot] = {}
    for f in files:
        for slot_list in f.lists:
            if slot_list.name in list_spots:
                raise DuplicateDefinitionError(
                    f"list '{slot_list.name}' is already defined at {list_spots[slot_list.name]}; "
                    "keep one definition",
                    slot_list.spot,
                )
            list_spots[slot_list.name] = slot_list.spot
            ctx.lists[slot_list.name] = _build_list(ctx, slot_list)

    intents: dict[str, ast.Intent] = {}
    slot_types: dict[str, dict[str, str]] = {}
    for f in files:
        for intent in f.intents:
            if intent.name in intents:
                raise DuplicateDefinitionError(
                    f"intent '{intent.name}' is already defined at {intents[intent.name].spot}; "
                    "an intent lives in one file of a locale",
                    intent.spot,
                )
            intents[intent.name] = intent
            types: dict[str, str] = {}
            for decl in intent.slots:
                if decl.type not in BUILTIN_TYPES and decl.type not in ctx.lists:
                    known = ", ".join(sorted(BUILTIN_TYPES | set(ctx.lists)))
                    raise UnknownReferenceError(
                        f"slot '{decl.name}' has type '{decl.type}', which is neither a built-in "
                        f"type nor a list of locale '{locale}'; define 'list {decl.type}' or use "
                        f"one of: {known}",
                        decl.spot,
                        intent.name,
                    )
                types[decl.name] = decl.type
            slot_types[intent.name] = types

    drafts: list[
        tuple[ast.Intent, ast.Pattern, str, list[SlotGroup], list[frozenset[str]], int, int]
    ]
    drafts = []
    for intent in intents.values():
        for pattern in intent.patterns:
            pc = _PatternCompiler(ctx, intent, slot_types[intent.name])
            _check_skip_words(ctx, pattern.expr, pattern.spot, intent.name)
            try:
                source = pc.regex(pattern.expr)
                required = pc.required(pattern.expr)
            except _TooLarge as exc:
                raise PatternLimitError(
                    f"this pattern expands to more than {MAX_REGEX_CHARS:,} regex characters "
                    f"(at least {exc.size:,}); rules that repeat each other grow it fast: split "
                    "it into several match lines or shrink the rules it uses",
                    pattern.spot,
                    intent.name,
                ) from None
            except RecursionError:
                raise PatternLimitError(
                    "this pattern is nested too deeply to compile; flatten its groups",
                    pattern.spot,
                    intent.name,
                ) from None
            if not required:
                raise PatternLimitError(
                    "this pattern has no required word (every word is optional or a slot), so "
                    "the prefilter cannot index it; add a literal word outside [ ]",
                    pattern.spot,
                    intent.name,
                )
            if len(source) > MAX_REGEX_CHARS:
                raise PatternLimitError(
                    f"this pattern expands to {len(source):,} regex characters (limit "
                    f"{MAX_REGEX_CHARS:,}); split it into several match lines or shrink the "
                    "permutations and rules it uses",
                    pattern.spot,
                    intent.name,
                )
            # a name also used with another type may fill that group instead (the first one wins)
            other = {g.slot for g in pc.groups if g.type != "text"}
            try:
                sure = len(pc.sure_text(pattern.expr) - other)
            except RecursionError:
                sure = 0  # no bound: every match is extracted
            drafts.append((intent, pattern, source, pc.groups, required, pc.text_slots, sure))

    frequency: Counter[str] = Counter(w for d in drafts for g in d[4] for w in g)
    patterns: list[CompiledPattern] = []
    index: dict[str, list[int]] = {}
    for pid, (intent, pattern, source, groups, required, text_slots, sure) in enumerate(drafts):
        key = _index_key(required, frequency)
        ordered = (required[key], *required[:key], *required[key + 1 :])
        fixed = tuple(
            (a.name, _fixed_value(ctx, intent, slot_types[intent.name], a)) for a in pattern.fixed
        )
        patterns.append(
            CompiledPattern(
                id=pid,
                intent=intent.name,
                origin=f"{pattern.spot.file}:{pattern.spot.line}",
                priority=pattern.priority,
                source=source,
                # groups are numbered in the order they open, which is the order they were made
                groups=(None, *groups),
                required=ordered,
                fixed=fixed,
                text_slots=text_slots,
                fixed_slots=tuple(Slot(name, value, "", 0, 0, "fixed") for name, value in fixed),
                sure_text=sure,
            )
        )
        for word in required[key]:
            index.setdefault(word, []).append(pid)

    vocabulary = {w for d in drafts for g in d[4] for w in g}
    for intent in intents.values():
        for pattern in intent.patterns:
            vocabulary.update(_literal_words(ctx, pattern.expr))
    for name, table in ctx.lists.items():
        if name in VETO_LISTS:
            continue  # words that reject a reading are not words to correct typos toward
        for key in table.values:
            vocabulary.update(key.split(" "))
    vocabulary.update(w for phrase in ctx.skip_phrases for w in phrase)

    courtesy_words: set[str] = set()
    for name in COURTESY_INTENTS & set(intents):
        for pattern in intents[name].patterns:
            courtesy_words.update(_literal_words(ctx, pattern.expr))
    split_phrases = _phrase_words(ctx, (p for f in files for p in f.split))
    trim = _phrase_words(ctx, (p for f in files for p in f.trim))
    return CompiledLocale(
        locale=locale,
        patterns=patterns,
        index={w: tuple(ids) for w, ids in index.items()},
        lists=ctx.lists,
        aliases=aliases,
        skip=_by_first_word(ctx.skip_phrases),
        split=_by_first_word(split_phrases),
        trim=frozenset(trim),
        trim_words=frozenset(word for phrase in trim for word in phrase),
        vocabulary=frozenset(vocabulary),
        rewrite_words=frozenset(aliases) | {p[0] for p in ctx.skip_phrases},
        courtesy_words=frozenset(courtesy_words),
        intents=intents,
        slot_types=slot_types,
        files=tuple(f.path for f in files),
        not_product_heads=_words_of(ctx.lists.get("not_product_head")),
        not_product_words=_words_of(ctx.lists.get("not_product_word")),
    )


def _words_of(table: ListTable | None) -> frozenset[str]:
    return frozenset() if table is None else frozenset(table.values)


def _literal_words(ctx: _Context, expr: ast.Expr) -> set[str]:
    out: set[str] = set()
    stack: list[ast.Expr] = [expr]
    while stack:
        node = stack.pop()
        match node:
            case ast.Word(text):
                out.update(ctx.words(text))
            case ast.Seq(items) | ast.Permutation(items):
                stack.extend(items)
            case ast.Alt(options):
                stack.extend(options)
            case ast.Optional(inner):
                stack.append(inner)
            case ast.RuleRef(name, _) if name in ctx.rules:
                words = ctx.rule_words.get(name)
                if words is None:
                    ctx.rule_words[name] = set()  # a recursive rule is refused elsewhere
                    words = ctx.rule_words[name] = _literal_words(ctx, ctx.rules[name].expr)
                out |= words
    return out


def _by_first_word(
    phrases: Iterable[tuple[str, ...]],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in set(phrases):
        table.setdefault(phrase[0], []).append(phrase)
    return {w: tuple(sorted(ps, key=len, reverse=True)) for w, ps in table.items()}


def _fixed_value(
    ctx: _Context, intent: ast.Intent, types: dict[str, str], assignment: ast.Assignment
) -> object:
    type_ = types.get(assignment.name)
    if type_ is None:
        raise UnknownReferenceError(
            f"fixed slot '{assignment.name}' is not declared; add it to the intent's 'slots' line",
            assignment.spot,
            intent.name,
        )
    if type_ in ("number", "ordinal"):
        try:
            return int(assignment.value)
        except ValueError:
            raise PatternError(
                f"slot '{assignment.name}' is a {type_}; '{assignment.value}' is not an integer",
                assignment.spot,
                intent.name,
            ) from None
    table = ctx.lists.get(type_)
    if table is not None:
        canonical = set(table.values.values())
        if assignment.value not in canonical:
            raise UnknownReferenceError(
                f"'{assignment.value}' is not a value of list '{type_}'; use one of: "
                + ", ".join(sorted(map(str, canonical))),
                assignment.spot,
                intent.name,
            )
    return assignment.value
