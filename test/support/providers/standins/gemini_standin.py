"""Loopback stand-in for the Gemini Developer API (generativelanguage).

POST /{v1|v1beta}/models/{model}:generateContent
POST /{v1|v1beta}/models/{model}:streamGenerateContent?alt=sse   (SSE `data: {GenerateContentResponse}`)
POST /{v}/models/{model}:countTokens                              (trivial)
Client: genai.Client(api_key="test", http_options=types.HttpOptions(base_url=server.url))
        or GOOGLE_GEMINI_BASE_URL + GOOGLE_API_KEY/GEMINI_API_KEY.
The recorded model id is the one in the URL path.
"""
from __future__ import annotations

import re
import sys
import uuid

try:
    from ._common import BaseHandler, StandinServer, chunks, decide, flatten_text
except ImportError:
    from _common import BaseHandler, StandinServer, chunks, decide, flatten_text

PATH_RE = re.compile(r"^/(?P<ver>[^/]+)/models/(?P<model>[^:]+):(?P<method>\w+)$")


def _g(d: dict, *names):
    for n in names:
        if n in d:
            return d[n]
    return None


def _result_text(resp) -> str:
    return flatten_text(resp)


def parse(body: dict):
    contents = body.get("contents") or []
    tool_result = None
    if contents:
        for p in contents[-1].get("parts") or []:
            fr = _g(p, "functionResponse", "function_response")
            if fr:
                tool_result = _result_text(fr.get("response"))
    user_text = ""
    for c in reversed(contents):
        if c.get("role", "user") == "user":
            texts = [p["text"] for p in c.get("parts") or [] if "text" in p]
            if texts:
                user_text = "".join(texts)
                break
    tools = []
    for t in body.get("tools") or []:
        for fd in _g(t, "functionDeclarations", "function_declarations") or []:
            tools.append(fd.get("name"))
    return user_text, tool_result, tools


class Handler(BaseHandler):
    def do_POST(self):
        body = self.read_json()
        path, _, query = self.path.partition("?")
        m = PATH_RE.match(path)
        model = m.group("model") if m else None
        method = m.group("method") if m else ""
        stream = method == "streamGenerateContent"
        self.record(body, model, stream)
        if method == "countTokens":
            return self.send_json(200, {"totalTokens": 10})
        if method not in ("generateContent", "streamGenerateContent"):
            return self.send_json(404, {"error": {"code": 404, "message": f"no route {path}", "status": "NOT_FOUND"}})
        d = decide("gemini", *parse(body))
        if d.kind == "error":
            return self.send_json(400, {"error": {"code": 400, "message": d.text, "status": "INVALID_ARGUMENT"}})
        rid = uuid.uuid4().hex[:16]
        usage = {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15}

        def resp(parts, finish=None, with_usage=False):
            cand = {"content": {"role": "model", "parts": parts}, "index": 0}
            if finish:
                cand["finishReason"] = finish
            r = {"candidates": [cand], "modelVersion": model, "responseId": rid}
            if with_usage:
                r["usageMetadata"] = usage
            return r

        if d.kind == "tool":
            parts_all = [{"functionCall": {"name": "current_time", "args": {}, "id": d.tool_call_id}}]
        else:
            parts_all = [{"text": d.text}]
        if not stream:
            return self.send_json(200, resp(parts_all, "STOP", True))
        self.start_sse()
        if d.kind == "tool":
            self.sse(resp(parts_all, "STOP", True))
        else:
            pieces = chunks(d.text)
            for i, piece in enumerate(pieces):
                last = i == len(pieces) - 1
                self.sse(resp([{"text": piece}], "STOP" if last else None, last))


def make_server(port: int = 0) -> StandinServer:
    return StandinServer(Handler, port=port)


if __name__ == "__main__":
    s = make_server(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(s.url, flush=True)
    s.serve_forever()
