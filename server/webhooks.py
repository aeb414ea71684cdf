"""The channels' webhooks: WhatsApp Cloud API, Instagram messaging and Twilio SMS, no glue code.

Every request proves where it came from before its body is parsed: Meta signs the raw body with
the app secret (`X-Hub-Signature-256`), Twilio signs the public URL and the form fields with the
auth token (`X-Twilio-Signature`). A channel without its secret answers 503 naming the variable.

Meta wants a quick 200 and resends anything unanswered, so a signed Meta delivery is acknowledged
at once and its text messages are answered after the response, through `send_reply` (the server
sends it with the notifications MCP server). Twilio takes the answer in the response itself, as
TwiML. Either way a channel's message id is claimed in `Dedupe` first, so a resent delivery is
answered once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import parse_qsl

from litestar import Request, Response, Router, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import MultiDict
from litestar.di import NamedDependency, Provide
from litestar.enums import MediaType
from litestar.exceptions import (
    NotAuthorizedException,
    PermissionDeniedException,
    ServiceUnavailableException,
)
from pydantic import BaseModel, Field, ValidationError
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from server.dedupe import Dedupe
from server.identity import channel_user
from server.types import InboundMessage, MessageHandler
from shopmcp.settings import Settings

__all__ = ["ReplyChannel", "ReplySender", "webhook_router"]

logger = logging.getLogger(__name__)

ReplyChannel = Literal["whatsapp", "instagram"]
_Model = TypeVar("_Model", bound="BaseModel")


class ReplySender(Protocol):
    """Sends the answer to a webhook message back through its channel (the notifications server).

    `idempotency_key` is the same for every delivery of one inbound message, so a reply is sent
    once even if the webhook is processed twice.
    """

    async def __call__(
        self, channel: ReplyChannel, to: str, text: str, idempotency_key: str
    ) -> None: ...


# Wire shapes of Meta's deliveries. Only what is used is declared; the rest (statuses, metadata,
# read receipts, reactions) is ignored, so a delivery without text messages parses to nothing.


class _WaText(BaseModel):
    body: str


class _WaMessage(BaseModel):
    id: str
    sender: str | None = Field(default=None, alias="from")
    type: str
    text: _WaText | None = None


class _WaContact(BaseModel):
    wa_id: str | None = None


class _WaValue(BaseModel):
    contacts: list[_WaContact] = Field(default_factory=list)
    messages: list[_WaMessage] = Field(default_factory=list)


class _WaChange(BaseModel):
    value: _WaValue


class _WaEntry(BaseModel):
    changes: list[_WaChange] = Field(default_factory=list)


class _WaDelivery(BaseModel):
    entry: list[_WaEntry] = Field(default_factory=list)


class _IgUser(BaseModel):
    id: str


class _IgMessage(BaseModel):
    mid: str
    text: str | None = None
    is_echo: bool = False
    """A message the shop's own account sent: answering it would talk to ourselves."""


class _IgEvent(BaseModel):
    sender: _IgUser
    message: _IgMessage | None = None


class _IgEntry(BaseModel):
    id: str = ""
    messaging: list[_IgEvent] = Field(default_factory=list)


class _IgDelivery(BaseModel):
    entry: list[_IgEntry] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Inbound:
    """A message to answer, and the channel's address of its sender."""

    message: InboundMessage
    reply_to: str


def _whatsapp_messages(body: bytes, max_chars: int) -> list[_Inbound]:
    delivery = _parse(_WaDelivery, body, "whatsapp")
    found = []
    for change in (c for entry in delivery.entry for c in entry.changes):
        contact_ids = [c.wa_id for c in change.value.contacts if c.wa_id]
        for message in change.value.messages:
            wa_id = message.sender or (contact_ids[0] if contact_ids else None)
            if message.type != "text" or message.text is None or not wa_id:
                continue
            inbound = InboundMessage(
                user_id=channel_user("whatsapp", wa_id),
                text=message.text.body[:max_chars],
                client_type="whatsapp",
                phone=f"+{wa_id}",
                message_id=message.id,
            )
            found.append(_Inbound(inbound, f"+{wa_id}"))
    return found


