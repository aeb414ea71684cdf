"""Find the MCP server processes a test started, by the unique data dir in their environment."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def server_pids(data_dir: Path, module: str) -> list[int]:
    marker = f"SHOPMCP_DATA_DIR={data_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"mcp_servers.{module}".encode() in cmdline and marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
