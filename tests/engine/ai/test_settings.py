"""`fallback_from_settings`: providers in AI_PROVIDERS order, only those with a key; none → None."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine._cli import _recognizer, result_record
from engine.ai import AIFallback, MemoryCache, RedisCache, fallback_from_settings, read_records
from shopmcp.settings import Settings
from tests.fakes.llm_servers import FakeAnthropic, FakeGroq, Reply

MESSAGE = "mete dos fundas en la cesta"


def test_without_a_key_there_is_no_fallback(engine) -> None:
    assert fallback_from_settings(Settings(), engine) is None


def test_without_a_key_the_cli_classifies_exactly_as_before(
    engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ANTHROPIC_API_KEY", "GROQ_API_KEY", "AI_PROVIDERS", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)

    record = result_record(_recognizer(engine, False)(MESSAGE, "es"))

    assert (record["intent"], record["source"]) == ("unknown", "none")


def test_configured_providers_answer_in_ai_providers_order_and_answers_are_recorded(
    engine, tmp_path: Path
) -> None:
    claude = FakeAnthropic([Reply.with_answer("greet")])
    llama = FakeGroq([Reply.with_answer("add_to_basket", {"quantity": 2})])
    with claude.running() as claude_url, llama.running() as llama_url:
        settings = Settings(
            data_dir=tmp_path,
            anthropic_api_key="test",
            anthropic_base_url=claude_url,
            groq_api_key="test",
            groq_base_url=llama_url,
            groq_model="llama-test",
            ai_providers=("groq", "anthropic"),
            ai_timeout_seconds=2.0,
        )
        with fallback_from_settings(settings, engine) as fallback:
            assert isinstance(fallback, AIFallback)
            assert [p.name for p in fallback.providers] == ["groq", "anthropic"]
            assert isinstance(fallback.cache, MemoryCache)
            result = fallback.resolve(engine.recognize(MESSAGE, "es"))

    assert result.matches[0].rule == "ai:groq:llama-test"
    assert (llama.calls, claude.calls) == (1, 0)
    (record,) = read_records(tmp_path / "ai-answers.jsonl")
    assert (record["provider"], record["intent"]) == ("groq", "add_to_basket")


def test_only_providers_with_a_key_are_asked(engine) -> None:
    settings = Settings(groq_api_key="test", groq_base_url="http://127.0.0.1:9")
    with fallback_from_settings(settings, engine) as fallback:
        assert [p.name for p in fallback.providers] == ["groq"]


def test_redis_url_selects_the_redis_cache(engine, redis_url: str) -> None:
    settings = Settings(groq_api_key="test", redis_url=redis_url)
    with fallback_from_settings(settings, engine) as fallback:
        assert isinstance(fallback.cache, RedisCache)
