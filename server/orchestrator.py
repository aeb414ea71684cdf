"""Messages in, localized answers out: the conversation's logic, one message at a time.

For each message: load the conversation, resolve the locale hint, ask the intent server, then ask
the dialogue layer (`dialogue.decide`, pure) what the message means in this state: which requests
to run with which resolved slots ("the second one", "it", "make it 2"), or what to ask. Each
request goes through `validate_mapping`; a missing argument becomes a question in the shopper's
language, remembered as pending with who may answer it, and the answer completes the call;
destructive admin actions wait for a yes. What the tools answer updates the state
(`dialogue.observe`). Store or MCP failures become a clear apology, never a crash or a hang.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from typing import Any

from dialogue import Ask, DialogueState, Item, Pending, Run, Say, Speaker, Step, decide, observe
from server.actions import Outcome, run_tool
from server.formatter import for_channel
from server.locale import UnsupportedLocaleError, resolve_locale
from server.pool import McpPool, ServerError
from server.store import Conversation, ConversationStore, HandoverRequest, StoreUnavailable
from server.texts import intent_choices, text
from server.types import InboundMessage, Reply

__all__ = ["Orchestrator", "UnsupportedLocaleError"]

logger = logging.getLogger(__name__)

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
        state = conversation.dialogue
        speaker = Speaker(message.user_id, message.admin)
        decision = decide(state, analysis, message.text, speaker, locale, phone=message.phone)
        if state.pending is not None and state.pending.may_be_answered_by(speaker):
            state.pending = None  # a question lives one message; the decision asks again
        outcomes: list[Outcome] = []
        kept = state.pending  # one this speaker may not answer stays open
        for step in decision.steps:
            outcomes.append(await self._step(step, message, conversation, locale))
            if state.pending is not kept:
                break  # a question is open: the rest waits for the answer
        slots = analysis.get("slots", {})
        if decision.via != "analysis":
            slots = next((s.slots for s in decision.steps if isinstance(s, Run)), slots)
        return self._reply(conversation, decision.intent, slots, locale, outcomes)

    async def _step(
        self, step: Step, message: InboundMessage, conversation: Conversation, locale: str
    ) -> Outcome:
        state = conversation.dialogue
        if isinstance(step, Say):
            if "intents" in step.params:  # the tied intents, said as what each would do
                options = intent_choices(list(step.params["intents"]), locale)
                return Outcome(text(step.key, locale, options=options))
            return Outcome(text(step.key, locale, **step.params))
        if isinstance(step, Ask):
            state.pending = step.pending
            name = _display(state, step.pending.slots.get("product"))
            return Outcome(
                text(step.key, locale, **{"name": name, "options": "", **step.params}),
                {"candidates": [{"id": c.id, "name": c.name} for c in step.pending.candidates]},
            )
        if step.intent == "unknown":
            return await self._unknown(message, locale)
        return await self._route(
            step.intent,
            dict(step.slots),
            message,
            conversation,
            locale,
            step.mapping,
            confirmed=step.confirmed,
        )

    def _reply(
        self,
        conversation: Conversation,
        intent: str,
        slots: dict[str, Any],
        locale: str,
        outcomes: list[Outcome],
    ) -> Reply:
        data: dict[str, Any] = {}
        for o in outcomes:
            data.update(o.data)
        if not data.get("candidates"):
            data.pop("candidates", None)
        pending = conversation.dialogue.pending
        if pending is not None:
            data["pending"] = {"intent": pending.intent}
            if pending.kind != "confirm":
                data["pending"]["awaiting"] = _awaiting(pending)
        return Reply(
            response="\n\n".join(o.text for o in outcomes if o.text),
            intent=intent,
            locale=locale,
            conversation_id=conversation.conversation_id,
            slots={k: v for k, v in slots.items() if k != "product_name"},
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
        *,
        confirmed: bool = False,
    ) -> Outcome:
        """Answer one request whose references the dialogue layer resolved. `mapped` is the
        mapping analyze_intent gave for these very slots: validate_mapping is not asked again."""
        if intent in SOCIAL:
            return Outcome(text(SOCIAL[intent], locale))
        if intent == "help":
            return Outcome(text("help_admin" if message.admin else "help_shopper", locale))
        if intent == "affirm":
            return Outcome(text("nothing_pending", locale))
        if intent == "deny":
            return Outcome(text("nothing_to_cancel", locale))
        if intent == "human_agent":
            return await self._handover(message, conversation, locale)
        state = conversation.dialogue
        speaker = Speaker(message.user_id, message.admin)
        as_analyzed = dict(slots)
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
        # slots of the dialogue layer, not of the intent contract: they choose another tool
        setting = slots.pop("mode", None) == "set"
        emptying = bool(slots.pop("all", False))
        if mapped is not None and slots == as_analyzed:
            mapping = mapped
        else:
            mapping = await self._map("get_basket" if emptying else intent, slots, locale)
        if mapping["call"] is not None and (setting or emptying):
            tool = "empty_basket" if emptying else "set_basket_quantity"
            mapping = {**mapping, "call": {**mapping["call"], "tool": tool}}
        if mapping["admin"] and not message.admin:
            return Outcome(text("admin_required", locale), {"error": "admin_required"}, ok=False)
        if mapping["call"] is None:
            return Outcome(text("help_shopper", locale))
        missing = [
            m for m in mapping["missing"] if not (m == "product_id" and slots.get("product"))
        ]
        name = _display(state, slots.get("product"))
        if missing:
            awaiting = {"product_id": "product", "path": "file"}.get(missing[0], missing[0])
            kind = awaiting if awaiting in ("product", "email", "phone", "quantity") else "value"
            state.pending = Pending(
                kind,  # type: ignore[arg-type]
                intent,
                slots,
                speaker.user_id,
                admin=mapping["admin"],
                slot=awaiting,
            )
            key = f"ask_{kind}" if kind != "value" else "ask_product"
            return Outcome(text(key, locale, name=name))
        if mapping["needs_confirmation"] and not confirmed:
            # only the same identity, with the admin key, may say yes (admin actions are the
            # ones that need confirming)
            state.pending = Pending(
                "confirm",
                intent,
                slots,
                speaker.user_id,
                admin=message.admin,
                mapping=mapping,
            )
            name = str(name or slots.get("file") or "")
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
        tool = call["tool"]
        state = conversation.dialogue
        args = dict(call["arguments"])
        if "product_id" in args and args["product_id"] is None:
            args["product_id"] = slots.get("product")
        if "product" in args and args["product"] is None:
            args["product"] = slots.get("product")
        if "basket_id" in mapping["from_context"]:
            if state.basket_id is None and tool not in ("add_to_basket", "set_basket_quantity"):
                empty = "no_basket_yet" if tool == "get_payment_link" else "basket_empty"
                return Outcome(text(empty, locale))
            if state.basket_id is not None:
                args["basket_id"] = state.basket_id
        if "question" in mapping["from_context"]:
            args["question"] = message.text
        outcome = await run_tool(
            self.pool,
            call["server"],
            tool,
            {k: v for k, v in args.items() if v is not None},
            intent=intent,
            slots={**slots, "product_name": _display(state, slots.get("product"))},
            conversation=conversation,
            locale=locale,
            client=message.client_type,
        )
        if outcome.ok:
            observe(state, tool, outcome.data, intent=intent, slots=slots)
        else:
            outcome = self._after_failure(
                intent, slots, tool, args, outcome, message, state, locale
            )
        then = mapping.get("then")
        if then is None or not outcome.ok:
            return outcome
        link = outcome.data.get("payment_link", {})
        basket = await self.pool.call(
            "ecommerce_storefront",
            "get_basket",
            {"basket_id": state.basket_id, "locale": locale},
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

    def _after_failure(
        self,
        intent: str,
        slots: dict[str, Any],
        tool: str,
        args: dict[str, Any],
        outcome: Outcome,
        message: InboundMessage,
        state: DialogueState,
        locale: str,
    ) -> Outcome:
        """A failure the shopper can answer becomes an open question: which of these products,
        or would the units in stock do."""
        if tool == "get_order":
            order_id = str(args.get("order_id", ""))
            return Outcome(
                text("unknown_order", locale, order_id=order_id),
                {"error": "unknown_order", "order_id": order_id},
                ok=False,
            )
        candidates = tuple(
            Item(str(c["id"]), str(c["name"])) for c in outcome.data.get("candidates", ())
        )
        if candidates:
            state.pending = Pending(
                "product", intent, slots, message.user_id, candidates=candidates
            )
            return outcome
        available = outcome.data.get("available")
        if intent == "add_to_basket" and isinstance(available, int) and available > 0:
            product = str(slots.get("product") or args.get("product_id") or "")
            state.pending = Pending(
                "stock_offer",
                intent,
                {k: v for k, v in slots.items() if k != "mode"},
                message.user_id,
                available=available,
            )
            name = _display(state, product)
            return Outcome(
                text("stock_offer", locale, name=name, available=available),
                {**outcome.data},
                ok=False,
            )
        return outcome


def _display(state: DialogueState, product: Any) -> str:
    """The name the shopper saw for a product id, or what they typed."""
    if product is None:
        return ""
    ref = str(product)
    known = [*state.listing, *([state.focus] if state.focus else [])]
    for item in known:
        if item.id == ref:
            return item.name
    for line in state.basket:
        if line.product_id == ref:
            return line.name
    return ref


def _awaiting(pending: Pending) -> str:
    """The slot an open question fills, as the reply's data has always named it."""
    if pending.kind in ("stock_offer", "quantity"):
        return "quantity"
    return pending.slot or pending.kind
