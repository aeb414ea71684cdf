"""Failures are data: every server, run as the shop runs it (stdio), returns a stable code and its
params in structured content, in the one shape `mcp_servers.errors` defines."""

from __future__ import annotations

import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult
from pydantic import BaseModel

from mcp_servers.errors import (
    CODE_PATTERN,
    CodedMCPServer,
    ErrorContent,
    ErrorInfo,
    ToolFailure,
    error_of,
)
from shopmcp.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.anyio

STARTUP_LIMIT = 30
"""Starting a Python stdio server takes ~0.7 s (the intent server compiles its patterns first);
30 s bounds a loaded CI box."""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def stdio(server: str, settings: Settings) -> AsyncIterator[Client]:
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", f"mcp_servers.{server}"],
        env=settings.subprocess_env(),
        cwd=PROJECT_ROOT,
    )
    async with Client(parameters) as client:
        yield client


def failure(result: CallToolResult) -> ErrorInfo:
    """The error of a failed call, checked against the shared payload model."""
    assert result.is_error
    info = ErrorContent.model_validate(result.structured_content).error
    assert re.fullmatch(CODE_PATTERN, info.code)
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert text == f"{info.code}: {info.message}"
    return info


@pytest.mark.slow
async def test_the_storefront_returns_shop_failures_with_their_code_and_params(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path, public_base_url="https://shop.example")
    with anyio.fail_after(STARTUP_LIMIT):
        async with stdio("ecommerce_storefront", settings) as client:
            ambiguous = await client.call_tool("add_to_basket", {"product_id": "galaxy"})
            unknown = await client.call_tool("get_product_info", {"product": "flux capacitor"})
            sold_out = await client.call_tool(
                "add_to_basket", {"product_id": "SON-A7IV", "locale": "es"}
            )
            no_order = await client.call_tool(
                "answer_question", {"topic": "order_status", "order_id": "ORD-404"}
            )
            no_basket = await client.call_tool("get_payment_link", {"basket_id": "b-missing"})
            too_many = await client.call_tool(
                "add_to_basket", {"product_id": "JBL-FLIP6", "quantity": 500}
            )

    error = failure(ambiguous)
    assert error.code == "ambiguous_product" and error.params["query"] == "galaxy"
    assert len(error.params["candidates"]) >= 2
    assert all(set(c) == {"id", "name"} for c in error.params["candidates"])
    assert failure(unknown).params == {"query": "flux capacitor"}
    error = failure(sold_out)
    assert error.code == "out_of_stock" and error.params["available"] == 0
    assert error.params["name"].startswith("Cámara")  # the shopper's locale
    assert failure(no_order) == ErrorInfo(
        code="unknown_order",
        params={"order_id": "ORD-404"},
        message="no order 'ORD-404'; check the number in your e-mail",
    )
    assert failure(no_basket).code == "unknown_basket"
    error = failure(too_many)
    assert error.code == "invalid_arguments" and error.params["fields"] == ["quantity"]
    assert "500" not in error.message


