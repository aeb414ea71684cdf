"""Local servers speaking the Anthropic Messages API and Groq's chat completions, for tests.

The AI fallback uses the SDKs' *synchronous* clients, which would block an event-loop server in the
same thread, so these fakes run a `ThreadingHTTPServer` on 127.0.0.1 at a free port instead. Each
fake answers from a script of `Reply` objects, in order, the last one repeating, and keeps the JSON
body of every request it received (count them to prove a call was or was not made).

    fake = FakeAnthropic([Reply.answer("add_to_basket", {"quantity": 2})])
    with fake.running() as base_url:
        client = anthropic.Anthropic(api_key="test", base_url=base_url, max_retries=0)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

__all__ = ["FakeAnthropic", "FakeGroq", "FakeLLM", "Reply"]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the fake does with one request."""

    status: int = 200
    answer: dict[str, Any] | None = None
    """The classification the model "chose": intent, slots, confidence."""
    arguments: str | None = None
    """The tool call's arguments verbatim (Groq), or spliced raw into the body (Anthropic)."""
    text: str | None = None
    """A plain text answer instead of a tool call: the model ignored the forced tool."""
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    """Never answer: hold the connection until the server stops."""

    @classmethod
    def with_answer(
        cls, intent: str, slots: dict[str, Any] | None = None, confidence: float = 0.9
    ) -> Reply:
        return cls(answer={"intent": intent, "slots": slots or {}, "confidence": confidence})

    @classmethod
    def error(cls, status: int, headers: dict[str, str] | None = None) -> Reply:
        return cls(status=status, headers=headers or {})

    @classmethod
    def rate_limited(cls, retry_after: float) -> Reply:
        return cls(status=429, headers={"retry-after": f"{retry_after:g}"})

    @classmethod
    def malformed(cls, arguments: str) -> Reply:
        return cls(arguments=arguments)

    @classmethod
    def plain_text(cls, text: str) -> Reply:
        return cls(text=text)

    @classmethod
    def hanging(cls) -> Reply:
        return cls(hang=True)


class FakeLLM:
    """The common part: a scripted, thread-safe HTTP server. Subclasses render the wire format."""

    path: ClassVar[str] = ""

    def __init__(self, replies: list[Reply] | None = None) -> None:
        self.replies = list(replies or [Reply.with_answer("greet")])
        self.requests: list[dict[str, Any]] = []
        self.received = threading.Event()
        """Set on every request: a test can wait for "the call was made" without sleeping."""
        self._lock = threading.Lock()
        self._release = threading.Event()

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.requests)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        self.received.set()
        return reply

    def render(self, reply: Reply, request: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def render_error(self, reply: Reply) -> bytes:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                if self.path.split("?", 1)[0] != fake.path:
                    self._send(404, b'{"error": {"message": "no such path"}}', {})
                    return
                reply = fake._next(json.loads(raw))
                if reply.hang:
                    fake._release.wait()
                    self.close_connection = True
                    return
                body = fake.render(reply, json.loads(raw)) if reply.status == 200 else None
                self._send(reply.status, body or fake.render_error(reply), reply.headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output quiet

        return Handler

    @contextmanager
    def running(self) -> Iterator[str]:
        """Serve until the block ends; yield the base URL, `http://127.0.0.1:PORT`."""
        server = _QuietServer(("127.0.0.1", 0), self._handler())
        thread = threading.Thread(
            target=server.serve_forever, args=(0.02,), name=type(self).__name__
        )
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            self._release.set()  # let hanging handlers finish so their threads can be joined
            server.shutdown()
            server.server_close()
            thread.join()


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (a timeout under test) breaks the pipe: expected


class FakeAnthropic(FakeLLM):
    """`POST /v1/messages`: a Message whose content is one `tool_use` block of the forced tool."""

    path = "/v1/messages"

    def render(self, reply: Reply, request: dict[str, Any]) -> bytes:
        tool = (request.get("tool_choice") or {}).get("name", "tool")
        if reply.text is not None:
            content: list[dict[str, Any]] = [{"type": "text", "text": reply.text}]
        else:
            content = [{"type": "tool_use", "id": "toolu_01", "name": tool, "input": "__INPUT__"}]
        message = {
            "id": "msg_01",
            "type": "message",
            "role": "assistant",
            "model": request.get("model", "claude"),
            "content": content,
            "stop_reason": "tool_use" if reply.text is None else "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 120, "output_tokens": 30},
        }
        body = json.dumps(message)
        raw_input = reply.arguments if reply.arguments is not None else json.dumps(reply.answer)
        return body.replace('"__INPUT__"', raw_input).encode()

    def render_error(self, reply: Reply) -> bytes:
        kind = {429: "rate_limit_error", 529: "overloaded_error"}.get(reply.status, "api_error")
        return json.dumps(
            {"type": "error", "error": {"type": kind, "message": f"fake {reply.status}"}}
        ).encode()


class FakeGroq(FakeLLM):
    """`POST /openai/v1/chat/completions`: a chat completion whose message calls the forced tool."""

    path = "/openai/v1/chat/completions"

    def render(self, reply: Reply, request: dict[str, Any]) -> bytes:
        tool = ((request.get("tool_choice") or {}).get("function") or {}).get("name", "tool")
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.text is None:
            arguments = reply.arguments if reply.arguments is not None else json.dumps(reply.answer)
            message["tool_calls"] = [
                {
                    "id": "call_01",
                    "type": "function",
                    "function": {"name": tool, "arguments": arguments},
                }
            ]
        completion = {
            "id": "chatcmpl-01",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": request.get("model", "llama"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if reply.text is None else "stop",
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150},
        }
        return json.dumps(completion).encode()

    def render_error(self, reply: Reply) -> bytes:
        kind = "rate_limit_exceeded" if reply.status == 429 else "internal_server_error"
        return json.dumps(
            {"error": {"message": f"fake {reply.status}", "type": kind, "code": kind}}
        ).encode()
