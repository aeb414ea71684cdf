"""Hostile text and hostile pattern files against the engine (issue #7).

Properties run with hypothesis, derandomized and bounded, so a run is repeatable and quick. Hostile
pattern files run in a worker thread joined with a timeout: the bound only guards against a hang,
it is not a speed measurement. The one case that could exhaust memory runs in a subprocess with an
address-space cap, so a regression kills that child and not the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import (
    IntentEngine,
    LiveEngine,
    PatternError,
    Result,
    compile_locale,
    fold_text,
    load_patterns,
    parse_text,
    tokenize,
)
from shopmcp.settings import PROJECT_ROOT
from tests.engine.conftest import MINI_EN, MINI_ES

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
HANG_BOUND = 60.0
"""Seconds a hostile pattern file may take to be refused or compiled and matched; a hang fails."""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> IntentEngine:
    root = tmp_path_factory.mktemp("patterns")
    for locale, text in (("es", MINI_ES), ("en", MINI_EN)):
        (root / locale).mkdir()
        (root / locale / "all.intents").write_text(text, encoding="utf-8")
    return load_patterns(root)


# Words the mini patterns know, and text that stresses normalization: case that changes length
# when lowered (İ), ligatures, elisions, hyphens, emoji with modifiers, numbers, e-mails, phones.
_VOCABULARY_WORDS = (
    "agrega añade pon 2 dos iphone al carrito que hay en mi busco tienen azul marino rojo por "
    "menos de 500€ $1,299.99 quiero pagar hola gracias porfa add to my cart do you have under "
    "checkout hello thanks thx pls and y luego el la the a"
)
VOCABULARY = _VOCABULARY_WORDS.split()
ODD = [
    "İstanbul",
    "ß",
    "ﬁ",
    "œuf",
    "l'iphone",
    "montre-moi",
    "t-shirt",
    "holaaaa",
    "👋🏽",
    "🙏",
    "🛒",
    "ana@example.com",
    "+34 600 123 456",
    "0034600123456",
    "2.",
    "2º",
    "1.299,99",
    "\u0301",
    "\u200b",
    "\x00",
    "\ufeff",
    "\r\n",
    "¿",
    "¡",
    "...",
    "«»",
    "𝔸",
    "٣",
    "Ⅻ",
    "\U0010ffff",
]
messages = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(VOCABULARY + ODD), max_size=20).map(" ".join),
    st.lists(st.one_of(st.sampled_from(VOCABULARY + ODD), st.text(max_size=4)), max_size=15).map(
        lambda parts: "".join(p + (" " if i % 3 else "") for i, p in enumerate(parts))
    ),
)


def _every_match(result: Result) -> list:  # type: ignore[type-arg]
    return [*result.matches, *result.alternatives, *result.courtesy]


@PROPERTY
@given(text=messages)
def test_any_text_tokenizes_to_words_whose_spans_lie_in_the_text(text: str) -> None:
    tokens = tokenize(text)
    assert len(tokens.words) == len(tokens.starts) == len(tokens.ends) == len(tokens.kinds)
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends, strict=True):
        assert word
        assert 0 <= start <= end <= len(text)


@PROPERTY
@given(text=messages, locale=st.sampled_from([None, "es", "en", "es-MX", "EN"]))
def test_any_text_is_recognized_without_raising(
    engine: IntentEngine, text: str, locale: str | None
) -> None:
    result = engine.recognize(text, locale)
    assert isinstance(result, Result)
    assert result.status in ("matched", "ambiguous", "none")
    assert result.text == text


@PROPERTY
@given(text=messages)
def test_without_a_locale_the_detected_locale_is_a_supported_one(
    engine: IntentEngine, text: str
) -> None:
    result = engine.recognize(text, None)
    assert result.locale in engine.locales
    assert result.locale_detected


@PROPERTY
@given(text=messages)
def test_slot_spans_index_the_original_text_and_slice_to_the_slot_text(
    engine: IntentEngine, text: str
) -> None:
    for locale in (None, "es", "en"):
        for match in _every_match(engine.recognize(text, locale)):
            for slot in match.slots:
                if slot.type == "fixed":
                    continue
                assert 0 <= slot.start <= slot.end <= len(text), slot
                assert text[slot.start : slot.end] == slot.text, slot


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        pytest.param("agrega 2 iphone al carrito", "es", id="es-quantity-and-product"),
        pytest.param("AGREGA 2 İPHONE al carrito", "es", id="dotted-capital-i"),
        pytest.param("tienen el iphone 15 en azul marino?", "es", id="list-synonym"),
        pytest.param("add 2 shirts to my cart", "en", id="en-add"),
    ],
)
def test_slots_of_real_matches_slice_to_what_the_shopper_wrote(
    engine: IntentEngine, text: str, locale: str
) -> None:
    """Anchors the span property on messages known to match, so it is never vacuous."""
    result = engine.recognize(text, locale)
    assert result.status == "matched"
    slots = [s for m in result.matches for s in m.slots if s.type != "fixed"]
    assert slots
    for slot in slots:
        assert text[slot.start : slot.end] == slot.text


FOLD_BUG = (
    "engine/_normalize.py fold_word lowercases before NFKD, so compatibility letters without a "
    "lowercase mapping (mathematical bold/fraktur 𝐀 𝔸, double-struck ℍ, as Instagram 'fonts' "
    "write them) fold to uppercase ASCII: fold_text('𝔸') == 'A' but fold_text('A') == 'a', and "
    "'𝐈𝐏𝐇𝐎𝐍𝐄' never matches the pattern word 'iphone'"
)


@PROPERTY
@given(text=messages)
def test_fold_text_is_idempotent(text: str) -> None:
    once = fold_text(text)
    assert fold_text(once) == once


@PROPERTY
@given(text=messages.map(lambda t: unicodedata.normalize("NFKC", t)))
def test_fold_text_is_idempotent_on_compatibility_normalized_text(text: str) -> None:
    once = fold_text(text)
    assert fold_text(once) == once


@pytest.mark.parametrize("styled", ["𝐈𝐏𝐇𝐎𝐍𝐄", "𝔸", "ℍola"])
def test_styled_unicode_letters_fold_to_lowercase(styled: str) -> None:
    assert fold_text(styled) == fold_text(styled).lower()


# Pattern files built from the DSL's own keywords and reserved characters, so generated files
# reach deep into the grammar instead of failing on their first character.
DSL_TOKENS = [
    "locale",
    "en",
    "skip",
    "split",
    "trim",
    "alias",
    "list",
    "rule",
    "intent",
    "slots",
    "priority",
    "match",
    "example",
    "not",
    "help",
    "color",
    "q",
    "r",
    "x",
    "hola",
    "azul",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "<",
    ">",
    "|",
    ";",
    "=",
    ",",
    ":",
    "#",
    '"',
    "->",
    "&",
    "{q}",
    "{q: text}",
    "{n: number}",
    "<r>",
    "[x]",
    "(x; y)",
    "-1",
    "5",
    "+2",
    "\\",
    "é",
    "👋",
    "\t",
    "''",
    "text",
    "number",
    "money",
]
dsl_lines = st.tuples(
    st.sampled_from(["", "", "  ", "\t", "| "]),
    st.lists(st.one_of(st.sampled_from(DSL_TOKENS), st.text(max_size=3)), max_size=8),
).map(lambda t: t[0] + " ".join(t[1]))
dsl_files = st.tuples(
    st.sampled_from(["locale en\n", "", "locale en\r\n", "# c\nlocale en\n"]),
    st.lists(dsl_lines, max_size=12),
    st.sampled_from(["\n", "\r\n"]),
).map(lambda t: t[0] + t[2].join(t[1]))


def _assert_points_at_a_spot(exc: PatternError, path: str, text: str) -> None:
    spot = exc.spot
    assert spot.file == path
    assert 1 <= spot.line <= max(1, len(text.splitlines()) + 1)
    assert spot.column >= 1
    assert str(exc).startswith(f"{path}:{spot.line}:{spot.column}: ")


@PROPERTY
@given(text=dsl_files)
def test_any_pattern_text_parses_or_raises_a_pattern_error_at_a_spot(text: str) -> None:
    try:
        parsed = parse_text(text, "gen.intents")
    except PatternError as exc:
        _assert_points_at_a_spot(exc, "gen.intents", text)
        return
    try:
        compile_locale("en", [parsed])
    except PatternError as exc:
        _assert_points_at_a_spot(exc, "gen.intents", text)


@PROPERTY
@given(text=st.text(max_size=300))
def test_any_unicode_text_as_a_pattern_file_parses_or_raises_a_pattern_error(text: str) -> None:
    try:
        parse_text(text, "any.intents")
    except PatternError as exc:
        _assert_points_at_a_spot(exc, "any.intents", text)


def _bounded(work: Callable[[], object]) -> object:
    """Run `work` in a thread; return its result or the exception it raised; fail on a hang."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed back to the test, which decides
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=HANG_BOUND)
    assert not worker.is_alive(), f"still running after {HANG_BOUND} s"
    return outcome[0]


