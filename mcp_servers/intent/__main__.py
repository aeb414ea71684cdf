"""`python -m mcp_servers.intent`: the intent server on stdio (logs go to stderr)."""

from __future__ import annotations

import sys

from engine import PatternError
from shopmcp.logs import RequestIdMiddleware, configure
from shopmcp.settings import Settings, SettingsError

from .server import create_server


def main() -> int:
    try:
        settings = Settings.from_env()
        configure(settings.log_format, settings.log_level)
        server = create_server(settings)
        server.middleware.append(RequestIdMiddleware("mcp_servers.intent"))
        server.run()
    except (SettingsError, PatternError) as exc:
        print(f"intent: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
