"""What recognizing a message returns: matched (one intent or several in order), ambiguous, or none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Correction", "Match", "Result", "Slot"]


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    value: object
    text: str
    """What the shopper wrote for it."""
    start: int
    end: int
    """Character span in the original message."""
    type: str = "text"
    """The slot's type: a built-in type or a list name."""


@dataclass(frozen=True, slots=True)
class Correction:
    """A word the fuzzy stage replaced: `original` at `start:end` was read as `corrected`."""

    original: str
    corrected: str
    start: int
    end: int
    distance: int


@dataclass(frozen=True, slots=True)
class Match:
    intent: str
    slots: tuple[Slot, ...]
    rule: str
    """The pattern's origin: `patterns/es/basket.intents:12`."""
    score: float
    source: Literal["pattern", "fuzzy", "ai"]
    priority: int = 0
    specificity: int = 0
    """Words matched by literals and lists (not free text): the tie-breaker after priority."""
    corrections: tuple[Correction, ...] = ()
    start: int = 0
    end: int = 0

    def values(self) -> dict[str, object]:
        """Slot name to value, as INTENTS.md spells them."""
        return {s.name: s.value for s in self.slots}


@dataclass(frozen=True, slots=True)
class Result:
    status: Literal["matched", "ambiguous", "none"]
    locale: str
    text: str
    matches: tuple[Match, ...] = ()
    """matched: the intents in the order the message asks for them; ambiguous: the tied candidates."""
    alternatives: tuple[Match, ...] = ()
    """Other intents whose patterns also matched, ranked below the winner (near ties)."""
    near_misses: tuple[str, ...] = ()
    """Rules that passed the prefilter but did not match (filled when explaining)."""
    micros: float = 0.0
    locale_detected: bool = False
    courtesy: tuple[Match, ...] = ()
    """Greetings or thanks around a request ("hola, ¿tienen iPhone?"): kept, but not the request."""

    @property
    def intent(self) -> str:
        return self.matches[0].intent if self.status == "matched" else "unknown"

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.status == "matched" else None
