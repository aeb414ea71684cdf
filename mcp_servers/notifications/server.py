"""The notifications MCP server: e-mail, SMS, WhatsApp and Instagram, with an outbox behind them.

The lifespan opens the outbox and builds one provider per channel that has credentials; tools
validate and render the message, then hand it to the `Notifier`. A provider failure is not a tool
error: the message ends `failed` in the outbox and the result says why. A bad recipient, a bad
message or a reused idempotency key is a coded tool failure (`mcp_servers.errors`) and nothing is
stored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import asdict, dataclass
from typing import Annotated, Any

import anyio
import httpx
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.types import ToolAnnotations
from pydantic import Field

from mcp_servers.errors import CodedMCPServer, ToolFailure
from shopmcp.settings import Settings

from .delivery import Notifier, RetryPolicy
from .errors import IdempotencyConflictError, InvalidRecipientError, MessageError
from .models import (
    Channel,
    Delivery,
    IdempotencyKey,
    OutboxEntry,
    OutboxListing,
    Status,
    TemplateMessage,
)
from .outbox import Draft, Outbox, OutboxRecord
from .providers import (
    InstagramMessaging,
    Provider,
    SmtpEmail,
    TwilioSms,
    WhatsAppCloud,
    twilio_client,
)
from .recipients import normalize_email, normalize_phone
from .templates import render

__all__ = ["OUTBOX_FILENAME", "NotificationsState", "create_server"]

logger = logging.getLogger(__name__)

OUTBOX_FILENAME = "outbox.sqlite3"
# Twilio and Graph API calls answer in well under a second; 10 s covers a slow network without
# letting one attempt eat the whole retry budget.
HTTP_TIMEOUT_SECONDS = 10.0
# Closing HTTP pools at shutdown must not hang the process.
SHUTDOWN_TIMEOUT_SECONDS = 5.0
# Provider limits on one message body: Twilio concatenates up to 1600 characters, the Cloud API
# takes 4096 in a text message, Instagram's messaging API 1000.
SMS_MAX_CHARS = 1600
WHATSAPP_MAX_CHARS = 4096
INSTAGRAM_MAX_CHARS = 1000
_MAX_CHARS: dict[Channel, int] = {
    "email": 100_000,
    "sms": SMS_MAX_CHARS,
    "whatsapp": WHATSAPP_MAX_CHARS,
    "instagram": INSTAGRAM_MAX_CHARS,
}


@dataclass(frozen=True, slots=True)
class NotificationsState:
    """What the tools share for the server's lifetime."""

    notifier: Notifier
    default_currency: str


async def _close_bounded(stack: AsyncExitStack) -> None:
    with anyio.CancelScope(shield=True), anyio.move_on_after(SHUTDOWN_TIMEOUT_SECONDS):
        await stack.aclose()


async def _providers(settings: Settings, stack: AsyncExitStack) -> dict[Channel, Provider]:
    """A provider for each channel whose credentials are all set; the others only store."""
    providers: dict[Channel, Provider] = {}
    http = await stack.enter_async_context(httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS))
    if settings.smtp_host:
        providers["email"] = SmtpEmail(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )
    sid, token, from_number = (
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.twilio_from_number,
    )
    if sid and token and from_number:
        client = twilio_client(sid, token, http, base_url=settings.twilio_base_url)
        providers["sms"] = TwilioSms(client, from_number=from_number)
    elif sid or token or from_number:
        logger.warning(
            "SMS go to the outbox only: set all of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
            "TWILIO_FROM_NUMBER to send them"
        )
    if settings.whatsapp_token and settings.whatsapp_phone_number_id:
        providers["whatsapp"] = WhatsAppCloud(
            http,
            api_url=settings.whatsapp_api_url,
            phone_number_id=settings.whatsapp_phone_number_id,
            token=settings.whatsapp_token,
        )
    elif settings.whatsapp_token or settings.whatsapp_phone_number_id:
        logger.warning(
            "WhatsApp messages go to the outbox only: set both WHATSAPP_TOKEN and "
            "WHATSAPP_PHONE_NUMBER_ID to send them"
        )
    if settings.instagram_token:
        # `/me` is whoever the token belongs to: the shop's Page access token, not the WhatsApp one
        providers["instagram"] = InstagramMessaging(
            http, api_url=settings.whatsapp_api_url, token=settings.instagram_token
        )
    return providers


