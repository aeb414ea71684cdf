"""`python -m mcp_servers.notifications`: the notifications server on stdio.

stdout carries the protocol, so logs go to stderr.
"""

from __future__ import annotations

import logging
import sys

from shopmcp.settings import Settings, SettingsError

from .server import create_server


def main() -> int:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"notifications: {exc}", file=sys.stderr)
        return 2
    create_server(settings).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
