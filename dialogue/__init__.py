"""The dialogue layer: what a message means in the conversation so far.

Pure and synchronous like `engine/`: it imports neither `mcp` nor `litestar` and does no I/O. The
orchestrator loads a `DialogueState`, asks `decide()` what the message means, runs the requests
the decision names, tells the state what the tools answered (`observe()`), and saves it.
"""

from dialogue._observe import observe
from dialogue._text import find_email, find_order_ids, find_phone, parse_number, parse_yes_no
from dialogue.decide import decide
from dialogue.references import Resolution, resolve_reference
from dialogue.state import (
    VERSION,
    AnswerKind,
    BasketLine,
    DialogueState,
    Item,
    Pending,
    PreviousRequest,
    Speaker,
)
from dialogue.steps import Ask, Decision, Run, Say, Step, numbered

__all__ = [
    "VERSION",
    "AnswerKind",
    "Ask",
    "BasketLine",
    "Decision",
    "DialogueState",
    "Item",
    "Pending",
    "PreviousRequest",
    "Resolution",
    "Run",
    "Say",
    "Speaker",
    "Step",
    "decide",
    "find_email",
    "find_order_ids",
    "find_phone",
    "numbered",
    "observe",
    "parse_number",
    "parse_yes_no",
    "resolve_reference",
]
