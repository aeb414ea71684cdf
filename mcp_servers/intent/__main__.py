"""`python -m mcp_servers.intent`: the intent server on stdio (logs go to stderr)."""

from __future__ import annotations

import logging
import sys

from engine import PatternError
from shopmcp.settings import Settings, SettingsError

from .server import create_server


def main() -> int:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        create_server(Settings.from_env()).run()
    except (SettingsError, PatternError) as exc:
        print(f"intent: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
