"""The `shopmcp` command: one entry point, each subcommand implemented by the package that owns it.

Subcommands are imported lazily so that `shopmcp classify` never pays for importing the web server,
and so that `engine/` stays free of server dependencies.
"""

from __future__ import annotations

import importlib
import sys

# subcommand -> (module, function, one-line help). The function takes argv (after the subcommand)
# and returns an exit code.
_COMMANDS: dict[str, tuple[str, str, str]] = {
    "intent": ("engine._cli", "intent_main", "recognize one message and explain how"),
    "classify": ("engine._cli", "classify_main", "classify JSON lines from stdin (INTENTS.md)"),
    "patterns": ("engine._cli", "patterns_main", "check | watch | suggest pattern files"),
    "eval": (
        "shopmcp.eval_cli",
        "eval_main",
        "intents | conversations: score on material we did not write",
    ),
    "serve": ("server.cli", "serve_main", "run the HTTP server (on PORT, default 3300)"),
    "chat": ("server.cli", "chat_main", "chat with a running server in the terminal"),
    "business-api": ("commerce.cli", "business_api_main", "serve the embedded shop over HTTP"),
}


def _usage() -> str:
    width = max(map(len, _COMMANDS))
    lines = ["usage: shopmcp COMMAND [ARGS]", "", "commands:"]
    lines += [f"  {name.ljust(width)}  {help_}" for name, (_, _, help_) in _COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        print(_usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in _COMMANDS:
        print(f"shopmcp: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, function_name, _ = _COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        print(f"shopmcp: command {name!r} is not available in this build", file=sys.stderr)
        return 2
    return int(getattr(module, function_name)(rest) or 0)
