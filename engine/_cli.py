"""The engine's commands: `shopmcp intent`, `shopmcp classify`, `shopmcp patterns check|watch`.

`classify` is the interface of every outside evaluation (../shared/INTENTS.md): one JSON object per
input line, in order, and a bad line yields an error object while the run goes on.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from engine._check import check_engine
from engine._engine import IntentEngine, PatternSet, load_patterns
from engine._reload import LiveEngine
from engine._result import Match, Result
from engine.errors import EngineError, PatternError, UnknownLocaleError
from shopmcp.settings import Settings

__all__ = ["classify_main", "classify_stream", "intent_main", "patterns_main", "result_record"]

Recognizer = Callable[[str, str | None], Result]
EAGER_BUILD_LINES = 50
"""From this many input lines on, `classify` builds all RE2 programs before the first line."""


def _settings() -> Settings:
    return Settings.from_env()


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--patterns", type=Path, default=None, help="pattern directory (default: SHOPMCP_PATTERNS)"
    )
    parser.add_argument(
        "--no-ai", action="store_true", help="never ask an AI provider (patterns and fuzzy only)"
    )


def _engine(patterns: Path | None) -> IntentEngine:
    settings = _settings()
    engine = load_patterns(
        patterns or settings.patterns_dir,
        default_currency=settings.default_currency,
        cache_dir=settings.data_dir / "pattern-cache",
    )
    # RE2 programs are built on first use: a short batch starts at once, and only the first
    # lines that need a program pay for building it (their `micros` says so)
    return engine


def _recognizer(engine: IntentEngine, no_ai: bool) -> Recognizer:
    """Patterns first; the AI fallback (when configured and allowed) answers what they miss."""
    fallback = None
    if not no_ai:
        try:
            from engine.ai import fallback_from_settings
        except ImportError:  # built without the AI fallback
            fallback_from_settings = None
        if fallback_from_settings is not None:
            fallback = fallback_from_settings(_settings(), engine)

    def recognize(text: str, locale: str | None) -> Result:
        result = engine.recognize(text, locale)
        if fallback is not None and result.status != "matched":
            return fallback.resolve(result)
        return result

    return recognize


def _match_record(m: Match) -> dict[str, Any]:
    return {"intent": m.intent, "slots": m.values(), "rule": m.rule, "score": m.score}


def result_record(result: Result) -> dict[str, Any]:
    """One classify output line (INTENTS.md); fields beyond the contract are only ever added."""
    best = result.matches[0] if result.matches else None
    record: dict[str, Any] = {
        "text": result.text,
        "locale": result.locale,
        "intent": best.intent if best else "unknown",
        "slots": best.values() if best else {},
        "source": best.source if best else "none",
        "score": best.score if best else 0.0,
        "rule": best.rule if best else None,
        "micros": round(result.micros, 1),
    }
    if result.status == "ambiguous":
        record["ambiguous"] = True
        record["candidates"] = [_match_record(m) for m in result.matches]
    elif len(result.matches) > 1:
        record["intents"] = [_match_record(m) for m in result.matches]
    if result.courtesy:
        record["courtesy"] = [m.intent for m in result.courtesy]
    if best is not None and best.corrections:
        record["corrections"] = [
            {"from": c.original, "to": c.corrected, "start": c.start, "end": c.end}
            for c in best.corrections
        ]
    return record


def classify_stream(
    lines: Iterable[str], out: TextIO, recognize: Recognizer, default_locale: str | None
) -> int:
    """Classify JSON lines; return how many lines were errors."""
    errors = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record: dict[str, Any]
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError('expected a JSON object like {"text": "..."}')
            text = item.get("text")
            if not isinstance(text, str):
                raise ValueError('the object has no string field "text"')
            locale = item.get("locale") or default_locale
            if locale is not None and not isinstance(locale, str):
                raise ValueError('"locale" must be a string such as "es"')
            record = result_record(recognize(text, locale))
        except json.JSONDecodeError as exc:
            errors += 1
            record = {"error": f"invalid JSON: {exc.msg} at column {exc.colno}", "line": number}
        except (ValueError, UnknownLocaleError) as exc:
            errors += 1
            record = {"error": str(exc), "line": number}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return errors


def classify_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shopmcp classify",
        description='Classify JSON lines {"text", "locale"?} from stdin to stdout.',
    )
    parser.add_argument("--locale", default=None, help="locale for lines that carry none")
    _add_common(parser)
    args = parser.parse_args(argv)
    try:
        engine = _engine(args.patterns)
        if args.locale is not None:
            engine.compiled(args.locale)  # an unknown default locale fails before any input
    except EngineError as exc:
        print(f"shopmcp classify: {exc}", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
    lines = sys.stdin.readlines()
    if len(lines) >= EAGER_BUILD_LINES:
        # a large batch builds every RE2 program first: each line's `micros` is then matching
        # time, not the one-off cost of building the programs it happens to be first to need
        engine.compile_all()
    classify_stream(lines, sys.stdout, _recognizer(engine, args.no_ai), args.locale)
    return 0


def _explain(result: Result, out: TextIO) -> None:
    how = "detected" if result.locale_detected else "given"
    if result.status == "none":
        out.write(f"intent     unknown (no pattern matched)\nlocale     {result.locale} ({how})\n")
    for i, m in enumerate(result.matches):
        label = "intent" if i == 0 else "then"
        tag = " (tied: ambiguous)" if result.status == "ambiguous" else ""
        out.write(f"{label:<10} {m.intent}{tag}  [{m.source}, score {m.score:.2f}]\n")
        if i == 0:
            out.write(f"locale     {result.locale} ({how})\n")
        out.write(f"rule       {m.rule}  (priority {m.priority}, {m.specificity} words matched)\n")
        for s in m.slots:
            span = f'"{s.text}" at {s.start}:{s.end}' if s.text else "fixed by the pattern"
            out.write(
                f"  slot     {s.name} = {json.dumps(s.value, ensure_ascii=False)}  ({span})\n"
            )
        for c in m.corrections:
            out.write(f"  fixed    {c.original!r} → {c.corrected!r} ({c.distance} edit(s))\n")
    for m in result.alternatives:
        out.write(f"also       {m.intent} by {m.rule} (ranked lower)\n")
    for origin in result.near_misses[:5]:
        out.write(f"near miss  {origin} (its words are there, the pattern did not match)\n")
    if len(result.near_misses) > 5:
        out.write(f"near miss  ... and {len(result.near_misses) - 5} more\n")
    out.write(f"time       {result.micros:.1f} µs\n")


def intent_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shopmcp intent", description="Recognize one message and explain how."
    )
    parser.add_argument("message")
    parser.add_argument("--locale", default=None, help="en, es, fr or de (default: detect)")
    parser.add_argument("--json", action="store_true", help="print the classify record instead")
    _add_common(parser)
    args = parser.parse_args(argv)
    try:
        engine = _engine(args.patterns)
        result = engine.recognize(args.message, args.locale, explain=True)
    except EngineError as exc:
        print(f"shopmcp intent: {exc}", file=sys.stderr)
        return 2
    if not args.no_ai and result.status != "matched":
        result = _recognizer(engine, False)(args.message, args.locale)
    if args.json:
        print(json.dumps(result_record(result), ensure_ascii=False))
    else:
        _explain(result, sys.stdout)
    return 0


def _check(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shopmcp patterns check",
        description="Compile patterns, run every example and counter-example, report overlaps.",
    )
    parser.add_argument("directory", nargs="?", type=Path, default=None)
    parser.add_argument("--overlaps", action="store_true", help="list every overlap settled")
    args = parser.parse_args(argv)
    settings = _settings()
    directory = args.directory or settings.patterns_dir
    try:
        engine, errors = PatternSet(directory, default_currency=settings.default_currency).load()
    except PatternError as exc:
        print(exc, file=sys.stderr)
        return 1
    for error in errors:
        print(error, file=sys.stderr)
    if not engine.locales:
        if not errors:
            print(
                f"no pattern files under {directory}: expected <locale>/*.intents", file=sys.stderr
            )
        print(f"0 locales compiled: {len(errors)} errors", file=sys.stderr)
        return 1
    report = check_engine(engine)
    for failure in report.failures:
        print(failure)
    total_examples = 0
    for lr in report.locales:
        total_examples += lr.examples
        print(
            f"{lr.locale}: {lr.examples} examples, {lr.counter_examples} counter-examples, "
            f"{len(lr.overlaps)} overlaps settled by priority or specificity"
        )
        if args.overlaps:
            for line in lr.overlaps:
                print(f"  {line}")
    failed = len(report.failures) + len(errors)
    print(
        f"{len(report.locales)} locales, {total_examples} examples: "
        f"{'ok' if not failed else f'{failed} failures'} (pattern set {engine.version})"
    )
    return 0 if not failed else 1


def _watch(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shopmcp patterns watch",
        description="Reload patterns on every save and recognize what you type.",
    )
    parser.add_argument("directory", nargs="?", type=Path, default=None)
    parser.add_argument("--locale", default=None)
    args = parser.parse_args(argv)
    settings = _settings()
    directory = args.directory or settings.patterns_dir
    try:
        live = LiveEngine(directory, default_currency=settings.default_currency)
    except PatternError as exc:
        print(exc, file=sys.stderr)
        return 1
    lock = threading.Lock()

    def reloaded(engine: IntentEngine, errors: list[PatternError]) -> None:
        with lock:
            if errors:
                print("\n! reload kept the last good version of:", file=sys.stderr)
                for e in errors:
                    print(e, file=sys.stderr)
            else:
                print(f"\n✓ patterns reloaded (set {engine.version})")
            print("> ", end="", flush=True)

    live.on_reload(reloaded)
    live.start()
    print(f"watching {directory} (set {live.engine.version}); type a message, Ctrl-D to quit")
    for e in live.errors:
        print(e, file=sys.stderr)
    try:
        while True:
            print("> ", end="", flush=True)
            line = sys.stdin.readline()
            if not line:
                break
            if line.strip():
                with lock:
                    try:
                        _explain(
                            live.engine.recognize(line.strip(), args.locale, explain=True),
                            sys.stdout,
                        )
                    except EngineError as exc:
                        print(exc)
    except KeyboardInterrupt:
        pass
    finally:
        live.stop()
    print()
    return 0


def patterns_main(argv: list[str]) -> int:
    commands = {"check": _check, "watch": _watch}
    try:
        from engine.ai import suggest_main
    except ImportError:
        suggest_main = None
    if suggest_main is not None:
        commands["suggest"] = suggest_main
    if not argv or argv[0] not in commands:
        print(f"usage: shopmcp patterns {{{'|'.join(commands)}}} [DIR]", file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])
