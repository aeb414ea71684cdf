"""The answer cache: Redis when REDIS_URL is set (the session's real server), LRU otherwise."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from engine.ai import NO_ANSWER, AIAnswer, MemoryCache, RedisCache, cache_key
from tests.fakes.llm_servers import Reply

ANSWER = AIAnswer("greet", {}, 0.9, "anthropic", "claude-test")


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    yield client
    client.close()


@pytest.fixture
def redis_cache(redis_client: redis.Redis) -> Iterator[RedisCache]:
    """A cache under a key prefix of its own, deleted afterwards."""
    prefix = f"shopmcp-test:{uuid.uuid4().hex}:"
    yield RedisCache(redis_client, prefix=prefix, ttl_seconds=60)
    keys = list(redis_client.scan_iter(match=prefix + "*"))
    if keys:
        redis_client.delete(*keys)


def test_the_key_is_the_same_for_messages_that_fold_alike() -> None:
    assert cache_key("¡¡Holaaa, QUÉ tal!!", "es") == cache_key("hola que tal", "es")
    assert cache_key("hola", "es") != cache_key("hola", "en")


def test_the_memory_cache_forgets_the_least_recently_used_entry() -> None:
    cache = MemoryCache(max_entries=2)
    cache.set("a", ANSWER)
    cache.set("b", NO_ANSWER)
    cache.get("a")
    cache.set("c", ANSWER)

    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (ANSWER, None, ANSWER)


def test_redis_keeps_answers_and_no_answers_with_a_ttl(redis_cache, redis_client) -> None:
    redis_cache.set("es:1", ANSWER)
    redis_cache.set("es:2", NO_ANSWER)

    assert redis_cache.get("es:1") == ANSWER
    assert redis_cache.get("es:2") is NO_ANSWER
    assert redis_cache.get("es:3") is None
    assert 0 < redis_client.ttl(redis_cache.prefix + "es:1") <= 60


def test_an_unreachable_redis_reads_as_a_miss_and_does_not_raise() -> None:
    client = redis.Redis(
        host="127.0.0.1", port=1, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0)
    )
    cache = RedisCache(client, prefix="x:")

    cache.set("es:1", ANSWER)
    assert cache.get("es:1") is None
    client.close()


def test_a_message_answered_by_one_worker_costs_no_call_in_another(
    engine, claude, fallback, redis_cache
) -> None:
    fake, provider = claude(
        Reply.with_answer("add_to_basket", {"quantity": 2, "product": "fundas"})
    )
    first_worker = fallback(provider, cache=redis_cache)
    second_worker = fallback(provider, cache=redis_cache)

    one = first_worker.resolve(engine.recognize("mete dos fundas en la cesta", "es"))
    two = second_worker.resolve(engine.recognize("Mete dos fundas en la cesta!", "es"))

    assert fake.calls == 1
    assert one.matches[0].values() == two.matches[0].values()
    assert {s.text for s in two.matches[0].slots} == {"dos", "fundas"}