HEADER = "locale en\nintent help\n  slots a: text, b: text\n"
HOSTILE = [
    pytest.param(
        HEADER + "  match go (" + " | ".join(f"w{i}" for i in range(50_000)) + ") end\n",
        "go w49999 end",
        id="alternation-of-50k-words",
    ),
    pytest.param(
        HEADER + "  match go (a; b; c; d; e; f; g; h) end\n",
        "go h g f e d c b a end",
        id="permutation-of-8-parts",
    ),
    pytest.param(
        HEADER + "  match go ((a; b; c; d); (e; f; g; h); (i; j; k; l); (m; n; o; p)) end\n",
        "go p o n m a b c d e f g h i j k l end",
        id="nested-permutations",
    ),
    pytest.param(
        "locale en\nrule a = x <b>\nrule b = y <a>\n"
        + HEADER.split("\n", 1)[1]
        + "  match go <a>\n",
        "go x y",
        id="mutually-recursive-rules",
    ),
    pytest.param(
        "locale en\nrule a = x [<a>]\n" + HEADER.split("\n", 1)[1] + "  match go <a>\n",
        "go x x",
        id="self-recursive-rule",
    ),
    pytest.param(
        HEADER
        + "  match "
        + " ".join(["[x]"] * 60)
        + " "
        + " ".join(["x"] * 60)
        + " {a} x {b} end\n",
        "x " * 2000,
        id="optional-runs-built-to-backtrack",
    ),
    pytest.param(
        HEADER + "  match {a} {b} (x | x x | x x x)  [x] [x] [x] {a} end\n",
        "x " * 1999 + "y",
        id="ambiguous-free-text-built-to-backtrack",
    ),
    pytest.param(
        "locale en\nrule a0 = x | y\n"
        + "".join(f"rule a{i} = <a{i - 1}> <a{i - 1}>\n" for i in range(1, 20))
        + HEADER.split("\n", 1)[1]
        + "  match go <a19>\n",
        "go x",
        id="rules-doubling-19-times",
    ),
    pytest.param(
        HEADER + "  match " + "[ " * 500 + "x" + " ]" * 500 + " end\n",
        "x end",
        id="brackets-nested-500-deep",
    ),
    pytest.param(
        HEADER + "  match " + "( " * 500 + "x | y" + " )" * 500 + " end\n",
        "y end",
        id="groups-nested-500-deep",
    ),
    pytest.param(
        HEADER + "  match " + "[ " * 500 + "x end\n",
        "x end",
        id="500-unclosed-brackets-on-a-long-line",
    ),
]


