"""The playground's public view: a shopper's reading of the message, nothing of the machinery.
(The same against the real server, with and without the key: tests/server/test_pages.py.)"""

from __future__ import annotations

import json
from typing import Any

from server.playground import public_analysis


def _match(intent: str, *, admin: bool, rule: str = "patterns/en/x.intents:3") -> dict[str, Any]:
    return {
        "intent": intent,
        "slots": {"product": "Blue Mug"},
        "spans": [
            {"name": "product", "value": "Blue Mug", "text": "blue mug", "start": 7, "end": 15}
        ],
        "source": "pattern",
        "score": 1.0,
        "rule": rule,
        "corrections": [],
        "tool_available": True,
        "mapping": {
            "intent": intent,
            "call": {"server": "ecommerce_admin", "tool": intent, "arguments": {}},
            "admin": admin,
        },
    }


def _analysis(*requests: dict[str, Any], status: str = "matched") -> dict[str, Any]:
    best = requests[0] if requests and status == "matched" else None
    return {
        "status": status,
        "intent": best["intent"] if best else "unknown",
        "slots": best["slots"] if best else {},
        "locale": "en",
        "locale_detected": True,
        "source": "pattern" if best else "none",
        "score": 1.0 if best else 0.0,
        "rule": best["rule"] if best else None,
        "requests": list(requests) if status == "matched" else [],
        "candidates": list(requests) if status == "ambiguous" else [],
        "courtesy": ["greet"],
        "micros": 31.5,
        "pattern_set": "abc123",
        "near_misses": ["patterns/en/catalog.intents:12"],
        "pattern_errors": ["patterns/en/broken.intents:1:1: expected a word"],
    }


def test_a_shopper_intent_keeps_its_slots_spans_and_timing_but_loses_rules_and_tools() -> None:
    view = public_analysis(_analysis(_match("get_product_info", admin=False)))
    assert (view["status"], view["intent"], view["slots"]) == (
        "matched",
        "get_product_info",
        {"product": "Blue Mug"},
    )
    assert view["requests"][0]["spans"][0]["text"] == "blue mug"
    assert (view["micros"], view["courtesy"], view["view"]) == (31.5, ["greet"], "public")
    text = json.dumps(view)
    for internal in ("patterns/", "ecommerce_admin", "near_misses", "pattern_errors", '"rule"'):
        assert internal not in text


def test_an_admin_intent_reads_as_not_understood() -> None:
    view = public_analysis(_analysis(_match("delete_product", admin=True)))
    assert (view["status"], view["intent"], view["slots"], view["requests"]) == (
        "none",
        "unknown",
        {},
        [],
    )
    assert "delete_product" not in json.dumps(view)


def test_a_shopper_request_after_an_admin_one_becomes_the_first() -> None:
    view = public_analysis(
        _analysis(_match("delete_product", admin=True), _match("add_to_basket", admin=False))
    )
    assert view["intent"] == "add_to_basket"
    assert [r["intent"] for r in view["requests"]] == ["add_to_basket"]


def test_admin_candidates_of_an_ambiguous_message_are_left_out() -> None:
    view = public_analysis(
        _analysis(
            _match("update_product", admin=True),
            _match("get_product_info", admin=False),
            status="ambiguous",
        )
    )
    assert view["status"] == "ambiguous"
    assert [c["intent"] for c in view["candidates"]] == ["get_product_info"]
    only_admin = public_analysis(
        _analysis(_match("update_product", admin=True), status="ambiguous")
    )
    assert (only_admin["status"], only_admin["candidates"]) == ("none", [])
