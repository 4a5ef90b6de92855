#!/usr/bin/env python3
"""A loopback stand-in for the Bedrock Runtime Converse API, for offline tests.

    python test/support/fake_bedrock.py --port 0 --reply "TEXT" [--port-file FILE]

Point any boto3-based client at it with AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:PORT
(plus dummy AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and a region). It answers

    POST /model/{modelId}/converse         JSON Converse response with the reply text
    POST /model/{modelId}/converse-stream  the same reply as AWS event-stream frames
    GET  /_requests                        every model request so far: [{modelId, operation, body}]
    DELETE /_requests                      forget them
    POST /_reply  {"reply": "..."}         change the reply

The payload shapes follow botocore's service model for bedrock-runtime (2023-09-30).
The reply is always plain text (no tool use); credentials and signatures are ignored.
Stdlib only, Python 3.10+; also importable (`FakeBedrock`) to run in a thread.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


# --- AWS event-stream encoding (application/vnd.amazon.eventstream) -------------------

def _string_header(name: str, value: str) -> bytes:
    """One header: name length (1 byte), name, type 7 (string), value length (2 bytes), value."""
    n, v = name.encode(), value.encode()
    return struct.pack(">B", len(n)) + n + struct.pack(">BH", 7, len(v)) + v


def event_frame(event_type: str, payload: dict) -> bytes:
    """One event message: prelude (total length, headers length, CRC32), headers,
    JSON payload, CRC32 of everything before it."""
    headers = (
        _string_header(":event-type", event_type)
        + _string_header(":content-type", "application/json")
        + _string_header(":message-type", "event")
    )
    body = json.dumps(payload).encode()
    total = 12 + len(headers) + len(body) + 4
    prelude = struct.pack(">II", total, len(headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


# --- Bedrock-shaped responses --------------------------------------------------------

def _usage(body: dict, reply: str) -> dict:
    # Rough but deterministic token counts (~4 characters a token).
    inp = max(1, len(json.dumps(body.get("messages", []))) // 4)
    out = max(1, len(reply) // 4)
    return {"inputTokens": inp, "outputTokens": out, "totalTokens": inp + out}


def converse_response(body: dict, reply: str) -> dict:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": reply}]}},
        "stopReason": "end_turn",
        "usage": _usage(body, reply),
        "metrics": {"latencyMs": 1},
    }


def split_reply(reply: str, parts: int = 3) -> list[str]:
    """Cut the reply into a few consecutive chunks (at least one, possibly empty)."""
    size = max(1, -(-len(reply) // parts))  # ceiling division
    return [reply[i:i + size] for i in range(0, len(reply), size)] or [""]


def converse_stream_body(body: dict, reply: str) -> bytes:
    # Bedrock sends no contentBlockStart for a text block: the service model's
    # ContentBlockStart union only has toolUse / toolResult / image members.
    # Each payload is the event member's own shape, not wrapped in the event name.
    frames = [event_frame("messageStart", {"role": "assistant"})]
    frames += [
        event_frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": chunk}})
        for chunk in split_reply(reply)
    ]
    frames.append(event_frame("contentBlockStop", {"contentBlockIndex": 0}))
    frames.append(event_frame("messageStop", {"stopReason": "end_turn"}))
    frames.append(event_frame("metadata", {"usage": _usage(body, reply), "metrics": {"latencyMs": 1}}))
    return b"".join(frames)


# --- HTTP server ---------------------------------------------------------------------

class FakeBedrock(ThreadingHTTPServer):
    """The server; `reply` and `requests` are its state (guarded by `lock`)."""

    daemon_threads = True

    def __init__(self, port: int = 0, reply: str = "Hello from fake Bedrock.", verbose: bool = False):
        super().__init__(("127.0.0.1", port), _Handler)
        self.reply = reply
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.verbose = verbose

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeBedrock":
        """Serve from a daemon thread (for in-process tests); stop with shutdown()."""
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


class _Handler(BaseHTTPRequestHandler):
    server: FakeBedrock
    protocol_version = "HTTP/1.1"  # keep-alive, as boto3's connection pool expects

    def log_message(self, fmt, *args):
        if self.server.verbose:
            super().log_message(fmt, *args)

    def _send(self, status: int, data: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, obj, extra: dict | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json", extra)

    def _error(self, status: int, error_type: str, message: str) -> None:
        # x-amzn-ErrorType is how botocore's rest-json parser names the exception.
        self._json(status, {"message": message}, {"x-amzn-ErrorType": error_type})

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        if urlsplit(self.path).path == "/_requests":
            with self.server.lock:
                self._json(200, list(self.server.requests))
        else:
            self._error(404, "UnknownOperationException", f"no route for GET {self.path}")

    def do_DELETE(self):
        if urlsplit(self.path).path == "/_requests":
            with self.server.lock:
                self.server.requests.clear()
            self._json(200, {"ok": True})
        else:
            self._error(404, "UnknownOperationException", f"no route for DELETE {self.path}")

    def do_POST(self):
        raw = self._body()  # always read it, so a kept-alive connection stays in step
        # Split the raw path before decoding: an ARN model ID arrives with %2F inside.
        parts = urlsplit(self.path).path.split("/")
        if parts[1:] == ["_reply"]:
            try:
                reply = json.loads(raw)["reply"]
                assert isinstance(reply, str)
            except Exception:
                return self._error(400, "ValidationException", 'expected {"reply": "<text>"}')
            with self.server.lock:
                self.server.reply = reply
            return self._json(200, {"reply": reply})
        if len(parts) != 4 or parts[1] != "model" or parts[3] not in ("converse", "converse-stream"):
            return self._error(404, "UnknownOperationException", f"no route for POST {self.path}")

        model_id, operation = unquote(parts[2]), parts[3]
        try:
            body = json.loads(raw or b"{}")
        except ValueError as e:
            return self._error(400, "ValidationException", f"request body is not JSON: {e}")
        with self.server.lock:
            self.server.requests.append({"modelId": model_id, "operation": operation, "body": body})
            reply = self.server.reply

        if operation == "converse":
            self._json(200, converse_response(body, reply))
        else:
            self._send(200, converse_stream_body(body, reply), "application/vnd.amazon.eventstream")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    ap.add_argument("--reply", default="Hello from fake Bedrock.", help="the assistant's reply text")
    ap.add_argument("--port-file", help="also write the chosen port to this file")
    ap.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = ap.parse_args(argv)

    server = FakeBedrock(args.port, args.reply, args.verbose)  # listening from here on
    if args.port_file:
        # Write then rename, so a test polling for the file never reads it half-written.
        tmp = f"{args.port_file}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            f.write(f"{server.port}\n")
        os.replace(tmp, args.port_file)
    print(f"listening on 127.0.0.1:{server.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
