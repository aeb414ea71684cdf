"""The rule-first intent engine: pattern DSL, compiled matchers, fuzzy fallback, hot reload.

Pure and synchronous: it imports neither `mcp` nor `litestar`.
"""

from engine._check import CheckReport, check_engine
from engine._compile import CompiledLocale, compile_locale
from engine._engine import (
    MAX_MESSAGE_CHARS,
    IntentEngine,
    PatternSet,
    load_patterns,
    normalize_locale,
)
from engine._normalize import Tokens, fold_text, tokenize
from engine._parse import parse_file, parse_text
from engine._reload import LiveEngine
from engine._result import Correction, Match, Result, Slot
from engine._slots import parse_amount
from engine._suggest import Suggestion, suggest
from engine.errors import (
    DuplicateDefinitionError,
    EngineError,
    PatternError,
    PatternLimitError,
    PatternSyntaxError,
    SourceSpot,
    UnknownLocaleError,
    UnknownReferenceError,
)

__all__ = [
    "MAX_MESSAGE_CHARS",
    "CheckReport",
    "CompiledLocale",
    "Correction",
    "DuplicateDefinitionError",
    "EngineError",
    "IntentEngine",
    "LiveEngine",
    "Match",
    "PatternError",
    "PatternLimitError",
    "PatternSet",
    "PatternSyntaxError",
    "Result",
    "Slot",
    "SourceSpot",
    "Suggestion",
    "Tokens",
    "UnknownLocaleError",
    "UnknownReferenceError",
    "check_engine",
    "compile_locale",
    "fold_text",
    "load_patterns",
    "normalize_locale",
    "parse_amount",
    "parse_file",
    "parse_text",
    "suggest",
    "tokenize",
]
