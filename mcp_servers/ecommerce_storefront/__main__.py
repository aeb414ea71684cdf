"""`python -m mcp_servers.ecommerce_storefront`: the storefront server over stdio (logs go to stderr)."""

from __future__ import annotations

import sys

from shopmcp.logs import RequestIdMiddleware, configure
from shopmcp.settings import Settings, SettingsError

from .server import create_server


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"ecommerce_storefront: {exc}", file=sys.stderr)
        return 2
    configure(settings.log_format, settings.log_level)
    server = create_server(settings)
    server.middleware.append(RequestIdMiddleware("mcp_servers.ecommerce_storefront"))
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
