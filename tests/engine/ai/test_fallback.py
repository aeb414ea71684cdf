"""AIFallback against the real anthropic and groq clients, aimed at local wire-format fakes."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from engine import IntentEngine, LiveEngine, Match, Result
from engine._cli import result_record
from engine.ai import AIFallback, AnswerLog, MemoryCache, read_records
from tests.fakes.llm_servers import Reply

ADD_TWO_CASES = Reply.with_answer("add_to_basket", {"quantity": 2, "product": "fundas"}, 0.93)
UNMATCHED = "mete dos fundas en la cesta"


def unmatched(engine: IntentEngine, text: str = UNMATCHED) -> Result:
    result = engine.recognize(text, "es")
    assert result.status == "none"
    return result


def test_a_good_answer_becomes_a_matched_result_from_the_ai(engine, claude, fallback) -> None:
    fake, provider = claude(ADD_TWO_CASES)

    result = fallback(provider).resolve(unmatched(engine))

    assert result.status == "matched"
    match = result.matches[0]
    assert (match.intent, match.values()) == ("add_to_basket", {"quantity": 2, "product": "fundas"})
    assert (match.source, match.score, match.rule) == ("ai", 0.93, "ai:anthropic:claude-test")
    assert {s.name: s.text for s in match.slots} == {"quantity": "dos", "product": "fundas"}
    assert result_record(result)["source"] == "ai"
    request = fake.requests[0]
    assert request["tool_choice"]["type"] == "tool"
    assert request["tools"][0]["name"] == request["tool_choice"]["name"]
    assert set(request["tools"][0]["input_schema"]["required"]) == {"intent", "slots", "confidence"}
    prompt = json.loads(request["messages"][0]["content"])
    assert (prompt["message"], prompt["locale"]) == (UNMATCHED, "es")


def test_groq_answers_through_a_forced_function_call(engine, llama, fallback) -> None:
    fake, provider = llama(ADD_TWO_CASES)

    result = fallback(provider).resolve(unmatched(engine))

    assert result.matches[0].rule == "ai:groq:llama-test"
    assert fake.requests[0]["tool_choice"]["function"]["name"] == "classify_message"


def test_a_matched_result_is_returned_without_a_call(engine, claude, fallback) -> None:
    fake, provider = claude(ADD_TWO_CASES)
    matched = engine.recognize("hola", "es")

    assert fallback(provider).resolve(matched) is matched
    assert fake.calls == 0


def test_the_prompt_lists_tied_candidates_first_and_the_recent_turns(
    engine, claude, fallback
) -> None:
    fake, provider = claude(ADD_TWO_CASES)
    tied = tuple(
        Match(intent, (), f"patterns/es/x.intents:{i}", 1.0, "pattern")
        for i, intent in enumerate(("remove_from_basket", "get_product_info"))
    )
    ambiguous = Result("ambiguous", "es", "la funda", matches=tied)
    history = [
        {"role": "user", "text": "busco fundas", "intent": "search_products"},
        {"role": "assistant", "text": "Tenemos 3 fundas"},
    ]

    fallback(provider).resolve(ambiguous, history)

    request = fake.requests[0]
    enum = request["tools"][0]["input_schema"]["properties"]["intent"]["enum"]
    assert enum[:2] == ["remove_from_basket", "get_product_info"]
    prompt = json.loads(request["messages"][0]["content"])
    assert [c["intent"] for c in prompt["candidates"][:2]] == enum[:2]
    assert [t["text"] for t in prompt["recent_turns"]] == ["busco fundas", "Tenemos 3 fundas"]
    assert prompt["list_values"]["topic"] == ["other", "returns", "shipping"]


def test_malformed_json_is_rejected_and_the_next_provider_answers(
    engine, llama, claude, fallback
) -> None:
    broken, first = llama(Reply.malformed('{"intent": "add_to_basket", '))
    _, second = claude(ADD_TWO_CASES)

    result = fallback(first, second).resolve(unmatched(engine))

    assert broken.calls == 1
    assert result.matches[0].rule == "ai:anthropic:claude-test"


def test_a_response_body_that_is_not_json_is_rejected(engine, claude, fallback) -> None:
    _, provider = claude(Reply.malformed("{oops"))

    result = fallback(provider).resolve(unmatched(engine))

    assert (result.status, result.intent) == ("none", "unknown")


def test_a_text_answer_instead_of_the_tool_call_is_rejected(engine, claude, fallback) -> None:
    _, provider = claude(Reply.plain_text("I think they want to add cases"))

    assert fallback(provider).resolve(unmatched(engine)).status == "none"


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"intent": "order_pizza", "slots": {}, "confidence": 0.9}, id="intent"),
        pytest.param(
            {"intent": "get_basket", "slots": {"product": "x"}, "confidence": 0.9}, id="slot"
        ),
        pytest.param(
            {"intent": "add_to_basket", "slots": {"quantity": "2"}, "confidence": 0.9},
            id="number-as-string",
        ),
        pytest.param(
            {"intent": "search_products", "slots": {"color": "rojo"}, "confidence": 0.9},
            id="list-synonym-not-canonical",
        ),
        pytest.param({"intent": "greet", "slots": {}}, id="no-confidence"),
    ],
)
def test_an_answer_outside_the_contract_is_never_passed_on(
    engine, claude, fallback, answer
) -> None:
    _, provider = claude(Reply(answer=answer))

    result = fallback(provider).resolve(unmatched(engine))

    assert (result.status, result.intent, result.matches) == ("none", "unknown", ())


def test_a_429_is_retried_after_its_retry_after(engine, claude, fallback, clock) -> None:
    fake, provider = claude(Reply.rate_limited(1.5), ADD_TWO_CASES)

    result = fallback(provider).resolve(unmatched(engine))

    assert result.intent == "add_to_basket"
    assert (fake.calls, clock.waits) == (2, [1.5])


def test_a_429_waiting_past_the_deadline_goes_to_the_next_provider(
    engine, claude, llama, fallback, clock
) -> None:
    limited, first = claude(Reply.rate_limited(30))
    _, second = llama(ADD_TWO_CASES)

    result = fallback(first, second).resolve(unmatched(engine))

    assert result.matches[0].rule == "ai:groq:llama-test"
    assert (limited.calls, clock.waits) == (1, [])


def test_a_500_is_retried_once_then_the_next_provider_answers(
    engine, claude, llama, fallback, clock
) -> None:
    failing, first = claude(Reply.error(500))
    _, second = llama(ADD_TWO_CASES)

    result = fallback(first, second, retries=1).resolve(unmatched(engine))

    assert result.matches[0].rule == "ai:groq:llama-test"
    assert failing.calls == 2  # our one retry; the SDK's own retries are off
    assert clock.waits == [0.2]


def test_a_hanging_provider_yields_unknown_within_the_deadline(
    engine, claude, llama, fallback
) -> None:
    hanging, first = claude(Reply.hanging())
    second_fake, second = llama(ADD_TWO_CASES)
    ai = fallback(first, second, timeout=0.5)
    results: list[Result] = []
    done = threading.Event()

    def run() -> None:
        results.append(ai.resolve(unmatched(engine)))
        done.set()

    started = time.monotonic()
    threading.Thread(target=run, daemon=True).start()

    assert done.wait(timeout=0.5 + 0.75), "resolve() outlived its deadline"
    assert time.monotonic() - started < 0.5 + 0.75
    assert results[0].intent == "unknown"
    assert (hanging.calls, second_fake.calls) == (1, 0)


def test_the_circuit_opens_after_consecutive_failures_and_half_opens_after_the_cooldown(
    engine, claude, llama, fallback, clock
) -> None:
    failing, first = claude(Reply.error(503))
    _, second = llama(ADD_TWO_CASES)
    ai = fallback(first, second, retries=0, failure_threshold=2, cooldown=30.0, cache=MemoryCache())
    messages = iter(f"mete {n} fundas en la cesta" for n in range(1, 20))

    def ask() -> Result:
        return ai.resolve(engine.recognize(next(messages), "es"))

    ask(), ask()
    assert (failing.calls, ai.breakers["anthropic"].state) == (2, "open")

    assert ask().matches[0].rule == "ai:groq:llama-test"
    assert failing.calls == 2  # skipped without a request while open

    clock.advance(30.0)
    ask()  # the half-open trial fails: open again
    assert (failing.calls, ai.breakers["anthropic"].state) == (3, "open")
    ask()
    assert failing.calls == 3

    failing.replies[:] = [ADD_TWO_CASES]
    clock.advance(30.0)
    assert ask().matches[0].rule == "ai:anthropic:claude-test"
    assert ai.breakers["anthropic"].state == "closed"


def test_the_cache_answers_the_same_message_again_without_a_call(
    engine, claude, fallback, tmp_path: Path
) -> None:
    fake, provider = claude(ADD_TWO_CASES)
    log = AnswerLog(tmp_path / "ai-answers.jsonl")
    ai = fallback(provider, cache=MemoryCache(), log=log)

    first = ai.resolve(unmatched(engine))
    again = ai.resolve(unmatched(engine, "¡¡Mete DOS fundas en la cesta!!"))

    assert fake.calls == 1
    assert again.matches[0].values() == first.matches[0].values()
    assert [r["cached"] for r in read_records(log.path)] == [False, True]


def test_a_rejected_answer_is_cached_but_a_failure_is_not(engine, claude, fallback) -> None:
    rejected, first = claude(Reply.with_answer("order_pizza"))
    failing, second = claude(Reply.error(500))
    ai_rejected = fallback(first, cache=MemoryCache())
    ai_failing = fallback(second, cache=(failures := MemoryCache()), retries=0)

    for _ in range(2):
        ai_rejected.resolve(unmatched(engine))
        ai_failing.resolve(unmatched(engine))

    assert (rejected.calls, failing.calls) == (1, 2)
    assert len(failures) == 0


def test_an_answer_below_the_minimum_confidence_is_unknown(engine, claude, fallback) -> None:
    _, provider = claude(Reply.with_answer("greet", confidence=0.2))

    assert fallback(provider, min_confidence=0.5).resolve(unmatched(engine)).intent == "unknown"


def test_every_ai_answer_is_recorded_with_its_slots_and_provider(
    engine, claude, fallback, tmp_path: Path
) -> None:
    _, provider = claude(ADD_TWO_CASES)
    log = AnswerLog(tmp_path / "data" / "ai-answers.jsonl")

    fallback(provider, log=log).resolve(unmatched(engine))

    (record,) = read_records(log.path)
    assert record["text"] == UNMATCHED
    assert (record["locale"], record["intent"]) == ("es", "add_to_basket")
    assert record["slots"] == {"quantity": 2, "product": "fundas"}
    assert record["spans"] == {"quantity": [5, 8], "product": [9, 15]}
    assert (record["provider"], record["model"]) == ("anthropic", "claude-test")
    assert record["timestamp"].endswith("+00:00")


def test_a_live_engine_is_read_afresh_at_every_call(patterns_dir: Path, claude, clock) -> None:
    live = LiveEngine(patterns_dir)
    _, provider = claude(Reply.with_answer("search_products", {"color": "blue"}))
    ai = AIFallback(live, [provider], clock=clock, sleep=clock.sleep)

    result = ai.resolve(live.engine.recognize("algo azul", "es"))

    assert result.matches[0].values() == {"color": "blue"}
    assert result.matches[0].slots[0].text == "azul"


def test_a_malformed_answer_to_the_half_open_trial_closes_the_circuit(
    engine, claude, fallback, clock
) -> None:
    fake, provider = claude(Reply.error(500), Reply.malformed("{oops"), ADD_TWO_CASES)
    ai = fallback(provider, retries=0, failure_threshold=1, cooldown=30.0)

    ai.resolve(unmatched(engine, "mete 1 funda"))
    clock.advance(30.0)
    ai.resolve(unmatched(engine, "mete 2 fundas"))

    assert ai.breakers["anthropic"].state == "closed"
    assert ai.resolve(unmatched(engine)).intent == "add_to_basket"
    assert fake.calls == 3