@pytest.mark.slow
async def test_the_admin_server_names_candidates_by_sku(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    with anyio.fail_after(STARTUP_LIMIT):
        async with stdio("ecommerce_admin", settings) as client:
            ambiguous = await client.call_tool("delete_product", {"product": "galaxy"})
            duplicate = await client.call_tool(
                "create_product",
                {"product": {"name": "Keyboard", "sku": "LOG-K380", "price": 100, "stock": 1}},
            )

    error = failure(ambiguous)
    assert error.code == "ambiguous_product"
    assert {"SAM-S24-256", "SAM-A55-128"} <= {c["sku"] for c in error.params["candidates"]}
    assert failure(duplicate) == ErrorInfo(
        code="duplicate_sku",
        params={"sku": "LOG-K380"},
        message="a product with sku 'LOG-K380' exists",
    )


@pytest.mark.slow
async def test_the_intent_server_codes_what_it_refuses(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    with anyio.fail_after(STARTUP_LIMIT):
        async with stdio("intent", settings) as client:
            locale = await client.call_tool("analyze_intent", {"message": "ola", "locale": "pt"})
            intent = await client.call_tool("validate_mapping", {"intent": "buy_everything"})
            slot = await client.call_tool(
                "validate_mapping", {"intent": "get_basket", "slots": {"color": "red"}}
            )

    error = failure(locale)
    assert error.code == "unknown_locale" and error.params["locale"] == "pt"
    assert error.params["supported"] == ["de", "en", "es", "fr"]
    error = failure(intent)
    assert error.code == "unknown_intent" and "get_basket" in error.params["intents"]
    error = failure(slot)
    assert error.code == "unknown_slot"
    assert error.params == {"intent": "get_basket", "slots": ["color"], "allowed": []}


@pytest.mark.slow
async def test_the_notifications_server_codes_bad_recipients_and_reused_keys(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path)
    first = {
        "to": "ana@example.com",
        "subject": "Link",
        "text": "https://x",
        "idempotency_key": "k1",
    }
    with anyio.fail_after(STARTUP_LIMIT):
        async with stdio("notifications", settings) as client:
            bad_phone = await client.call_tool("send_sms", {"to": "12", "text": "Hola"})
            bad_email = await client.call_tool("send_email", {**first, "to": "ana@"})
            stored = await client.call_tool("send_email", first)
            reused = await client.call_tool("send_email", {**first, "to": "bob@example.com"})

    assert failure(bad_phone).params == {"kind": "phone", "recipient": "12"}
    assert failure(bad_email).params == {"kind": "email", "recipient": "ana@"}
    assert not stored.is_error
    error = failure(reused)
    assert error.code == "idempotency_conflict"
    assert error.params == {"idempotency_key": "k1", "channel": "email"}
    # the message already sent to someone else is not named to the new caller
    assert "ana@example.com" not in error.model_dump_json()


# the mechanism itself, in memory


class _Out(BaseModel):
    value: int


def _probe() -> CodedMCPServer:
    server = CodedMCPServer("probe")

    @server.tool()
    async def probe(n: int) -> _Out:
        if n == 1:
            raise ToolFailure("out_of_stock", "only 2 left", available=2)
        if n == 2:
            raise RuntimeError("a secret the caller must not see")
        return _Out(value=n)

    return server


@pytest.mark.parametrize(
    ("arguments", "code", "params"),
    [
        pytest.param({"n": 1}, "out_of_stock", {"available": 2}, id="tool-failure"),
        pytest.param({"n": 2}, "internal_error", {}, id="crash"),
        pytest.param(
            {"n": "abc"}, "invalid_arguments", {"tool": "probe", "fields": ["n"]}, id="bad-args"
        ),
    ],
)
async def test_every_failure_of_a_coded_server_carries_a_code(
    arguments: dict[str, Any], code: str, params: dict[str, Any]
) -> None:
    with anyio.fail_after(5):
        async with Client(_probe()) as client:
            result = await client.call_tool("probe", arguments)
    error = failure(result)
    assert (error.code, error.params) == (code, params)
    assert "secret" not in error.message and "abc" not in error.message


async def test_a_successful_call_is_untouched() -> None:
    with anyio.fail_after(5):
        async with Client(_probe()) as client:
            result = await client.call_tool("probe", {"n": 5})
    assert not result.is_error and result.structured_content == {"value": 5}


async def test_an_unknown_tool_is_a_coded_failure() -> None:
    with anyio.fail_after(5):
        async with Client(_probe()) as client:
            result = await client.call_tool("nope", {})
    assert failure(result).code == "unknown_tool"


def test_a_result_without_the_payload_reads_as_tool_error() -> None:
    """A server that is not ours sends only text: the caller still gets a code to switch on."""
    bare = CallToolResult(is_error=True, content=[])
    assert error_of(bare).code == "tool_error"


def test_every_code_the_servers_raise_is_documented() -> None:
    from mcp_servers.notifications import errors

    doc = (PROJECT_ROOT / "docs" / "mcp-servers.md").read_text(encoding="utf-8")
    table = doc.split("## Errors", 1)[1].split("\n## ", 1)[0]
    callers_see = (
        errors.InvalidRecipientError,
        errors.MessageError,
        errors.IdempotencyConflictError,
    )
    raised = {c.code for c in callers_see}
    for path in (PROJECT_ROOT / "mcp_servers").rglob("*.py"):
        raised |= set(re.findall(r'ToolFailure\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    raised |= {"out_of_stock", "unknown_basket", "empty_basket", "duplicate_sku", "invalid_product"}
    missing = sorted(code for code in raised if f"`{code}`" not in table)
    assert not missing, f"document these codes in docs/mcp-servers.md#errors: {missing}"
