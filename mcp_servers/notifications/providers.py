"""The providers: SMTP (aiosmtplib), Twilio SMS (the twilio library), WhatsApp Cloud API and
Instagram messaging (both Meta's Graph API).

Each takes its client and addresses through its constructor and makes exactly one attempt per
`send`, returning the provider's message id. Third-party errors are translated here, once, into
`TransientDeliveryError` (worth a retry) or `PermanentDeliveryError`; retrying is `delivery`'s job.
"""

from __future__ import annotations

import hashlib
import logging
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

import aiosmtplib
import httpx
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client as TwilioClient

from .errors import PermanentDeliveryError, TransientDeliveryError
from .outbox import OutboxRecord

__all__ = [
    "HttpxTwilioTransport",
    "InstagramMessaging",
    "Provider",
    "SmtpEmail",
    "TwilioSms",
    "WhatsAppCloud",
    "twilio_client",
]

logger = logging.getLogger(__name__)

# One attempt's budget; the retry policy decides how many attempts a message gets.
SMTP_TIMEOUT_SECONDS = 10.0


def _retryable_status(status: int) -> bool:
    return status == 429 or status >= 500


class Provider(Protocol):
    """Hands one outbox message to a provider; one attempt, no retries."""

    async def send(self, record: OutboxRecord) -> str:
        """Deliver `record`; return the provider's id of the message."""
        ...


