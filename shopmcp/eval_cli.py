"""`shopmcp eval intents|...`: the evaluations, each owned by the package it scores."""

from __future__ import annotations

import importlib
import sys

__all__ = ["eval_main"]

# kind -> (module, function, one-line help)
_KINDS: dict[str, tuple[str, str, str]] = {
    "intents": ("engine._evaluate", "evaluate_main", "score the engine on labelled JSON lines"),
    "conversations": (
        "shopmcp.evaluation.cli",
        "conversations_main",
        "run a conversation corpus against a running server",
    ),
}


def eval_main(argv: list[str]) -> int:
    if not argv or argv[0] not in _KINDS:
        lines = ["usage: shopmcp eval KIND [ARGS]", "", "kinds:"]
        lines += [f"  {name:<14} {help_}" for name, (_, _, help_) in _KINDS.items()]
        print("\n".join(lines), file=sys.stderr if argv else sys.stdout)
        return 2 if argv else 0
    module, function, _ = _KINDS[argv[0]]
    return int(getattr(importlib.import_module(module), function)(argv[1:]) or 0)
