"""Find the processes a test started (MCP servers by the unique data dir in their environment,
server workers by their parent) and read their memory."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path


def _processes(*files: str) -> Iterator[tuple[int, list[bytes]]]:
    """Each live process's pid and the contents of its `/proc/<pid>/<file>` for `files`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            yield int(entry.name), [(entry / name).read_bytes() for name in files]
        except OSError:  # gone meanwhile, or not ours to read
            continue


def server_pids(data_dir: Path, module: str) -> list[int]:
    marker = f"SHOPMCP_DATA_DIR={data_dir}".encode()
    return [
        pid
        for pid, (cmdline, environ) in _processes("cmdline", "environ")
        if f"mcp_servers.{module}".encode() in cmdline and marker in environ.split(b"\0")
    ]


def child_pids(pid: int, marker: bytes) -> list[int]:
    """The children of `pid` whose command line holds `marker`."""
    return sorted(
        child
        for child, (stat, cmdline) in _processes("stat", "cmdline")
        if int(stat.rsplit(b")", 1)[1].split()[1]) == pid and marker in cmdline
    )


def kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def rss(pid: int) -> int:
    """Resident memory of a process in bytes (0 once it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0
