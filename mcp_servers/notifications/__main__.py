"""`python -m mcp_servers.notifications`: the notifications server on stdio.

stdout carries the protocol, so logs go to stderr.
"""

from __future__ import annotations

import sys

from shopmcp.logs import RequestIdMiddleware, configure
from shopmcp.settings import Settings, SettingsError

from .server import create_server


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"notifications: {exc}", file=sys.stderr)
        return 2
    configure(settings.log_format, settings.log_level)
    server = create_server(settings)
    server.middleware.append(RequestIdMiddleware("mcp_servers.notifications"))
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