class SmtpEmail:
    """Plain-text e-mail through an SMTP server."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._username = username
        self._password = password
        self._starttls = starttls

    def _message_id(self, record: OutboxRecord) -> str:
        # Stable across attempts, so a receiving server that got a retried message can tell.
        digest = hashlib.sha256(record.idempotency_key.encode()).hexdigest()[:16]
        domain = self._sender.rpartition("@")[2] or "localhost"
        return f"<outbox.{record.id}.{digest}@{domain}>"

    async def send(self, record: OutboxRecord) -> str:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = record.recipient
        message["Subject"] = record.subject or ""
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = self._message_id(record)
        message.set_content(record.body)
        try:
            await aiosmtplib.send(
                message,
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                start_tls=self._starttls,
                timeout=SMTP_TIMEOUT_SECONDS,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            reason = "SMTP server refused the recipient: " + "; ".join(
                f"{r.code} {r.message}" for r in exc.recipients
            )
            if all(400 <= r.code < 500 for r in exc.recipients):  # greylisting, full mailbox
                raise TransientDeliveryError(reason) from exc
            raise PermanentDeliveryError(reason) from exc
        except aiosmtplib.SMTPResponseException as exc:
            reason = f"SMTP server answered {exc.code} {exc.message}"
            if 400 <= exc.code < 500:
                raise TransientDeliveryError(reason) from exc
            raise PermanentDeliveryError(reason) from exc
        except aiosmtplib.SMTPNotSupported as exc:
            raise PermanentDeliveryError(
                f"SMTP server {self._host}:{self._port} lacks what the settings ask for: {exc}; "
                "check SMTP_STARTTLS and SMTP_USERNAME"
            ) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            # Connection refused or dropped, timeouts (aiosmtplib's are OSErrors too).
            raise TransientDeliveryError(
                f"SMTP server {self._host}:{self._port} unreachable: {exc}"
            ) from exc
        return message["Message-ID"]


class HttpxTwilioTransport(AsyncHttpClient):
    """The twilio library's async HTTP interface, carried by an `httpx.AsyncClient`.

    The library's own async client is built on aiohttp's deprecated `BasicAuth`; this keeps one
    HTTP stack (and its timeouts) for every provider. `HttpClient` is the library's extension point.
    """

    def __init__(self, http: httpx.AsyncClient) -> None:
        super().__init__(logger, is_async=True)
        self._http = http

    async def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        response = await self._http.request(
            method,
            uri,
            params=params,  # type: ignore[arg-type]  # twilio passes str/int values
            data=data,
            headers=headers,
            auth=auth,
            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            follow_redirects=allow_redirects,
        )
        return TwilioResponse(response.status_code, response.text, response.headers)


def twilio_client(
    account_sid: str,
    auth_token: str,
    http: httpx.AsyncClient,
    *,
    base_url: str | None = None,
) -> TwilioClient:
    """A Twilio client on `http`, its API domain moved to `base_url` if given.

    The library has no base-URL option: each domain object carries `base_url`, built from a
    constant. Messages live in the `api` domain, so that one is re-pointed.
    """
    client = TwilioClient(
        account_sid,
        auth_token,
        http_client=HttpxTwilioTransport(http),
        # A non-empty mapping, so the library does not read TWILIO_EDGE/REGION from os.environ:
        # settings are read in one place.
        environment={"TWILIO_EDGE": "", "TWILIO_REGION": ""},
    )
    if base_url:
        client.api.base_url = base_url.rstrip("/")
    return client


class TwilioSms:
    """SMS through Twilio's Messages API, with the official library's async calls."""

    def __init__(self, client: TwilioClient, *, from_number: str) -> None:
        self._client = client
        self._from = from_number

    async def send(self, record: OutboxRecord) -> str:
        try:
            message = await self._client.messages.create_async(
                to=record.recipient, from_=self._from, body=record.body
            )
        except TwilioRestException as exc:
            reason = f"Twilio answered HTTP {exc.status} (error {exc.code}): {exc.msg}"
            if _retryable_status(exc.status):
                raise TransientDeliveryError(reason) from exc
            raise PermanentDeliveryError(reason) from exc
        except httpx.TransportError as exc:
            raise TransientDeliveryError(f"Twilio unreachable: {exc!r}") from exc
        except TwilioException as exc:
            raise PermanentDeliveryError(f"Twilio error: {exc!r}") from exc
        if message.sid is None:
            raise PermanentDeliveryError("Twilio accepted the message but returned no sid")
        return message.sid


class WhatsAppCloud:
    """Text messages through the WhatsApp Cloud API (Graph API `/{phone_number_id}/messages`).

    Free-form text reaches a shopper only inside the 24-hour window after their last message,
    which is when the shop answers them; outside it the API refuses with error 131047.
    """

    def __init__(
        self, http: httpx.AsyncClient, *, api_url: str, phone_number_id: str, token: str
    ) -> None:
        self._http = http
        self._url = f"{api_url.rstrip('/')}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {token}"}

    async def send(self, record: OutboxRecord) -> str:
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": record.recipient.lstrip("+"),
            "type": "text",
            "text": {"preview_url": True, "body": record.body},
        }
        try:
            response = await self._http.post(self._url, json=payload, headers=self._headers)
        except httpx.TransportError as exc:
            raise TransientDeliveryError(f"WhatsApp Cloud API unreachable: {exc!r}") from exc
        if response.is_success:
            try:
                return str(response.json()["messages"][0]["id"])
            except (ValueError, LookupError, TypeError) as exc:
                raise PermanentDeliveryError(
                    f"WhatsApp Cloud API answered {response.status_code} without a message id"
                ) from exc
        reason = (
            f"WhatsApp Cloud API answered HTTP {response.status_code}: {_graph_error(response)}"
        )
        if _retryable_status(response.status_code):
            raise TransientDeliveryError(reason)
        raise PermanentDeliveryError(reason)


class InstagramMessaging:
    """Direct-message replies through the Instagram messaging API (Graph API `/me/messages`).

    The recipient is an Instagram-scoped user id (IGSID), as a messaging webhook names the sender;
    text reaches them only within 24 hours of their last message, otherwise the API refuses it
    with error 10.
    """

    def __init__(self, http: httpx.AsyncClient, *, api_url: str, token: str) -> None:
        self._http = http
        self._url = f"{api_url.rstrip('/')}/me/messages"
        self._headers = {"Authorization": f"Bearer {token}"}

    async def send(self, record: OutboxRecord) -> str:
        payload = {"recipient": {"id": record.recipient}, "message": {"text": record.body}}
        try:
            response = await self._http.post(self._url, json=payload, headers=self._headers)
        except httpx.TransportError as exc:
            raise TransientDeliveryError(f"Instagram messaging API unreachable: {exc!r}") from exc
        if response.is_success:
            try:
                return str(response.json()["message_id"])
            except (ValueError, LookupError, TypeError) as exc:
                raise PermanentDeliveryError(
                    f"Instagram messaging API answered {response.status_code} without a message id"
                ) from exc
        reason = (
            f"Instagram messaging API answered HTTP {response.status_code}: "
            f"{_graph_error(response)}"
        )
        if _retryable_status(response.status_code):
            raise TransientDeliveryError(reason)
        raise PermanentDeliveryError(reason)


def _graph_error(response: httpx.Response) -> str:
    """The Graph API's `{"error": {"code", "message", "error_data": {"details"}}}`, in a line."""
    try:
        error = response.json()["error"]
        message, code = str(error["message"]), error["code"]
    except (ValueError, LookupError, TypeError):
        return response.text[:200] or response.reason_phrase
    text = message if message.startswith("(#") else f"(#{code}) {message}"
    details = (error.get("error_data") or {}).get("details")
    return f"{text}: {details}" if details and details not in text else text
