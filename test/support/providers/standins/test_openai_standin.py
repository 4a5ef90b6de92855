"""Prove the OpenAI stand-in (chat completions + responses) against the real `openai` SDK."""
import asyncio
import json

import openai
import pytest

MODEL = "gpt-5-mini"
CHAT_TOOLS = [{"type": "function", "function": {"name": "current_time", "description": "Current UTC time",
                                                 "parameters": {"type": "object", "properties": {}}}}]
RESP_TOOLS = [{"type": "function", "name": "current_time", "description": "Current UTC time",
               "parameters": {"type": "object", "properties": {}}, "strict": False}]


def client(s):
    return openai.OpenAI(base_url=s.url + "/v1", api_key="test-key", max_retries=0)


# --------------------------------------------------------------- chat completions
def test_chat_text_non_stream(openai_server):
    r = client(openai_server).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])
    assert r.choices[0].message.content == "Hello from openai stand-in: hi"
    rec = openai_server.requests[-1]
    assert rec.path == "/v1/chat/completions" and rec.model == MODEL and rec.headers["authorization"] == "Bearer test-key"


def test_chat_text_stream(openai_server):
    st = client(openai_server).chat.completions.create(model=MODEL, stream=True, stream_options={"include_usage": True},
                                                       messages=[{"role": "user", "content": "hi there you"}])
    deltas, usage = [], None
    for ch in st:
        if ch.choices and ch.choices[0].delta.content:
            deltas.append(ch.choices[0].delta.content)
        usage = ch.usage or usage
    assert len(deltas) > 1 and "".join(deltas) == "Hello from openai stand-in: hi there you"
    assert usage.total_tokens == 15


@pytest.mark.parametrize("stream", [False, True])
def test_chat_tool_round_trip(openai_server, stream):
    c = client(openai_server)
    msgs = [{"role": "user", "content": "what time is it?"}]
    if stream:
        with c.chat.completions.stream(model=MODEL, messages=msgs, tools=CHAT_TOOLS) as st:
            first = st.get_final_completion().choices[0].message
    else:
        first = c.chat.completions.create(model=MODEL, messages=msgs, tools=CHAT_TOOLS).choices[0].message
    tc = first.tool_calls[0]
    assert tc.function.name == "current_time" and json.loads(tc.function.arguments) == {}
    msgs += [{"role": "assistant", "content": None, "tool_calls": [tc.model_dump(exclude_none=True)]},
             {"role": "tool", "tool_call_id": tc.id, "content": "2026-11-30T12:00:00Z"}]
    if stream:
        text = "".join(ch.choices[0].delta.content or "" for ch in c.chat.completions.create(model=MODEL, messages=msgs, tools=CHAT_TOOLS, stream=True) if ch.choices)
    else:
        text = c.chat.completions.create(model=MODEL, messages=msgs, tools=CHAT_TOOLS).choices[0].message.content
    assert text == "The time is 2026-11-30T12:00:00Z."
    assert openai_server.models == [MODEL, MODEL]


# --------------------------------------------------------------------- responses
def test_responses_text_non_stream(openai_server):
    r = client(openai_server).responses.create(model=MODEL, input="hi")
    assert r.output_text == "Hello from openai stand-in: hi"
    assert openai_server.requests[-1].path == "/v1/responses"


def test_responses_text_stream(openai_server):
    deltas, done = [], None
    for ev in client(openai_server).responses.create(model=MODEL, input=[{"role": "user", "content": "hi there you"}], stream=True):
        if ev.type == "response.output_text.delta":
            deltas.append(ev.delta)
        if ev.type == "response.completed":
            done = ev.response
    assert len(deltas) > 1 and "".join(deltas) == done.output_text == "Hello from openai stand-in: hi there you"


@pytest.mark.parametrize("stream", [False, True])
def test_responses_tool_round_trip(openai_server, stream):
    c = client(openai_server)
    items = [{"role": "user", "content": "what time is it?"}]
    if stream:
        with c.responses.stream(model=MODEL, input=items, tools=RESP_TOOLS) as st:
            first = st.get_final_response()
    else:
        first = c.responses.create(model=MODEL, input=items, tools=RESP_TOOLS)
    fc = first.output[0]
    assert fc.type == "function_call" and fc.name == "current_time"
    items += [fc.model_dump(exclude_none=True), {"type": "function_call_output", "call_id": fc.call_id, "output": "2026-11-30T12:00:00Z"}]
    if stream:
        with c.responses.stream(model=MODEL, input=items, tools=RESP_TOOLS) as st:
            text = "".join(e.delta for e in st if e.type == "response.output_text.delta")
    else:
        text = c.responses.create(model=MODEL, input=items, tools=RESP_TOOLS).output_text
    assert text == "The time is 2026-11-30T12:00:00Z."
    assert openai_server.models == [MODEL, MODEL]


def test_async_chat_stream(openai_server):
    c = openai.AsyncOpenAI(base_url=openai_server.url + "/v1", api_key="k", max_retries=0)

    async def stream():
        chunks = await c.chat.completions.create(model=MODEL, stream=True, messages=[{"role": "user", "content": "yo"}])
        return [ch.choices[0].delta.content async for ch in chunks if ch.choices and ch.choices[0].delta.content]

    out = asyncio.run(stream())
    assert "".join(out).endswith("yo")


def test_error_is_not_retried(openai_server):
    c = openai.OpenAI(base_url=openai_server.url + "/v1", api_key="k")
    with pytest.raises(openai.BadRequestError):
        c.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "FAIL"}])
    assert len(openai_server.requests) == 1


def test_env_base_url(openai_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "env-key")
    r = openai.OpenAI(max_retries=0).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "x"}])
    assert r.choices[0].message.content.endswith("x")
    assert openai_server.requests[-1].headers["authorization"] == "Bearer env-key"
