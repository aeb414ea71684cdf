"""Messages in, localized answers out: the conversation's logic, one message at a time.

For each message: load the conversation, resolve the locale hint, ask the intent server, then for
each request in the message ask `validate_mapping` which tool serves it and what is missing. The
conversation fills what it can (the basket, "the second one", "it"); a missing argument becomes a
question in the shopper's language, remembered as pending, and the answer completes the call;
destructive admin actions wait for a yes. Store or MCP failures become a clear apology, never a
crash or a hang.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import replace
from typing import Any

from server.actions import Outcome, run_tool
from server.formatter import for_channel
from server.locale import UnsupportedLocaleError, resolve_locale
from server.pool import McpPool, ServerError
from server.store import Conversation, ConversationStore, HandoverRequest, StoreUnavailable
from server.texts import intent_choices, text
from server.types import InboundMessage, Reply

__all__ = ["Orchestrator", "UnsupportedLocaleError"]

logger = logging.getLogger(__name__)

# Words that point at the product last talked about ("add it", "añádelo", "le prendre").
PRONOUNS = frozenset(
    [
        "it",
        "them",
        "this",
        "that",
        "one",
        "ones",
        "lo",
        "la",
        "los",
        "las",
        "eso",
        "esto",
        "este",
        "esta",
        "le",
        "les",
        "ca",
        "cela",
        "ce",
        "es",
        "das",
        "den",
        "ihn",
        "sie",
        "dieses",
        "diesen",
    ]
)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"\+?\d[\d ().-]{6,}\d")
_NUMBER_RE = re.compile(r"\b(\d{1,3})\b")
SOCIAL = {"greet": "greet", "thanks": "thanks", "goodbye": "goodbye"}
_CHAT = frozenset({*SOCIAL, "affirm", "deny"})


def _delivery_key(conversation_id: str, tool: str, address: str, url: str) -> str:
    """One delivery per link, channel and address: asking again is not sent twice, another
    address is a new message (a key naming the old one would be refused)."""
    digest = hashlib.sha256("\n".join([tool, address, url]).encode()).hexdigest()[:32]
    return f"payment-link:{conversation_id}:{digest}"


def _answerer(message: InboundMessage, mapping: dict[str, Any]) -> dict[str, Any]:
    """Who may answer a question: the identity asked, with the rights its action needs."""
    return {"user": message.user_id, "admin": bool(mapping["admin"])}


class Orchestrator:
    def __init__(self, pool: McpPool, store: ConversationStore) -> None:
        self.pool = pool
        self.store = store

    async def __call__(self, message: InboundMessage) -> Reply:
        reply = await self._answer(message)
        # sentences come from several places: the channel's rules (SMS: no emoji) apply to all
        return replace(reply, response=for_channel(reply.response, message.client_type))

    async def _answer(self, message: InboundMessage) -> Reply:
        hint = self._hint(message)  # raises UnsupportedLocaleError: the route answers 422
        try:
            conversation = await self.store.load(message.user_id)
        except StoreUnavailable as exc:
            logger.warning("conversation store unavailable: %s", exc)
            return self._apology(message, hint or "en", "")
        try:
            reply = await self._handle(message, conversation, hint)
        except ServerError as exc:
            logger.warning("MCP call failed: %s", exc)
            return self._apology(
                message, hint or conversation.locale or "en", conversation.conversation_id
            )
        conversation.add_turn("user", message.text)
        conversation.add_turn("assistant", reply.response)
        try:
            await self.store.save(conversation)
        except StoreUnavailable as exc:
            # An answer whose turn is not stored would be forgotten by the next message (the
            # basket, the products shown, the open question): the shopper must repeat it.
            logger.warning("conversation not saved: %s", exc)
            return self._apology(message, reply.locale, conversation.conversation_id)
        return reply

    def _hint(self, message: InboundMessage) -> str | None:
        locale, how = resolve_locale(
            message.locale, message.phone, message.accept_language, message.text, lambda _: []
        )
        # only a real hint; otherwise the intent server detects the language from the text
        return locale if how in ("given", "phone", "header") else None

    def _apology(self, message: InboundMessage, locale: str, conversation_id: str) -> Reply:
        return Reply(
            response=text("service_unavailable", locale),
            intent="unknown",
            locale=locale,
            conversation_id=conversation_id,
            data={"error": "service_unavailable"},
        )

    async def _analyze(
        self, message: InboundMessage, conversation: Conversation, locale: str | None
    ) -> dict[str, Any]:
        result = await self.pool.call(
            "intent",
            "analyze_intent",
            {
                "message": message.text,
                "locale": locale,
                "conversation_context": {"history": conversation.history[-10:]},
            },
            safe_to_retry=True,
        )
        if result.is_error or result.structured_content is None:
            raise ServerError(f"analyze_intent failed: {result.content}")
        return dict(result.structured_content)

    async def _handle(
        self, message: InboundMessage, conversation: Conversation, hint: str | None
    ) -> Reply:
        analysis = await self._analyze(message, conversation, hint or conversation.locale)
        locale = analysis["locale"]
        conversation.locale = locale
        pending = conversation.pending
        conversation.pending = None
        if pending is not None:
            continued = await self._continue(pending, analysis, message, conversation, locale)
            if continued is not None:
                # the message answered our question: it belongs to the request that asked it
                answered = {**analysis, "intent": pending["intent"], "slots": pending["slots"]}
                return self._reply(conversation, answered, locale, [continued])
        outcomes: list[Outcome] = []
        if analysis["status"] == "ambiguous":
            options = intent_choices([c["intent"] for c in analysis["candidates"]], locale)
            outcomes.append(Outcome(text("ambiguous_intent", locale, options=options)))
        elif analysis["status"] == "none":
            outcomes.append(await self._unknown(message, locale))
        else:
            if "greet" in analysis.get("courtesy", []):
                outcomes.append(Outcome(text("greet", locale)))
            for request in analysis["requests"]:
                outcomes.append(
                    await self._route(
                        request["intent"],
                        dict(request["slots"]),
                        message,
                        conversation,
                        locale,
                        request.get("mapping"),
                    )
                )
                if conversation.pending is not None:
                    break  # a question is open: the rest waits for the answer
        return self._reply(conversation, analysis, locale, outcomes)

    def _reply(
        self,
        conversation: Conversation,
        analysis: dict[str, Any],
        locale: str,
        outcomes: list[Outcome],
    ) -> Reply:
        data: dict[str, Any] = {}
        for o in outcomes:
            data.update(o.data)
        if conversation.pending is not None:
            data["pending"] = {
                k: conversation.pending[k]
                for k in ("intent", "awaiting")
                if k in conversation.pending
            }
        return Reply(
            response="\n\n".join(o.text for o in outcomes if o.text),
            intent=analysis.get("intent", "unknown"),
            locale=locale,
            conversation_id=conversation.conversation_id,
            slots=analysis.get("slots", {}),
            data=data,
            suggestions=data.pop("suggestions", []),
        )

    async def _unknown(self, message: InboundMessage, locale: str) -> Outcome:
        result = await self.pool.call(
            "intent",
            "get_suggestions",
            {"message": message.text, "locale": locale, "admin": message.admin},
            safe_to_retry=True,
        )
        found = (
            (result.structured_content or {}).get("suggestions", []) if not result.is_error else []
        )
        # requests only: "hallo 👋" or "yes plz" are no way forward for someone not understood
        examples = [
            s["examples"][0] for s in found if s.get("examples") and s["intent"] not in _CHAT
        ][:3]
        if not examples:  # nothing close that this user may do: say what can be done
            return Outcome(text("not_understood", locale))
        listing = " · ".join(f'"{e}"' for e in examples)
        return Outcome(text("unknown", locale, suggestions=listing), {"suggestions": examples})

    async def _continue(
        self,
        pending: dict[str, Any],
        analysis: dict[str, Any],
        message: InboundMessage,
        conversation: Conversation,
        locale: str,
    ) -> Outcome | None:
        """Answer the open question with this message, or None when it is a new request."""
        answerer = pending.get("answerer") or {}
        if answerer.get("user") != message.user_id:
            return None  # not this caller's question: the message is a request of its own
        if answerer.get("admin") and not message.admin:
            return Outcome(text("admin_required", locale), {"error": "admin_required"}, ok=False)
        intent = analysis.get("intent")
        if pending.get("confirm"):
            if intent == "affirm":
                return await self._execute(
                    pending["intent"],
                    pending["slots"],
                    pending["mapping"],
                    message,
                    conversation,
                    locale,
                )
            if intent == "deny":
                return Outcome(text("cancelled", locale))
            return None
        awaiting = pending.get("awaiting")
        slots = dict(pending["slots"])
        new_slots = analysis.get("slots", {})
        moved_on = intent not in (None, "unknown", "affirm", "deny", pending["intent"])
        if moved_on and analysis["status"] == "matched" and awaiting not in new_slots:
            return None  # the shopper moved on: drop the question
        if intent == "deny":
            return Outcome(text("cancelled", locale))
        value: Any = new_slots.get(awaiting)
        if value is None:
            raw = message.text.strip()
            if awaiting == "email":
                found = _EMAIL_RE.search(raw)
                value = found.group(0) if found else None
            elif awaiting == "phone":
                found = _PHONE_RE.search(raw)
                value = re.sub(r"[^\d+]", "", found.group(0)) if found else None
            elif awaiting == "quantity":
                found = _NUMBER_RE.search(raw)
                value = int(found.group(1)) if found else new_slots.get("quantity")
            elif awaiting == "product":
                value = new_slots.get("product") or new_slots.get("query") or raw
        if value is None:
            conversation.pending = pending
            return Outcome(text(f"ask_{awaiting}", locale, name=slots.get("product", "")))
        slots[awaiting] = value
        return await self._route(pending["intent"], slots, message, conversation, locale)

    async def _map(self, intent: str, slots: dict[str, Any], locale: str) -> dict[str, Any]:
        result = await self.pool.call(
            "intent",
            "validate_mapping",
            {"intent": intent, "slots": slots, "locale": locale},
            safe_to_retry=True,
        )
        if result.is_error or result.structured_content is None:
            raise ServerError(f"validate_mapping failed for {intent}")
        return dict(result.structured_content)

    async def _route(
        self,
        intent: str,
        slots: dict[str, Any],
        message: InboundMessage,
        conversation: Conversation,
        locale: str,
        mapped: dict[str, Any] | None = None,
    ) -> Outcome:
        """Answer one request. `mapped` is the mapping analyze_intent already gave for these
        slots: when the conversation adds nothing to them, validate_mapping is not asked again."""
        if intent in SOCIAL:
            return Outcome(text(SOCIAL[intent], locale))
        if intent == "help":
            return Outcome(text("help_admin" if message.admin else "help_shopper", locale))
        if intent == "affirm":
            return Outcome(text("nothing_pending", locale))
        if intent == "deny":  # nothing was pending (an open question is answered in _continue)
            return Outcome(text("nothing_to_cancel", locale))
        if intent == "human_agent":
            return await self._handover(message, conversation, locale)
        as_analyzed = dict(slots)
        self._resolve_references(intent, slots, conversation)
        if slots.pop("_needs_list", False):
            return Outcome(text("which_one_ordinal", locale))
        if intent == "get_payment_link" and slots.get("phone") and not slots.get("channel"):
            # "send it to +34 612..." on WhatsApp means WhatsApp; elsewhere a text message
            slots["channel"] = "whatsapp" if message.client_type == "whatsapp" else "sms"
        if (
            intent == "get_payment_link"
            and slots.get("channel") in ("sms", "whatsapp")
            and "phone" not in slots
            and message.phone
        ):
            slots["phone"] = message.phone
        if mapped is not None and slots == as_analyzed:
            mapping = mapped
        else:
            mapping = await self._map(intent, slots, locale)
        if mapping["admin"] and not message.admin:
            return Outcome(text("admin_required", locale), {"error": "admin_required"}, ok=False)
        if mapping["call"] is None:
            return Outcome(text("help_shopper", locale))
        missing = [
            m for m in mapping["missing"] if not (m == "product_id" and slots.get("product"))
        ]
        if missing:
            awaiting = {"product_id": "product", "path": "file"}.get(missing[0], missing[0])
            conversation.pending = {
                "intent": intent,
                "slots": slots,
                "awaiting": awaiting,
                "answerer": _answerer(message, mapping),
            }
            key = (
                f"ask_{awaiting}"
                if awaiting in ("product", "email", "phone", "quantity")
                else "ask_product"
            )
            return Outcome(text(key, locale, name=slots.get("product", "")))
        if mapping["needs_confirmation"]:
            conversation.pending = {
                "intent": intent,
                "slots": slots,
                "confirm": True,
                "mapping": mapping,
                "answerer": _answerer(message, mapping),
            }
            name = str(slots.get("product") or slots.get("file") or "")
            if intent == "delete_product":
                question = text("confirm_delete", locale, name=name)
            elif intent == "update_product":
                question = text(
                    "confirm_update",
                    locale,
                    name=name,
                    field=text(f"field_{slots.get('field', 'name')}", locale),
                    value=slots.get("value", ""),
                )
            else:
                question = text("confirm_import", locale, file=name)
            return Outcome(question, {"confirm": intent})
        return await self._execute(intent, slots, mapping, message, conversation, locale)

    async def _handover(
        self, message: InboundMessage, conversation: Conversation, locale: str
    ) -> Outcome:
        """A person is asked for: record the request where staff read it, give the shop's contact."""
        request = HandoverRequest(
            user_id=message.user_id,
            conversation_id=conversation.conversation_id,
            channel=message.client_type,
            locale=locale,
            text=message.text[:1000],
        )
        try:
            reference: str | None = await self.store.record_handover(request)
        except StoreUnavailable as exc:
            logger.warning("handover request not recorded: %s", exc)
            reference = None
        result = await self.pool.call(
            "ecommerce_storefront",
            "answer_question",
            {"topic": "contact", "locale": locale},
            safe_to_retry=True,
        )
        contact = "" if result.is_error else (result.structured_content or {}).get("text", "")
        head = text("handover" if reference else "handover_not_recorded", locale)
        return Outcome(
            "\n".join(filter(None, [head, contact])),
            {"handover": {"recorded": reference is not None, "reference": reference}},
        )

    def _resolve_references(
        self, intent: str, slots: dict[str, Any], conversation: Conversation
    ) -> None:
        """'the second one' → the second product shown; 'it' / nothing → the last product."""
        if intent not in ("get_product_info", "add_to_basket", "remove_from_basket"):
            return
        product = slots.get("product")
        if isinstance(product, str) and product.lower().strip() in PRONOUNS:
            product = None
            slots.pop("product")
        if product is None and "ordinal" in slots:
            ordinal = int(slots.pop("ordinal"))
            shown = conversation.last_results
            index = len(shown) - 1 if ordinal == -1 else ordinal - 1
            if 0 <= index < len(shown):
                slots["product"] = shown[index]["id"]
            else:
                slots["_needs_list"] = True
        elif product is None and conversation.last_product is not None:
            slots["product"] = conversation.last_product["id"]

    async def _execute(
        self,
        intent: str,
        slots: dict[str, Any],
        mapping: dict[str, Any],
        message: InboundMessage,
        conversation: Conversation,
        locale: str,
    ) -> Outcome:
        call = mapping["call"]
        args = dict(call["arguments"])
        if "product_id" in args and args["product_id"] is None:
            args["product_id"] = slots.get("product")
        if "product" in args and args["product"] is None:
            args["product"] = slots.get("product")
        if "basket_id" in mapping["from_context"]:
            if conversation.basket_id is None and call["tool"] != "add_to_basket":
                empty = "no_basket_yet" if call["tool"] == "get_payment_link" else "basket_empty"
                return Outcome(text(empty, locale))
            if conversation.basket_id is not None:
                args["basket_id"] = conversation.basket_id
        if "question" in mapping["from_context"]:
            args["question"] = message.text
        outcome = await run_tool(
            self.pool,
            call["server"],
            call["tool"],
            {k: v for k, v in args.items() if v is not None},
            intent=intent,
            slots=slots,
            conversation=conversation,
            locale=locale,
            client=message.client_type,
        )
        then = mapping.get("then")
        if then is None or not outcome.ok:
            return outcome
        link = outcome.data.get("payment_link", {})
        basket = await self.pool.call(
            "ecommerce_storefront",
            "get_basket",
            {"basket_id": conversation.basket_id, "locale": locale},
            safe_to_retry=True,
        )
        lines = (basket.structured_content or {}).get("lines", []) if not basket.is_error else []
        items = [
            {"name": ln["name"], "quantity": ln["quantity"], "unit_price": ln["unit_price"]}
            for ln in lines
        ]
        sent = await run_tool(
            self.pool,
            then["server"],
            then["tool"],
            {
                **then["arguments"],
                "template": {
                    "name": "payment_link",
                    "locale": locale,
                    "params": {
                        "url": link.get("url", ""),
                        "total": link.get("amount", 0),
                        "currency": link.get("currency"),
                        "items": items,
                    },
                },
                "idempotency_key": _delivery_key(
                    conversation.conversation_id,
                    then["tool"],
                    str(then["arguments"].get("to", "")),
                    str(link.get("url", "")),
                ),
            },
            intent=intent,
            slots=slots,
            conversation=conversation,
            locale=locale,
            client=message.client_type,
        )
        # the channel may be implied by the address ("...a ana@example.com"): the outbox says it
        medium = text(f"channel_{sent.data.get('delivery', {}).get('channel', 'email')}", locale)
        address = then["arguments"].get("to", "")
        if sent.ok:
            note = text("payment_link_sent", locale, channel=medium, address=address)
        else:  # the link exists: show it, and say the message did not go out
            note = sent.text or text(
                "payment_link_not_sent", locale, channel=medium, address=address
            )
        return Outcome(note + "\n" + outcome.text, {**outcome.data, **sent.data})
