"""Loopback stand-in for the Anthropic Messages API.

POST /v1/messages                (JSON, or SSE when body.stream is true)
POST /v1/messages/count_tokens   (trivial)
Client: anthropic.Anthropic(base_url=server.url, api_key="test")  or ANTHROPIC_BASE_URL.
"""
from __future__ import annotations

import sys
import uuid

try:
    from ._common import BaseHandler, StandinServer, chunks, decide, flatten_text
except ImportError:  # run as a script
    from _common import BaseHandler, StandinServer, chunks, decide, flatten_text


def _text_of(content) -> str:
    if isinstance(content, str):
        return content
    out = []
    for b in content or []:
        if isinstance(b, dict):
            if b.get("type") == "text":
                out.append(b.get("text", ""))
            elif b.get("type") == "tool_result":
                out.append(_text_of(b.get("content")))
    return "".join(out)


def parse(body: dict):
    msgs = body.get("messages") or []
    tool_result = None
    user_text = ""
    if msgs:
        last = msgs[-1]
        content = last.get("content")
        if last.get("role") == "user" and isinstance(content, list):
            trs = [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"]
            if trs:
                tool_result = flatten_text(trs[-1].get("content"))
        for m in reversed(msgs):
            if m.get("role") == "user":
                c = m.get("content")
                if isinstance(c, str) or any(isinstance(b, dict) and b.get("type") == "text" for b in (c or [])):
                    user_text = _text_of([b for b in c if b.get("type") == "text"] if isinstance(c, list) else c)
                    break
    tools = [t.get("name") for t in body.get("tools") or []]
    return user_text, tool_result, tools


class Handler(BaseHandler):
    def do_POST(self):
        body = self.read_json()
        path = self.path.split("?")[0]
        model = body.get("model")
        stream = bool(body.get("stream"))
        self.record(body, model, stream)
        if path.endswith("/v1/messages/count_tokens"):
            return self.send_json(200, {"input_tokens": 10})
        if not path.endswith("/v1/messages"):
            return self.send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": f"no route {path}"}})
        user_text, tool_result, tools = parse(body)
        d = decide("anthropic", user_text, tool_result, tools)
        if d.kind == "error":
            return self.send_json(400, {"type": "error", "error": {"type": "invalid_request_error", "message": d.text}})
        msg_id = "msg_" + uuid.uuid4().hex[:20]
        usage = {"input_tokens": 10, "output_tokens": 5, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        if d.kind == "tool":
            block = {"type": "tool_use", "id": "toolu_" + d.tool_call_id[5:], "name": "current_time", "input": {}}
            stop = "tool_use"
        else:
            block = {"type": "text", "text": d.text}
            stop = "end_turn"
        if not stream:
            return self.send_json(200, {
                "id": msg_id, "type": "message", "role": "assistant", "model": model,
                "content": [block], "stop_reason": stop, "stop_sequence": None, "usage": usage,
            })
        self.start_sse()
        self.sse({"type": "message_start", "message": {
            "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": {**usage, "output_tokens": 1}}}, "message_start")
        if d.kind == "tool":
            self.sse({"type": "content_block_start", "index": 0, "content_block": {**block, "input": {}}}, "content_block_start")
            self.sse({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": ""}}, "content_block_delta")
            self.sse({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "{}"}}, "content_block_delta")
        else:
            self.sse({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}, "content_block_start")
            self.sse({"type": "ping"}, "ping")
            for piece in chunks(d.text):
                self.sse({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}, "content_block_delta")
        self.sse({"type": "content_block_stop", "index": 0}, "content_block_stop")
        self.sse({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None}, "usage": {"output_tokens": 5}}, "message_delta")
        self.sse({"type": "message_stop"}, "message_stop")


def make_server(port: int = 0) -> StandinServer:
    return StandinServer(Handler, port=port)


if __name__ == "__main__":
    s = make_server(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(s.url, flush=True)
    s.serve_forever()
