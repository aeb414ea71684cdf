"""Fixtures of the AI fallback tests: a small engine, real SDK clients aimed at local fakes, a clock.

The clock is real time plus an offset: HTTP timeouts stay real (the hang test needs them), while
the fallback's waits (retry-after, backoff) and circuit cool-downs move the offset instead of
sleeping, and are recorded so a test can say which waits happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import anthropic
import groq
import pytest

from engine import IntentEngine, load_patterns
from engine.ai import AIFallback, AnthropicProvider, GroqProvider, Provider
from tests.fakes.llm_servers import FakeAnthropic, FakeGroq, Reply

PATTERNS_ES = """\
locale es
skip por favor | porfa
trim el | la | los | las | un | una

list number
  1 = uno | una | un
  2 = dos
  3 = tres
list ordinal
  1 = primero | primera
  2 = segundo | segunda
  -1 = ultimo | ultima
list currency
  EUR = € | euro | euros
  USD = $ | dolar | dolares
list color
  red = rojo | roja
  blue = azul | azules
list category
  audio = auriculares | cascos
  phones = moviles | telefonos
list topic
  shipping = envio | envios
  returns = devolucion | devoluciones
  other

rule cart = carrito | cesta

intent add_to_basket
  slots quantity: number, product: text
  match agrega [{quantity}] {product} al <cart>
  example agrega 2 iphone al carrito -> quantity = 2, product = "iphone"

intent search_products
  slots query: text, color: color, max_price: money
  match busco {query} [en {color}]
  example busco zapatillas en rojo -> query = "zapatillas", color = red

intent greet
  match hola
  example hola
"""

PATTERNS_EN = """\
locale en
list number
  2 = two
list ordinal
  2 = second
list currency
  USD = $ | dollars

intent greet
  match hello
  example hello
"""


class FakeClock:
    """`time.monotonic()` plus an offset that `sleep` and `advance` move; `waits` lists sleeps."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.offset += seconds

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture(scope="session")
def patterns_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ai-patterns")
    for locale, text in {"es": PATTERNS_ES, "en": PATTERNS_EN}.items():
        (root / locale).mkdir()
        (root / locale / "all.intents").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def engine(patterns_dir: Path) -> IntentEngine:
    return load_patterns(patterns_dir)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    """Closes clients, then stops servers (last in, first out)."""
    with ExitStack() as s:
        yield s


@pytest.fixture
def claude(stack: ExitStack) -> Callable[..., tuple[FakeAnthropic, AnthropicProvider]]:
    """A fake Anthropic API answering `replies`, and a provider with a real client aimed at it."""

    def make(*replies: Reply) -> tuple[FakeAnthropic, AnthropicProvider]:
        fake = FakeAnthropic(list(replies))
        url = stack.enter_context(fake.running())
        # max_retries=2 on purpose: the provider must switch the SDK's own retries off.
        client = stack.enter_context(
            anthropic.Anthropic(api_key="test", base_url=url, max_retries=2)
        )
        return fake, AnthropicProvider(client, "claude-test")

    return make


@pytest.fixture
def llama(stack: ExitStack) -> Callable[..., tuple[FakeGroq, GroqProvider]]:
    """A fake Groq API answering `replies`, and a provider with a real client aimed at it."""

    def make(*replies: Reply) -> tuple[FakeGroq, GroqProvider]:
        fake = FakeGroq(list(replies))
        url = stack.enter_context(fake.running())
        client = stack.enter_context(groq.Groq(api_key="test", base_url=url, max_retries=2))
        return fake, GroqProvider(client, "llama-test")

    return make


@pytest.fixture
def fallback(engine: IntentEngine, clock: FakeClock) -> Callable[..., AIFallback]:
    """An AIFallback over the test engine with the fake clock; keyword arguments pass through."""

    def make(*providers: Provider, **options: Any) -> AIFallback:
        options.setdefault("timeout", 4.0)
        return AIFallback(engine, providers, clock=clock, sleep=clock.sleep, **options)

    return make
