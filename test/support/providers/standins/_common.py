"""Shared plumbing for the loopback provider stand-ins.

Each stand-in is a ThreadingHTTPServer on 127.0.0.1 (port 0 = any free port),
run in a daemon thread.  It records every request (path, headers, JSON body,
model id) in ``server.requests`` so a test can assert what the client sent.

The scripted "brain" is shared by all providers:
  * the latest message is a tool result      -> text "The time is <result>."
  * the user text mentions "time" and a tool named ``current_time`` is offered
                                              -> call ``current_time`` with {}
  * the user text contains "FAIL"             -> HTTP 400 in the provider's
                                                 error shape (SDKs do not retry 4xx)
  * otherwise                                 -> text "Hello from <provider> stand-in: <user text>"
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable

TOOL_NAME = "current_time"
FIXED_TIME = "2026-11-30T12:00:00Z"


@dataclass
class Decision:
    kind: str  # "text" | "tool" | "error"
    text: str = ""
    tool_call_id: str = ""


def decide(provider: str, user_text: str, tool_result: str | None, tool_names: Iterable[str]) -> Decision:
    if tool_result is not None:
        return Decision("text", f"The time is {tool_result}.")
    if "FAIL" in (user_text or ""):
        return Decision("error", "stand-in forced failure")
    if TOOL_NAME in set(tool_names) and "time" in (user_text or "").lower():
        return Decision("tool", tool_call_id="call_" + uuid.uuid4().hex[:12])
    return Decision("text", f"Hello from {provider} stand-in: {user_text}")


def flatten_text(obj: Any) -> str:
    """Best-effort text of a tool result as frameworks wrap it ({"output": [{"text": ...}]}, {"result": ...}, ...)."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        try:
            inner = json.loads(obj)
        except (json.JSONDecodeError, ValueError):
            return obj
        return flatten_text(inner) if isinstance(inner, (dict, list)) else obj
    if isinstance(obj, list):
        return "".join(flatten_text(x) for x in obj)
    if isinstance(obj, dict):
        if isinstance(obj.get("text"), str):
            return obj["text"]
        if len(obj) == 1:
            return flatten_text(next(iter(obj.values())))
        for k in ("result", "output", "content"):
            if k in obj:
                return flatten_text(obj[k])
        return json.dumps(obj)
    return str(obj)


def chunks(text: str, n: int = 3) -> list[str]:
    """Split into ~n pieces on word boundaries, keeping spaces (concatenation == text)."""
    words = text.split(" ")
    if len(words) <= 1:
        return [text]
    size = max(1, len(words) // n)
    out = []
    for i in range(0, len(words), size):
        piece = " ".join(words[i:i + size])
        out.append(piece if i == 0 else " " + piece)
    return out


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any
    model: str | None
    stream: bool


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, handler_cls, host: str = "127.0.0.1", port: int = 0):
        super().__init__((host, port), handler_cls)
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "StandinServer":
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def models(self) -> list[str | None]:
        return [r.model for r in self.requests]


class BaseHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StandinServer

    def log_message(self, fmt, *args):  # quiet
        pass

    # -- helpers -----------------------------------------------------------
    def read_json(self) -> Any:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        if not raw and self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = self._read_chunked()
        try:
            return json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return {"_raw": raw.decode("utf-8", "replace")}

    def _read_chunked(self) -> bytes:
        out = b""
        while True:
            line = self.rfile.readline().strip()
            size = int(line.split(b";")[0], 16)
            if size == 0:
                self.rfile.readline()
                return out
            out += self.rfile.read(size)
            self.rfile.readline()

    def record(self, body: Any, model: str | None, stream: bool) -> None:
        with self.server.lock:
            self.server.requests.append(Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, model, stream))

    def send_json(self, status: int, obj: Any, extra_headers: dict[str, str] | None = None) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def sse(self, data: Any, event: str | None = None) -> None:
        payload = data if isinstance(data, str) else json.dumps(data)
        msg = (f"event: {event}\n" if event else "") + f"data: {payload}\n\n"
        self.wfile.write(msg.encode())
        self.wfile.flush()


def now() -> int:
    return int(time.time())