def _instagram_messages(body: bytes, max_chars: int) -> list[_Inbound]:
    delivery = _parse(_IgDelivery, body, "instagram")
    found = []
    for entry in delivery.entry:
        for event in entry.messaging:
            message = event.message
            if message is None or message.is_echo or not message.text:
                continue
            if event.sender.id == entry.id:
                continue  # the shop's own account
            inbound = InboundMessage(
                user_id=channel_user("instagram", event.sender.id),
                text=message.text[:max_chars],
                client_type="instagram",
                message_id=message.mid,
            )
            found.append(_Inbound(inbound, event.sender.id))
    return found


def _parse(model: type[_Model], body: bytes, channel: str) -> _Model:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        # Signed by Meta, so resending will not fix it: acknowledge it and say what was wrong,
        # without the shopper's text (include_input=False) in the log.
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "the body"
        logger.warning(
            "%s webhook: unexpected delivery ignored (%d problems; at %s: %s)",
            channel,
            exc.error_count(),
            where,
            first["msg"],
        )
        return model()


@dataclass(frozen=True, slots=True)
class _Webhooks:
    """The collaborators the route handlers share; injected as the `webhooks` dependency."""

    handler: MessageHandler
    settings: Settings
    dedupe: Dedupe
    send_reply: ReplySender

    def meta_secrets(self, channel: ReplyChannel) -> tuple[str, str]:
        """META_APP_SECRET and META_VERIFY_TOKEN; a Meta channel needs both, or answers 503."""
        secret, token = self.settings.meta_app_secret, self.settings.meta_verify_token
        if secret and token:
            return secret, token
        missing = [
            n for n, v in (("META_APP_SECRET", secret), ("META_VERIFY_TOKEN", token)) if not v
        ]
        raise ServiceUnavailableException(
            f"the {channel} webhook is not configured: set {' and '.join(missing)} "
            f"(docs/examples/{channel}-integration.md)"
        )

    async def answer(self, channel: ReplyChannel, inbound: Sequence[_Inbound]) -> None:
        """Answer each message of one delivery in order, after the 200 has gone out."""
        for item in inbound:
            try:
                await self._answer_one(channel, item)
            except Exception:
                # The response has gone and nobody else will see this failure: log it, and go on
                # with the delivery's other messages.
                logger.exception(
                    "%s webhook: answering message %s failed", channel, item.message.message_id
                )

    async def _answer_one(self, channel: ReplyChannel, item: _Inbound) -> None:
        message_id = item.message.message_id
        if not await self.dedupe.first_time(f"{channel}:{message_id}"):
            logger.info("%s webhook: message %s was already answered", channel, message_id)
            return
        reply = await self.handler(item.message)
        if reply.response:
            await self.send_reply(
                channel, item.reply_to, reply.response, f"reply:{channel}:{message_id}"
            )


async def _verified_meta_body(
    request: Request[Any, Any, Any], webhooks: _Webhooks, channel: ReplyChannel
) -> bytes:
    """The raw body, once `X-Hub-Signature-256` proves Meta signed it with the app secret."""
    secret, _ = webhooks.meta_secrets(channel)
    signature = request.headers.get("x-hub-signature-256")
    if not signature:
        raise NotAuthorizedException("missing X-Hub-Signature-256 header; only Meta may call this")
    body = await request.body()
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    # Headers arrive latin-1 decoded, so this encoding cannot fail on hostile input.
    if not hmac.compare_digest(expected.encode(), signature.encode("latin-1")):
        raise PermissionDeniedException(
            "X-Hub-Signature-256 does not match the body; check META_APP_SECRET"
        )
    return body


def _accepted(
    webhooks: _Webhooks, channel: ReplyChannel, inbound: list[_Inbound]
) -> Response[bytes]:
    background = BackgroundTask(webhooks.answer, channel, inbound) if inbound else None
    return Response(b"", status_code=200, background=background)


def _handshake(
    request: Request[Any, Any, Any], webhooks: _Webhooks, channel: ReplyChannel
) -> Response[str]:
    """Meta's subscription check: echo `hub.challenge` if `hub.verify_token` is ours."""
    _, token = webhooks.meta_secrets(channel)
    query = request.query_params
    given, challenge = query.get("hub.verify_token"), query.get("hub.challenge")
    if (
        query.get("hub.mode") != "subscribe"
        or given is None
        or challenge is None
        or not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))
    ):
        raise PermissionDeniedException(
            "verification failed: hub.verify_token does not match META_VERIFY_TOKEN"
        )
    return Response(challenge, media_type=MediaType.TEXT, status_code=200)


