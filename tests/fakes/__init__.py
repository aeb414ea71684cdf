"""Local servers speaking providers' wire formats, for tests: Twilio, WhatsApp Cloud API, SMTP.

Each fake is a dataclass holding what it received; `async with fake.running():` serves it on
127.0.0.1 at a free port for the duration of the block, on the test's event loop.
"""

from ._http import Request, Response, serve
from .smtp import FakeSmtp
from .twilio import FakeTwilio, TwilioMessage
from .whatsapp import FakeWhatsApp, WhatsAppMessage

__all__ = [
    "FakeSmtp",
    "FakeTwilio",
    "FakeWhatsApp",
    "Request",
    "Response",
    "TwilioMessage",
    "WhatsAppMessage",
    "serve",
]
