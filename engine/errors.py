"""The engine's errors. One root, so callers can catch everything the engine raises on purpose:

EngineError
├── PatternError (ValueError)        a pattern file is wrong; carries file, line, column
│   ├── PatternSyntaxError           the file does not parse
│   ├── UnknownReferenceError        a rule, list, slot or slot type that is not defined
│   ├── DuplicateDefinitionError     an intent, rule or list defined twice in a locale
│   └── PatternLimitError            a pattern too large or too slow to compile safely
└── UnknownLocaleError (ValueError)  a locale the engine has no patterns for
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DuplicateDefinitionError",
    "EngineError",
    "PatternError",
    "PatternLimitError",
    "PatternSyntaxError",
    "SourceSpot",
    "UnknownLocaleError",
    "UnknownReferenceError",
]


class EngineError(Exception):
    """Root of every error the engine raises on purpose."""


@dataclass(frozen=True, slots=True)
class SourceSpot:
    """A place in a pattern file: 1-based line and column, and the text of that line."""

    file: str
    line: int
    column: int
    source_line: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def excerpt(self) -> str:
        if not self.source_line:
            return ""
        caret = " " * (max(self.column, 1) - 1) + "^"
        return f"    {self.source_line}\n    {caret}"


class PatternError(EngineError, ValueError):
    """A pattern file is wrong. The message names the spot, the intent and the fix."""

    def __init__(self, message: str, spot: SourceSpot, intent: str | None = None) -> None:
        self.message = message
        self.spot = spot
        self.intent = intent
        where = f"{spot}: " + (f"in intent '{intent}': " if intent else "")
        excerpt = spot.excerpt()
        super().__init__(where + message + (f"\n{excerpt}" if excerpt else ""))


class PatternSyntaxError(PatternError):
    """The file does not follow the grammar."""


class UnknownReferenceError(PatternError):
    """A rule, list, slot or slot type is used but not defined."""


class DuplicateDefinitionError(PatternError):
    """An intent, rule or list is defined twice in one locale."""


class PatternLimitError(PatternError):
    """A pattern would compile to something too large to match in bounded time."""


class UnknownLocaleError(EngineError, ValueError):
    """A locale the engine has no patterns for; the message names the ones it has."""

    def __init__(self, locale: str, supported: tuple[str, ...]) -> None:
        self.locale = locale
        self.supported = supported
        super().__init__(
            f"unknown locale {locale!r}: supported locales are {', '.join(supported)}; "
            "pass one of them, or omit the locale to detect it from the text"
        )
