"""A real SMTP server (aiosmtpd) on the test's asyncio loop, recording what it receives.

`FakeSmtp().running()` listens on 127.0.0.1 at a free port; `fail_next()` answers DATA with an
SMTP error, `refuse(address)` rejects a recipient at RCPT, as real servers do.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

__all__ = ["FakeSmtp"]


@dataclass
class FakeSmtp:
    """An SMTP server that keeps every accepted message."""

    host: str = "127.0.0.1"
    port: int = 0
    """The listening port while `running()`."""
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Envelope] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    _scripted: deque[str] = field(default_factory=deque)

    def fail_next(self, times: int = 1, *, reply: str = "451 4.3.0 Try again later") -> None:
        """Answer the next `times` DATA commands with `reply` instead of accepting."""
        self._scripted.extend([reply] * times)

    def refuse(self, address: str) -> None:
        """Reject `address` at RCPT TO with 550, like a mailbox that does not exist."""
        self.refused.add(address)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeSmtp]:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SMTP(self, hostname="fake-smtp.test"), self.host, 0
        )
        self.port = server.sockets[0].getsockname()[1]
        try:
            yield self
        finally:
            server.close()
            await server.wait_closed()

    # aiosmtpd handler hooks
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self._scripted:
            return self._scripted.popleft()
        self.envelopes.append(envelope)
        content = envelope.original_content or b""
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"
