from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from shopmcp.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.anyio


async def test_analyze_intent_returns_the_intent_slots_and_rule(client: Client) -> None:
    result = await client.call_tool(
        "analyze_intent", {"message": "agrega 2 iphone al carrito", "locale": "es"}
    )
    data = result.structured_content
    assert not result.is_error and data is not None
    assert (data["status"], data["intent"], data["source"]) == (
        "matched",
        "add_to_basket",
        "pattern",
    )
    assert data["slots"] == {"quantity": 2, "product": "iphone"}
    assert data["rule"].endswith("es/all.intents:28")
    assert {s["name"]: s["text"] for s in data["requests"][0]["spans"]} == {
        "quantity": "2",
        "product": "iphone",
    }


async def test_analyze_intent_detects_the_locale_and_lists_every_request(client: Client) -> None:
    result = await client.call_tool(
        "analyze_intent", {"message": "hola, busco fundas y luego quiero pagar"}
    )
    data = result.structured_content
    assert data is not None
    assert (data["locale"], data["locale_detected"]) == ("es", True)
    assert [r["intent"] for r in data["requests"]] == ["search_products", "get_payment_link"]
    assert data["courtesy"] == ["greet"]


async def test_an_intent_whose_tool_is_not_available_is_flagged(client: Client) -> None:
    result = await client.call_tool(
        "analyze_intent",
        {"message": "quiero pagar", "locale": "es", "available_tools": ["search_products"]},
    )
    assert result.structured_content is not None
    assert result.structured_content["requests"][0]["tool_available"] is False


async def test_an_unknown_locale_is_a_tool_error_naming_the_supported_ones(client: Client) -> None:
    result = await client.call_tool("analyze_intent", {"message": "ola", "locale": "pt"})
    assert result.is_error
    assert "supported locales are en, es" in result.content[0].text  # type: ignore[union-attr]


async def test_an_unmatched_message_is_unknown_with_source_none(client: Client) -> None:
    result = await client.call_tool(
        "analyze_intent", {"message": "el tiempo esta bonito", "locale": "es"}
    )
    assert result.structured_content is not None
    assert result.structured_content["intent"] == "unknown"
    assert result.structured_content["source"] == "none"


async def test_validate_mapping_names_the_tool_and_what_is_missing(client: Client) -> None:
    result = await client.call_tool(
        "validate_mapping", {"intent": "add_to_basket", "slots": {"quantity": 2}}
    )
    data = result.structured_content
    assert data is not None
    assert data["call"]["tool"] == "add_to_basket"
    assert data["call"]["server"] == "ecommerce_storefront"
    assert data["missing"] == ["product_id"]
    assert "basket_id" in data["from_context"]


async def test_validate_mapping_chains_the_payment_link_to_the_channel(client: Client) -> None:
    result = await client.call_tool(
        "validate_mapping",
        {"intent": "get_payment_link", "slots": {"channel": "email", "email": "ana@x.com"}},
    )
    data = result.structured_content
    assert data is not None
    assert data["then"] == {
        "server": "notifications",
        "tool": "send_email",
        "arguments": {"to": "ana@x.com"},
    }
    assert data["missing"] == []


async def test_each_analyzed_request_carries_what_validate_mapping_would_answer(
    client: Client,
) -> None:
    analyzed = await client.call_tool(
        "analyze_intent", {"message": "agrega 2 iphone al carrito", "locale": "es"}
    )
    request = (analyzed.structured_content or {})["requests"][0]
    validated = await client.call_tool(
        "validate_mapping",
        {"intent": request["intent"], "slots": request["slots"], "locale": "es"},
    )
    assert request["mapping"] == validated.structured_content
    assert request["mapping"]["call"]["tool"] == "add_to_basket"


@pytest.mark.parametrize(
    ("address", "tool"),
    [({"email": "ana@x.com"}, "send_email"), ({"phone": "+34612345678"}, "send_sms")],
)
async def test_an_address_without_a_channel_implies_the_channel(
    client: Client, address: dict[str, str], tool: str
) -> None:
    # "mándame el link de pago a ana@x.com" names an address but no channel
    result = await client.call_tool(
        "validate_mapping", {"intent": "get_payment_link", "slots": address}
    )
    data = result.structured_content
    assert data is not None and data["missing"] == []
    assert data["then"]["tool"] == tool
    assert data["then"]["arguments"] == {"to": next(iter(address.values()))}


async def test_destructive_admin_intents_need_confirmation(client: Client) -> None:
    result = await client.call_tool(
        "validate_mapping", {"intent": "delete_product", "slots": {"product": "Blue Mug"}}
    )
    data = result.structured_content
    assert data is not None
    assert (data["admin"], data["needs_confirmation"]) == (True, True)


async def test_validate_mapping_refuses_intents_and_slots_outside_the_contract(
    client: Client,
) -> None:
    bad_intent = await client.call_tool("validate_mapping", {"intent": "buy_everything"})
    bad_slot = await client.call_tool(
        "validate_mapping", {"intent": "get_basket", "slots": {"color": "red"}}
    )
    assert bad_intent.is_error and bad_slot.is_error
    assert "its slots are: none" in bad_slot.content[0].text  # type: ignore[union-attr]


async def test_get_suggestions_offers_the_closest_intents_with_examples(client: Client) -> None:
    result = await client.call_tool(
        "get_suggestions", {"message": "quiero pgar ya", "locale": "es"}
    )
    data = result.structured_content
    assert data is not None
    assert data["suggestions"][0]["intent"] == "get_payment_link"
    assert data["suggestions"][0]["examples"] == ["quiero pagar"]


async def test_a_saved_pattern_file_is_live_in_the_running_server(
    client: Client, patterns_dir: Path
) -> None:
    before = await client.call_tool("analyze_intent", {"message": "howdy", "locale": "en"})
    assert before.structured_content is not None
    assert before.structured_content["intent"] == "unknown"
    path = patterns_dir / "en" / "all.intents"
    path.write_text(path.read_text(encoding="utf-8").replace("hello | hi", "hello | hi | howdy"))
    with anyio.fail_after(10):
        while True:
            after = await client.call_tool("analyze_intent", {"message": "howdy", "locale": "en"})
            assert after.structured_content is not None
            if after.structured_content["intent"] == "greet":
                break
            await anyio.wait_all_tasks_blocked()
            await anyio.lowlevel.checkpoint()


@pytest.mark.slow
async def test_the_stdio_server_serves_every_tool(settings: Settings) -> None:
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_servers.intent"],
        env=settings.subprocess_env(),
        cwd=PROJECT_ROOT,
    )
    with anyio.fail_after(30):
        async with Client(parameters) as client:
            tools = sorted(t.name for t in (await client.list_tools()).tools)
            analysis = await client.call_tool("analyze_intent", {"message": "checkout"})
            mapping = await client.call_tool("validate_mapping", {"intent": "get_basket"})
            suggestions = await client.call_tool("get_suggestions", {"message": "chekout"})
            bad = await client.call_tool("analyze_intent", {"message": ""})
    assert tools == ["analyze_intent", "get_suggestions", "validate_mapping"]
    assert analysis.structured_content is not None
    assert analysis.structured_content["intent"] == "get_payment_link"
    assert mapping.structured_content is not None
    assert mapping.structured_content["call"]["tool"] == "get_basket"
    assert suggestions.structured_content is not None
    assert bad.is_error
