"""The steps a decision is made of: run a request, ask a question, or say a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogue.state import Item, Pending

__all__ = ["Ask", "Decision", "Run", "Say", "Step", "numbered"]


@dataclass(frozen=True, slots=True)
class Run:
    """Make this request: the orchestrator maps it to a tool and calls it."""

    intent: str
    slots: dict[str, Any]
    mapping: dict[str, Any] | None = None
    """The intent server's mapping for these very slots; None when the slots changed."""
    confirmed: bool = False
    """A yes to the confirmation question: run without asking again."""


@dataclass(frozen=True, slots=True)
class Ask:
    """Ask the shopper: text key and its parameters; the state remembers `pending`."""

    key: str
    params: dict[str, Any]
    pending: Pending


@dataclass(frozen=True, slots=True)
class Say:
    key: str
    params: dict[str, Any] = field(default_factory=dict)


Step = Run | Ask | Say


@dataclass(frozen=True, slots=True)
class Decision:
    steps: tuple[Step, ...]
    intent: str
    """The intent the reply reports (the open question's when the message answered it)."""
    via: str = "analysis"
    """analysis, answer or follow_up: which reading understood the message."""


def numbered(items: tuple[Item, ...] | list[Item]) -> str:
    return "; ".join(f"{i}. {item.name}" for i, item in enumerate(items[:6], 1))
