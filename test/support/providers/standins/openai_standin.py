"""Loopback stand-in for the OpenAI API: Chat Completions and Responses.

POST /v1/chat/completions   (JSON, or SSE `data: {chunk}` ... `data: [DONE]` when stream=true)
POST /v1/responses          (JSON, or SSE `event: response.*` when stream=true)
Client: openai.OpenAI(base_url=server.url + "/v1", api_key="test")  or OPENAI_BASE_URL.
"""
from __future__ import annotations

import sys
import uuid

try:
    from ._common import BaseHandler, StandinServer, chunks, decide, flatten_text, now
except ImportError:
    from _common import BaseHandler, StandinServer, chunks, decide, flatten_text, now


def _text(content) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    out = []
    for p in content:
        if isinstance(p, dict) and p.get("type") in ("text", "input_text", "output_text"):
            out.append(p.get("text", ""))
        elif isinstance(p, str):
            out.append(p)
    return "".join(out)


def parse_chat(body: dict):
    msgs = body.get("messages") or []
    tool_result = None
    if msgs and msgs[-1].get("role") == "tool":
        tool_result = flatten_text(msgs[-1].get("content"))
    user_text = next((_text(m.get("content")) for m in reversed(msgs) if m.get("role") == "user"), "")
    tools = [(t.get("function") or {}).get("name") or t.get("name") for t in body.get("tools") or []]
    return user_text, tool_result, tools


def parse_responses(body: dict):
    items = body.get("input")
    if isinstance(items, str):
        items = [{"role": "user", "content": items}]
    items = items or []
    tool_result = None
    if items and items[-1].get("type") == "function_call_output":
        out = items[-1].get("output")
        tool_result = flatten_text(out)
    user_text = next((_text(i.get("content")) for i in reversed(items)
                      if i.get("role") == "user" and i.get("type", "message") == "message"), "")
    tools = [t.get("name") for t in body.get("tools") or [] if t.get("type") == "function"]
    return user_text, tool_result, tools


class Handler(BaseHandler):
    def do_POST(self):
        body = self.read_json()
        path = self.path.split("?")[0]
        model = body.get("model")
        stream = bool(body.get("stream"))
        self.record(body, model, stream)
        if path.endswith("/chat/completions"):
            return self.handle_chat(body, model, stream)
        if path.endswith("/responses"):
            return self.handle_responses(body, model, stream)
        return self.send_json(404, {"error": {"message": f"no route {path}", "type": "invalid_request_error", "code": None, "param": None}})

    def _err(self, text):
        return self.send_json(400, {"error": {"message": text, "type": "invalid_request_error", "param": None, "code": None}})

    # ---------------------------------------------------------------- chat
    def handle_chat(self, body, model, stream):
        d = decide("openai", *parse_chat(body))
        if d.kind == "error":
            return self._err(d.text)
        cid = "chatcmpl-" + uuid.uuid4().hex[:20]
        usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        tool_call = {"id": d.tool_call_id, "type": "function", "function": {"name": "current_time", "arguments": "{}"}}
        finish = "tool_calls" if d.kind == "tool" else "stop"
        if not stream:
            msg = {"role": "assistant", "content": d.text if d.kind == "text" else None, "refusal": None}
            if d.kind == "tool":
                msg["tool_calls"] = [tool_call]
            return self.send_json(200, {"id": cid, "object": "chat.completion", "created": now(), "model": model,
                                        "choices": [{"index": 0, "message": msg, "finish_reason": finish, "logprobs": None}],
                                        "usage": usage})
        self.start_sse()

        def chunk(delta, finish_reason=None, **extra):
            self.sse({"id": cid, "object": "chat.completion.chunk", "created": now(), "model": model,
                      "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}], **extra})

        chunk({"role": "assistant", "content": ""})
        if d.kind == "tool":
            chunk({"tool_calls": [{"index": 0, **tool_call, "function": {"name": "current_time", "arguments": ""}}]})
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]})
        else:
            for piece in chunks(d.text):
                chunk({"content": piece})
        chunk({}, finish)
        if (body.get("stream_options") or {}).get("include_usage"):
            self.sse({"id": cid, "object": "chat.completion.chunk", "created": now(), "model": model, "choices": [], "usage": usage})
        self.sse("[DONE]")

    # ----------------------------------------------------------- responses
    # NB: never name a handler method `responses`: BaseHTTPRequestHandler.responses is the status-text table
    def handle_responses(self, body, model, stream):
        d = decide("openai", *parse_responses(body))
        if d.kind == "error":
            return self._err(d.text)
        rid = "resp_" + uuid.uuid4().hex[:20]
        iid = ("fc_" if d.kind == "tool" else "msg_") + uuid.uuid4().hex[:20]
        if d.kind == "tool":
            item = {"type": "function_call", "id": iid, "call_id": d.tool_call_id, "name": "current_time",
                    "arguments": "{}", "status": "completed"}
        else:
            item = {"type": "message", "id": iid, "status": "completed", "role": "assistant",
                    "content": [{"type": "output_text", "text": d.text, "annotations": [], "logprobs": []}]}
        usage = {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 5,
                 "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 15}

        def response(status, output, with_usage):
            return {"id": rid, "object": "response", "created_at": now(), "status": status, "model": model,
                    "output": output, "parallel_tool_calls": True, "tool_choice": body.get("tool_choice", "auto"),
                    "tools": body.get("tools") or [], "instructions": body.get("instructions"),
                    "previous_response_id": body.get("previous_response_id"), "error": None,
                    "incomplete_details": None, "metadata": {}, "temperature": 1.0, "top_p": 1.0,
                    "text": {"format": {"type": "text"}}, "truncation": "disabled",
                    "usage": usage if with_usage else None}

        if not stream:
            return self.send_json(200, response("completed", [item], True))
        self.start_sse()
        seq = iter(range(10_000))

        def ev(typ, **kw):
            self.sse({"type": typ, "sequence_number": next(seq), **kw}, typ)

        ev("response.created", response=response("in_progress", [], False))
        ev("response.in_progress", response=response("in_progress", [], False))
        if d.kind == "tool":
            ev("response.output_item.added", output_index=0, item={**item, "arguments": "", "status": "in_progress"})
            ev("response.function_call_arguments.delta", item_id=iid, output_index=0, delta="{}")
            ev("response.function_call_arguments.done", item_id=iid, output_index=0, arguments="{}", name="current_time")
        else:
            ev("response.output_item.added", output_index=0,
               item={**item, "status": "in_progress", "content": []})
            ev("response.content_part.added", item_id=iid, output_index=0, content_index=0,
               part={"type": "output_text", "text": "", "annotations": [], "logprobs": []})
            for piece in chunks(d.text):
                ev("response.output_text.delta", item_id=iid, output_index=0, content_index=0, delta=piece, logprobs=[])
            ev("response.output_text.done", item_id=iid, output_index=0, content_index=0, text=d.text, logprobs=[])
            ev("response.content_part.done", item_id=iid, output_index=0, content_index=0,
               part={"type": "output_text", "text": d.text, "annotations": [], "logprobs": []})
        ev("response.output_item.done", output_index=0, item=item)
        ev("response.completed", response=response("completed", [item], True))


def make_server(port: int = 0) -> StandinServer:
    return StandinServer(Handler, port=port)


if __name__ == "__main__":
    s = make_server(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(s.url, flush=True)
    s.serve_forever()
