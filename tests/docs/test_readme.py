"""Every command of the README, run as a reader would, and held to the output the README shows.

Each line of a ```sh block is a command; `RUNNERS` knows how to run each kind (offline commands in
a subprocess, server commands against the docs' real server), and a command no runner knows fails
the test, so a new command in the README needs a way to check it. Where the README shows the
output (a plain ``` block right after the command), the lines that carry meaning (intent, locale,
rule, slots, the JSON record) must be equal, and the rest (near misses, time) of the same shape.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from shopmcp.settings import PROJECT_ROOT
from tests.docs.conftest import run_id, unique_users
from tests.e2e.conftest import RunningServer

README = PROJECT_ROOT / "README.md"
SHOPMCP = ".venv/bin/shopmcp"
# Commands the test does not run, and why.
NOT_RUN = {
    "make run": "starts the server for good; the docs' server is the same `shopmcp serve`",
    "make test": "is this test suite",
}
# One line of `shopmcp intent`'s explanation: a key in a 10-column field, then the rest.
EXACT = re.compile(r"^(intent|locale|rule|  slot) ")
SHAPES = {
    "near miss": re.compile(
        r"^near miss  (patterns/\w+/\w+\.intents:\d+ \(.+\)|\.\.\. and \d+ more)$"
    ),
    "time": re.compile(r"^time {7}\d+(\.\d+)? (µs|ms)$"),
}


@dataclass(frozen=True)
class Command:
    line: int
    text: str
    output: list[str] | None
    """The plain block right after the command's block, if the README shows one."""


def commands() -> list[Command]:
    lines = README.read_text("utf-8").splitlines()
    found: list[Command] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
            output = None
            if end + 1 < len(lines) and lines[end + 1].strip() == "```":
                close = lines.index("```", end + 2)
                output = lines[end + 2 : close]
            body = re.sub(r"\\\n\s*", " ", "\n".join(line.strip() for line in lines[i + 1 : end]))
            block = [c for c in body.splitlines() if c]
            for k, text in enumerate(block):
                text = re.sub(r"\s+#.*$", "", text)  # a comment after the command
                found.append(Command(i + 2 + k, text, output if len(block) == 1 else None))
            i = end
        i += 1
    return found


def _shopmcp(command: str) -> subprocess.CompletedProcess[str]:
    """`command` under bash, with the README's `.venv/bin/shopmcp` being this interpreter's."""
    return subprocess.run(
        ["bash", "-c", command.replace(SHOPMCP, f"{sys.executable} -m shopmcp")],
        cwd=PROJECT_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _kind(line: str) -> str:
    return line[:10].strip() if not line.startswith("  slot") else "slot"


def _same_explanation(shown: list[str], printed: list[str]) -> None:
    assert [_kind(line) for line in printed] == [_kind(line) for line in shown], (
        "the README's lines are not the kinds the command prints; it prints:\n" + "\n".join(printed)
    )
    for shown_line, printed_line in zip(shown, printed, strict=True):
        if EXACT.match(printed_line):
            assert shown_line == printed_line
        else:
            assert SHAPES[_kind(printed_line)].match(printed_line), printed_line
            assert SHAPES[_kind(shown_line)].match(shown_line), shown_line


def run_intent(command: Command, server: RunningServer | None) -> None:
    done = _shopmcp(command.text)
    assert done.returncode == 0, done.stderr
    assert command.output is not None, "show what `shopmcp intent` prints after the command"
    _same_explanation(command.output, done.stdout.splitlines())


def run_classify(command: Command, server: RunningServer | None) -> None:
    done = _shopmcp(command.text)
    assert done.returncode == 0, done.stderr
    (printed,) = (json.loads(line) for line in done.stdout.splitlines())
    assert command.output is not None, "show the record `shopmcp classify` prints"
    (shown,) = (json.loads(line) for line in command.output)
    assert isinstance(printed.pop("micros"), float) and isinstance(shown.pop("micros"), float)
    assert shown == printed


def run_watch(command: Command, server: RunningServer | None) -> None:
    (message,) = re.findall(r'shopmcp intent "([^"]+)"', README.read_text("utf-8"))
    done = subprocess.run(
        [sys.executable, "-m", "shopmcp", *command.text.split()[1:]],
        input=message + "\n",
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"watching {PROJECT_ROOT / 'patterns'} (set ")
    assert "> intent     add_to_basket  [pattern" in done.stdout


def run_curl(command: Command, server: RunningServer | None) -> None:
    assert server is not None
    address = server.url.removeprefix("http://")
    script = unique_users(command.text, run_id()).replace("localhost:3300", address)
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    answer = json.loads(done.stdout)
    assert (answer["intent"], answer["locale"]) == ("search_products", "en")
    assert answer["data"]["products"]


def run_chat(command: Command, server: RunningServer | None) -> None:
    """The command exactly as written: it finds the server through PORT and SHOPMCP_HOST."""
    assert server is not None
    done = subprocess.run(
        ["bash", "-c", command.text.replace(SHOPMCP, f"{sys.executable} -m shopmcp")],
        input="Do you have iPhone?\n",
        cwd=PROJECT_ROOT,
        env={**os.environ, "PORT": server.env["PORT"], "SHOPMCP_HOST": server.env["SHOPMCP_HOST"]},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.startswith(f"chatting with {server.url} as ")
    assert "shop> " in done.stdout and "[search_products" in done.stdout


RUNNERS = {
    f"{SHOPMCP} intent ": (run_intent, False),
    "echo ": (run_classify, False),
    f"{SHOPMCP} patterns watch": (run_watch, False),
    "curl ": (run_curl, True),
    f"{SHOPMCP} chat": (run_chat, True),
}


def _runner(command: Command):  # type: ignore[no-untyped-def]
    for prefix, runner in RUNNERS.items():
        if command.text.startswith(prefix):
            return runner
    return None


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [pytest.param(c, id=f"README.md:{c.line}") for c in commands() if c.text not in NOT_RUN],
)
def test_every_readme_command_runs_and_prints_what_the_readme_shows(
    command: Command, request: pytest.FixtureRequest
) -> None:
    found = _runner(command)
    assert found, f"README.md:{command.line}: no runner for {command.text!r}; add one to RUNNERS"
    runner, needs_server = found
    server = request.getfixturevalue("docs_server") if needs_server else None
    runner(command, server)


def test_the_readme_shows_commands_in_every_kind_the_tour_promises() -> None:
    texts = [c.text for c in commands()]
    assert set(NOT_RUN) <= set(texts)
    for prefix in RUNNERS:
        assert any(t.startswith(prefix) for t in texts), prefix
