"""server/failures.py: every failure code said in the shopper's language, never as a code."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from commerce.errors import CommerceError
from engine.contract import LOCALES
from mcp_servers.ecommerce_storefront.server import create_server
from mcp_servers.errors import ErrorInfo, error_of
from mcp_servers.notifications.errors import NotificationError
from server.failures import RENDERED_CODES, describe_failure
from shopmcp.settings import PROJECT_ROOT, Settings

# Params each code arrives with, as the servers send them.
SAMPLES: dict[str, dict[str, Any]] = {
    "ambiguous_product": {
        "query": "galaxy",
        "candidates": [{"id": "3", "name": "Galaxy S24"}, {"id": "4", "name": "Galaxy A55"}],
    },
    "unknown_product": {"query": "flux capacitor"},
    "not_in_basket": {"basket_id": "b1", "product_id": "7", "name": "JBL Flip 6"},
    "out_of_stock": {"product_id": "7", "sku": "JBL-FLIP6", "name": "JBL Flip 6", "available": 2},
    "unknown_basket": {"basket_id": "b1"},
    "empty_basket": {"basket_id": "b1"},
    "currency_mismatch": {"product_id": "7", "name": "JBL Flip 6"},
    "unknown_order": {"order_id": "ORD-40512"},
    "unknown_topic": {"topics": ["shipping", "returns"]},
    "not_found": {"topic": "other"},
    "invalid_recipient": {"kind": "email", "recipient": "ana@"},
    "invalid_arguments": {"tool": "add_to_basket", "fields": ["quantity"]},
    "invalid_product": {"field": "price", "reason": "must be positive"},
    "duplicate_sku": {"sku": "LOG-K380"},
    "invalid_file": {},
    "backend_unavailable": {},
}
# Codes that are right to be said with the generic sentence: a developer's mistake or an
# outage detail the shopper can do nothing about.
GENERIC = {
    "tool_error",
    "internal_error",
    "unknown_tool",
    "unknown_locale",
    "analysis_failed",
    "unknown_intent",
    "unknown_slot",
    "commerce_error",
    "invalid_request",
    "invalid_link",
    "tampered_link",
    "expired_link",
    "notification_error",
    "idempotency_conflict",
    "invalid_message",
    "basket_closed",  # the storefront answers it by starting a new basket; it never reaches a shopper
    "a_code_added_next_year",
}
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _subclasses(cls: type) -> list[type]:
    return [cls, *(c for sub in cls.__subclasses__() for c in _subclasses(sub))]


def codes_the_servers_send() -> set[str]:
    """Every code a tool failure can carry: raised in the servers, or a shop or notification
    error's code passed through."""
    found = {c.code for c in _subclasses(CommerceError)}
    found |= {c.code for c in _subclasses(NotificationError)}
    for path in (PROJECT_ROOT / "mcp_servers").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'ToolFailure\(\s*"([a-z_]+)"', source))
    found |= {"invalid_file"}  # commerce.importing's ImportFileError
    return found


def test_every_code_the_servers_send_is_rendered_or_deliberately_generic() -> None:
    missing = codes_the_servers_send() - RENDERED_CODES - GENERIC
    assert not missing, f"give these codes a sentence in server/failures.py: {sorted(missing)}"


def test_the_samples_cover_every_rendered_code() -> None:
    assert set(SAMPLES) == RENDERED_CODES


def _said(code: str, locale: str, tool: str = "add_to_basket") -> str:
    params = SAMPLES.get(code, {"detail": "x"})
    sentence, data = describe_failure(
        ErrorInfo(code=code, params=params, message="English for developers"),
        locale,
        tool=tool,
        product="it in purple",
    )
    assert data["error"] == code
    return sentence


def _sentences(value: str) -> list[str]:
    return [s.strip() for s in re.split(r"[.?!:;]\s", value) if len(s.strip()) > 12]


@pytest.mark.parametrize("code", sorted(RENDERED_CODES | GENERIC))
@pytest.mark.parametrize("locale", LOCALES)
def test_every_code_is_a_sentence_in_every_locale_without_codes_braces_or_none(
    code: str, locale: str
) -> None:
    said = _said(code, locale)
    assert said and said == said.strip()
    assert not RAW_CODE.search(said), said
    assert "{" not in said and "}" not in said and "None" not in said
    assert "English for developers" not in said
    if locale != "en":
        english = _said(code, "en")
        assert said != english
        for sentence in _sentences(english):
            assert sentence not in said, (locale, sentence)


def test_an_ambiguous_name_lists_the_candidates_as_a_numbered_question() -> None:
    sentence, data = describe_failure(
        ErrorInfo(code="ambiguous_product", params=SAMPLES["ambiguous_product"]), "fr", tool="x"
    )
    assert sentence == "Lequel voulez-vous dire : 1. Galaxy S24; 2. Galaxy A55 ?"
    assert data["candidates"] == SAMPLES["ambiguous_product"]["candidates"]


def test_a_stock_limit_says_what_is_left_and_carries_it_as_data() -> None:
    sentence, data = describe_failure(
        ErrorInfo(code="out_of_stock", params=SAMPLES["out_of_stock"]), "de", tool="add_to_basket"
    )
    assert sentence == "Leider haben wir von JBL Flip 6 nur noch 2 Stück."
    assert data == {"error": "out_of_stock", "available": 2, "product_id": "7"}


def test_nothing_left_is_sold_out_not_zero_left() -> None:
    params = {**SAMPLES["out_of_stock"], "available": 0}
    sentence, _ = describe_failure(ErrorInfo(code="out_of_stock", params=params), "es", tool="x")
    assert sentence == "Lo siento, JBL Flip 6 está agotado ahora mismo."


def test_an_unknown_order_names_the_id_the_shopper_gave() -> None:
    sentence, _ = describe_failure(
        ErrorInfo(code="unknown_order", params={"order_id": "ORD-40512"}), "es", tool="x"
    )
    assert "ORD-40512" in sentence and sentence.startswith("No encuentro")


def test_a_refused_delivery_leaves_the_sentence_to_the_sender_and_names_no_address() -> None:
    info = ErrorInfo(
        code="idempotency_conflict",
        params={"idempotency_key": "k", "channel": "email"},
        message="key k already names email message #1 to ana@example.com",
    )
    assert describe_failure(info, "en", tool="send_email") == (
        "",
        {"error": "idempotency_conflict"},
    )


# through the real storefront


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def storefront(tmp_path: Path) -> AsyncIterator[Client]:
    settings = Settings(data_dir=tmp_path, public_base_url="https://shop.example")
    async with Client(create_server(settings)) as client:
        yield client


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Sorry, Sony Alpha 7 IV Camera is sold out right now."),
        ("es", "Lo siento, Cámara Sony Alpha 7 IV está agotado ahora mismo."),
    ],
)
async def test_a_real_storefront_failure_is_said_in_the_shoppers_language(
    storefront: Client, locale: str, expected: str
) -> None:
    with anyio.fail_after(5):
        result = await storefront.call_tool(
            "add_to_basket", {"product_id": "SON-A7IV", "locale": locale}
        )
    sentence, data = describe_failure(error_of(result), locale, tool="add_to_basket")
    assert (sentence, data["error"]) == (expected, "out_of_stock")