def create_server(settings: Settings, *, retry: RetryPolicy | None = None) -> MCPServer[Any]:
    """The notifications server for `settings`; `retry` overrides the default retry policy."""

    @asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[NotificationsState]:
        stack = AsyncExitStack()
        try:
            outbox = Outbox.open(settings.data_dir / OUTBOX_FILENAME)
            stack.callback(outbox.close)
            providers = await _providers(settings, stack)
            logger.info(
                "notifications: sending %s; outbox at %s",
                ", ".join(sorted(providers)) or "nothing (outbox only)",
                settings.data_dir / OUTBOX_FILENAME,
            )
            notifier = Notifier(outbox, providers, retry or RetryPolicy())
            yield NotificationsState(notifier, settings.default_currency)
        finally:
            await _close_bounded(stack)

    server: MCPServer[Any] = CodedMCPServer(
        "shopmcp-notifications",
        version="0.1.0",
        instructions=(
            "Sends e-mail, SMS and WhatsApp messages to shoppers, as raw text or from localized "
            "templates, and Instagram direct-message replies. Every message is kept in an outbox (list_outbox); without provider "
            "credentials messages are only stored there."
        ),
        lifespan=lifespan,
    )
    _register_tools(server)
    return server


_SEND = ToolAnnotations(destructive_hint=False, idempotent_hint=False, open_world_hint=True)
_TEMPLATE_DOC = (
    "A template instead of text: name, locale (en, es, fr, de) and the template's params."
)


@contextmanager
def _tool_errors() -> Iterator[None]:
    """Our caller-facing errors become coded failures; anything else stays an internal error."""
    try:
        yield
    except (InvalidRecipientError, MessageError, IdempotencyConflictError) as exc:
        raise ToolFailure(exc.code, str(exc), **exc.params) from exc


def _state(ctx: Context[NotificationsState, Any]) -> NotificationsState:
    return ctx.request_context.lifespan_context


def _compose(
    state: NotificationsState,
    channel: Channel,
    recipient: str,
    text: str | None,
    template: TemplateMessage | None,
    *,
    subject: str | None = None,
) -> Draft:
    """The draft of exactly one of `text` and `template`; only e-mail keeps a subject."""
    if (text is None) == (template is None):
        raise MessageError(
            "give either text or template, not both and not neither", reason="text_or_template"
        )
    if template is not None:
        rendered = render(template, default_currency=state.default_currency)
        body, template_name, locale = rendered.text, template.name, template.locale
        subject = subject or rendered.subject
    else:
        assert text is not None
        body, template_name, locale = text, None, None
    if channel != "email":
        subject = None
    elif subject is None:
        raise MessageError("an e-mail with text needs a subject", reason="subject_missing")
    limit = _MAX_CHARS[channel]
    if len(body) > limit:
        raise MessageError(
            f"the {channel} message has {len(body)} characters, over the limit of {limit}; "
            "shorten it or send fewer items",
            reason="too_long",
            limit=limit,
        )
    return Draft(channel, recipient, body, subject, template_name, locale)


def _delivery(record: OutboxRecord, duplicate: bool) -> Delivery:
    return Delivery(**_entry_fields(record), duplicate=duplicate)


def _entry_fields(record: OutboxRecord) -> dict[str, Any]:
    fields = asdict(record)
    fields["outbox_id"] = fields.pop("id")
    fields["to"] = fields.pop("recipient")
    return fields