async def _whatsapp_handshake(
    request: Request[Any, Any, Any], webhooks: NamedDependency[_Webhooks]
) -> Response[str]:
    return _handshake(request, webhooks, "whatsapp")


async def _instagram_handshake(
    request: Request[Any, Any, Any], webhooks: NamedDependency[_Webhooks]
) -> Response[str]:
    return _handshake(request, webhooks, "instagram")


async def _whatsapp_delivery(
    request: Request[Any, Any, Any], webhooks: NamedDependency[_Webhooks]
) -> Response[bytes]:
    """WhatsApp Cloud API events: text messages are answered; statuses and the rest ignored."""
    body = await _verified_meta_body(request, webhooks, "whatsapp")
    inbound = _whatsapp_messages(body, webhooks.settings.max_message_chars)
    return _accepted(webhooks, "whatsapp", inbound)


async def _instagram_delivery(
    request: Request[Any, Any, Any], webhooks: NamedDependency[_Webhooks]
) -> Response[bytes]:
    """Instagram messaging events: direct text messages are answered; echoes and the rest ignored."""
    body = await _verified_meta_body(request, webhooks, "instagram")
    inbound = _instagram_messages(body, webhooks.settings.max_message_chars)
    return _accepted(webhooks, "instagram", inbound)


async def _twilio_sms(
    request: Request[Any, Any, Any], webhooks: NamedDependency[_Webhooks]
) -> Response[str]:
    """An SMS to the shop's Twilio number, answered in the response as TwiML."""
    settings = webhooks.settings
    if not settings.twilio_auth_token:
        raise ServiceUnavailableException(
            "the SMS webhook is not configured: set TWILIO_AUTH_TOKEN (and SHOPMCP_PUBLIC_URL to "
            "the address Twilio calls)"
        )
    signature = request.headers.get("x-twilio-signature")
    if not signature:
        raise NotAuthorizedException("missing X-Twilio-Signature header; only Twilio may call this")
    # Parsed here rather than by `request.form()`, which drops empty fields (FromCity=...) that
    # Twilio signs. Non-ASCII bytes cannot be in a urlencoded body Twilio signed: they fail below.
    raw = (await request.body()).decode("ascii", errors="replace")
    form: MultiDict[str] = MultiDict(parse_qsl(raw, keep_blank_values=True))
    # Twilio signs the URL it called: the public address, not the one behind a proxy.
    url = settings.public_base_url + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    if not RequestValidator(settings.twilio_auth_token).validate(url, form, signature):
        raise PermissionDeniedException(
            f"X-Twilio-Signature does not match {url}; check TWILIO_AUTH_TOKEN and that "
            "SHOPMCP_PUBLIC_URL is the address configured in Twilio"
        )
    twiml = MessagingResponse()
    sender, text, sid = form.get("From"), form.get("Body"), form.get("MessageSid")
    if sender and text and sid and await webhooks.dedupe.first_time(f"sms:{sid}"):
        message = InboundMessage(
            user_id=channel_user("sms", sender),
            text=text[: settings.max_message_chars],
            client_type="sms",
            phone=sender,
            message_id=sid,
        )
        reply = await webhooks.handler(message)
        if reply.response:
            twiml.message(reply.response)
    return Response(str(twiml), media_type=MediaType.XML, status_code=200)


def webhook_router(
    handler: MessageHandler, settings: Settings, dedupe: Dedupe, send_reply: ReplySender
) -> Router:
    """The `/webhooks` router: `/whatsapp` and `/instagram` (GET handshake, POST events) and
    `/twilio` (POST), answering messages with `handler`."""
    webhooks = _Webhooks(handler, settings, dedupe, send_reply)

    async def provide_webhooks() -> _Webhooks:
        return webhooks

    return Router(
        "/webhooks",
        route_handlers=[
            get("/whatsapp")(_whatsapp_handshake),
            post("/whatsapp", status_code=200)(_whatsapp_delivery),
            get("/instagram")(_instagram_handshake),
            post("/instagram", status_code=200)(_instagram_delivery),
            post("/twilio", status_code=200)(_twilio_sms),
        ],
        dependencies={"webhooks": Provide(provide_webhooks)},
        # Their callers are Meta and Twilio, whose formats those companies document.
        include_in_schema=False,
    )