@pytest.mark.parametrize(("pattern_file", "message"), HOSTILE)
def test_a_hostile_pattern_file_is_refused_clearly_or_compiles_and_matches_in_bounded_time(
    write_patterns: Callable[..., Path], pattern_file: str, message: str
) -> None:
    root = write_patterns({"en/x.intents": pattern_file})

    def compile_and_match() -> str:
        return load_patterns(root).recognize(message, "en", fuzzy=False).status

    outcome = _bounded(compile_and_match)
    if isinstance(outcome, PatternError):
        assert str(outcome).startswith(f"{outcome.spot.file}:{outcome.spot.line}:")
        assert "x.intents" in outcome.spot.file
    else:
        assert outcome in ("matched", "ambiguous", "none"), outcome


DEEP = 5000


def test_optional_groups_nested_5000_levels_deep_are_refused_clearly_or_matched(
    write_patterns: Callable[..., Path],
) -> None:
    body = HEADER + "  match " + "[ " * DEEP + "x" + " ]" * DEEP + " end\n"
    root = write_patterns({"en/x.intents": body})
    outcome = _bounded(lambda: load_patterns(root).recognize("x end", "en").status)
    assert isinstance(outcome, PatternError) or outcome == "matched", repr(outcome)


def test_groups_nested_5000_levels_deep_are_refused_clearly_or_matched(
    write_patterns: Callable[..., Path],
) -> None:
    body = HEADER + "  match " + "( " * DEEP + "x" + " )" * DEEP + " end\n"
    root = write_patterns({"en/x.intents": body})
    outcome = _bounded(lambda: load_patterns(root).recognize("x end", "en").status)
    assert isinstance(outcome, PatternError) or outcome == "matched", repr(outcome)


def test_a_deeply_nested_save_keeps_the_last_good_patterns_serving(
    write_patterns: Callable[..., Path],
) -> None:
    root = write_patterns({"en/all.intents": MINI_EN})
    live = LiveEngine(root)
    assert live.engine.recognize("checkout", "en").intent == "get_payment_link"
    (root / "en" / "all.intents").write_text(
        MINI_EN + "intent deep\n  match " + "[ " * DEEP + "x" + " ]" * DEEP + " end\n",
        encoding="utf-8",
    )
    outcome = _bounded(live.reload)
    assert isinstance(outcome, list) and outcome and isinstance(outcome[0], PatternError)
    assert live.engine.recognize("checkout", "en").intent == "get_payment_link"


RULE_BOMB = textwrap.dedent(
    """\
    import resource, sys, tempfile
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    from engine import PatternError, load_patterns
    root = Path(tempfile.mkdtemp()) / "en"
    root.mkdir()
    rules = "".join(f"rule a{i} = <a{i-1}> <a{i-1}>\\n" for i in range(1, 40))
    (root / "x.intents").write_text(
        "locale en\\nrule a0 = x | y\\n" + rules + "intent help\\n  match go <a39>\\n"
    )
    try:
        load_patterns(root.parent)
    except PatternError as exc:
        print("PatternError", exc)
        sys.exit(0)
    print("compiled")
    sys.exit(1)
    """
)


@pytest.mark.slow
def test_rules_that_double_each_other_are_refused_before_they_exhaust_memory() -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", RULE_BOMB],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=HANG_BOUND,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"compiling the rule bomb did not finish in {HANG_BOUND} s")
    assert done.returncode == 0 and done.stdout.startswith("PatternError"), (
        done.returncode,
        done.stdout[-500:],
        done.stderr[-500:],
    )