def _register_tools(server: MCPServer[Any]) -> None:
    @server.tool(annotations=_SEND)
    async def send_email(
        to: Annotated[str, Field(description="Recipient e-mail address.")],
        ctx: Context[NotificationsState, Any],
        text: Annotated[str, Field(min_length=1, description="Plain-text body.")] | None = None,
        subject: Annotated[
            str,
            Field(
                min_length=1,
                max_length=200,
                description="Required with text; overrides a template's subject.",
            ),
        ]
        | None = None,
        template: Annotated[TemplateMessage, Field(description=_TEMPLATE_DOC)] | None = None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> Delivery:
        """Send an e-mail (raw text with a subject, or a template) and record it in the outbox."""
        state = _state(ctx)
        with _tool_errors():
            draft = _compose(state, "email", normalize_email(to), text, template, subject=subject)
            record, duplicate = await state.notifier.deliver(draft, idempotency_key or _new_key())
        return _delivery(record, duplicate)

    @server.tool(annotations=_SEND)
    async def send_sms(
        to: Annotated[str, Field(description="Phone number in international form, +34600111222.")],
        ctx: Context[NotificationsState, Any],
        text: Annotated[str, Field(min_length=1, max_length=SMS_MAX_CHARS)] | None = None,
        template: Annotated[TemplateMessage, Field(description=_TEMPLATE_DOC)] | None = None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> Delivery:
        """Send an SMS through Twilio (raw text or a template) and record it in the outbox."""
        return await _send_phone(_state(ctx), "sms", to, text, template, idempotency_key)

    @server.tool(annotations=_SEND)
    async def send_whatsapp_message(
        to: Annotated[str, Field(description="Phone number in international form, +34600111222.")],
        ctx: Context[NotificationsState, Any],
        text: Annotated[str, Field(min_length=1, max_length=WHATSAPP_MAX_CHARS)] | None = None,
        template: Annotated[TemplateMessage, Field(description=_TEMPLATE_DOC)] | None = None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> Delivery:
        """Send a WhatsApp text message (raw text or a template) and record it in the outbox.

        The shop's templates are rendered as text, which WhatsApp delivers within 24 hours of the
        shopper's last message.
        """
        return await _send_phone(_state(ctx), "whatsapp", to, text, template, idempotency_key)

    @server.tool(annotations=_SEND)
    async def send_instagram_message(
        to: Annotated[
            str,
            Field(
                pattern=r"^[0-9]{1,32}$",
                description="The shopper's Instagram-scoped id, as the messaging webhook's sender.id.",
            ),
        ],
        text: Annotated[str, Field(min_length=1, max_length=INSTAGRAM_MAX_CHARS)],
        ctx: Context[NotificationsState, Any],
        idempotency_key: IdempotencyKey | None = None,
    ) -> Delivery:
        """Send an Instagram direct message and record it in the outbox.

        Instagram delivers text within 24 hours of the shopper's last message to the shop.
        """
        state = _state(ctx)
        with _tool_errors():
            draft = _compose(state, "instagram", to, text, None)
            record, duplicate = await state.notifier.deliver(draft, idempotency_key or _new_key())
        return _delivery(record, duplicate)

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def list_outbox(
        ctx: Context[NotificationsState, Any],
        channel: Channel | None = None,
        status: Status | None = None,
        to: Annotated[str, Field(description="Only messages to this exact recipient.")]
        | None = None,
        limit: Annotated[int, Field(ge=1, le=200)] = 50,
    ) -> OutboxListing:
        """Messages of the outbox, newest first: sent, stored (no provider), failed or sending."""
        records = _state(ctx).notifier.outbox.select(
            channel=channel, status=status, recipient=to, limit=limit
        )
        return OutboxListing(entries=[OutboxEntry(**_entry_fields(r)) for r in records])


async def _send_phone(
    state: NotificationsState,
    channel: Channel,
    to: str,
    text: str | None,
    template: TemplateMessage | None,
    idempotency_key: str | None,
) -> Delivery:
    with _tool_errors():
        draft = _compose(state, channel, normalize_phone(to), text, template)
        record, duplicate = await state.notifier.deliver(draft, idempotency_key or _new_key())
    return _delivery(record, duplicate)


def _new_key() -> str:
    return f"auto:{uuid.uuid4()}"
