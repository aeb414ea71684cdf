"""Run every pattern set's examples and counter-examples, and hold it to the intent contract.

Used by `shopmcp patterns check` and by the test suite: the examples in the pattern files are tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine import _ast as ast
from engine._engine import IntentEngine
from engine._normalize import fold_text
from engine._result import Match, Result
from engine._slots import parse_amount
from engine.contract import INTENTS, LIST_VALUES
from engine.errors import PatternError

__all__ = ["CheckReport", "Failure", "check_engine"]


@dataclass(frozen=True, slots=True)
class Failure:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(slots=True)
class LocaleReport:
    locale: str
    examples: int = 0
    counter_examples: int = 0
    overlaps: list[str] = field(default_factory=list)
    """Examples that another intent's patterns also matched, settled by priority or specificity."""


@dataclass(slots=True)
class CheckReport:
    locales: list[LocaleReport] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _expected_value(type_: str, raw: str, currency: str) -> object:
    if type_ in ("number", "ordinal"):
        return int(raw)
    if type_ == "money":
        parts = raw.split()
        code = parts[1].upper() if len(parts) > 1 else currency
        return {"amount": parse_amount(parts[0], code), "currency": code}
    return raw


def _same(type_: str, expected: object, actual: object) -> bool:
    if type_ == "text":
        return fold_text(str(expected)) == fold_text(str(actual))
    if type_ in ("email",):
        return str(expected).lower() == str(actual).lower()
    if type_ == "phone":
        return str(expected).replace(" ", "") == str(actual)
    if isinstance(actual, int) and not isinstance(expected, int):
        return str(actual) == str(expected)
    return expected == actual


def _describe(m: Match) -> str:
    slots = ", ".join(f"{k} = {v!r}" for k, v in m.values().items())
    return f"{m.intent}" + (f" ({slots})" if slots else "") + f" [{m.rule}]"


def _describe_result(r: Result) -> str:
    if r.status == "none":
        return "no match"
    got = " & ".join(_describe(m) for m in r.matches)
    return ("ambiguous between " if r.status == "ambiguous" else "") + got


def _check_contract(engine: IntentEngine, locale: str, failures: list[Failure]) -> None:
    compiled = engine.compiled(locale)
    for name, intent in compiled.intents.items():
        where = str(intent.spot)
        if name not in INTENTS:
            failures.append(
                Failure(where, f"intent '{name}' is not in the contract (../shared/INTENTS.md)")
            )
            continue
        allowed = INTENTS[name]
        for decl in intent.slots:
            if decl.name not in allowed:
                failures.append(
                    Failure(
                        str(decl.spot),
                        f"intent '{name}' has no slot '{decl.name}' in the contract; its slots "
                        f"are: {', '.join(allowed) or 'none'}",
                    )
                )
            elif allowed[decl.name] != decl.type:
                failures.append(
                    Failure(
                        str(decl.spot),
                        f"slot '{decl.name}' of '{name}' must have type '{allowed[decl.name]}'",
                    )
                )
    missing = sorted(set(INTENTS) - set(compiled.intents) - {"unknown"})
    if missing:
        failures.append(
            Failure(f"patterns/{locale}", f"intents without patterns: {', '.join(missing)}")
        )
    for list_name, values in LIST_VALUES.items():
        table = compiled.lists.get(list_name)
        if table is None:
            continue
        extra = sorted(set(map(str, table.values.values())) - values)
        if extra:
            failures.append(
                Failure(
                    f"patterns/{locale}",
                    f"list '{list_name}' has values outside the contract: {', '.join(extra)}",
                )
            )


def _check_example(
    engine: IntentEngine, locale: str, example: ast.Example, report: LocaleReport
) -> Failure | None:
    compiled = engine.compiled(locale)
    # explain: every matching pattern is extracted, so overlaps settled by priority are reported
    result = engine.recognize(example.text, locale, explain=True)
    where = str(example.spot)
    expected = example.expected
    wanted = " & ".join(e.intent for e in expected)
    if result.status != "matched" or [m.intent for m in result.matches] != [
        e.intent for e in expected
    ]:
        return Failure(
            where, f"example {example.text!r}: expected {wanted}, got {_describe_result(result)}"
        )
    for exp, match in zip(expected, result.matches, strict=True):
        types = compiled.slot_types.get(exp.intent, {})
        actual = match.values()
        wanted_slots: dict[str, object] = {}
        for a in exp.slots:
            type_ = types.get(a.name)
            if type_ is None:
                return Failure(
                    str(a.spot), f"example expects slot '{a.name}', which {exp.intent} lacks"
                )
            try:
                wanted_slots[a.name] = _expected_value(type_, a.value, engine.default_currency)
            except (ValueError, IndexError):
                return Failure(str(a.spot), f"expected value {a.value!r} is not a {type_}")
        problems = []
        for name, value in wanted_slots.items():
            if name not in actual:
                problems.append(f"{name} missing")
            elif not _same(types[name], value, actual[name]):
                problems.append(f"{name} = {actual[name]!r}, expected {value!r}")
        problems += [f"unexpected {k} = {v!r}" for k, v in actual.items() if k not in wanted_slots]
        if problems:
            return Failure(
                where,
                f"example {example.text!r} ({exp.intent} by {match.rule}): " + "; ".join(problems),
            )
    if result.alternatives:
        report.overlaps.append(
            f"{where}: {example.text!r} is also matched by "
            + ", ".join(f"{m.intent} [{m.rule}]" for m in result.alternatives)
            + f"; {result.matches[0].intent} wins"
        )
    return None


def check_engine(engine: IntentEngine, locales: list[str] | None = None) -> CheckReport:
    report = CheckReport()
    for locale in locales or list(engine.locales):
        compiled = engine.compiled(locale)
        try:
            compiled.compile_all()
        except PatternError as exc:
            report.failures.append(Failure(str(exc.spot), exc.message))
        lr = LocaleReport(locale)
        report.locales.append(lr)
        _check_contract(engine, locale, report.failures)
        for name, intent in compiled.intents.items():
            for example in intent.examples:
                lr.examples += 1
                failure = _check_example(engine, locale, example, lr)
                if failure is not None:
                    report.failures.append(failure)
            for counter in intent.counter_examples:
                lr.counter_examples += 1
                result = engine.recognize(counter.text, locale)
                if result.status != "none" and name in {m.intent for m in result.matches}:
                    report.failures.append(
                        Failure(
                            str(counter.spot),
                            f"counter-example {counter.text!r} must not be {name}, but "
                            f"{_describe_result(result)}",
                        )
                    )
    return report
