"""Prove the Anthropic stand-in against the real `anthropic` SDK (sync, async, stream, tool round trip)."""
import asyncio

import anthropic
import pytest

MODEL = "claude-sonnet-4-5-20250929"
TOOLS = [{"name": "current_time", "description": "Current UTC time", "input_schema": {"type": "object", "properties": {}}}]


def api_key_sent(rec):
    # anthropic >= 2.x sends the key as `Authorization: Bearer`, 0.x as `x-api-key`
    return rec.headers.get("x-api-key") or rec.headers.get("authorization", "").removeprefix("Bearer ")


def client(s):
    return anthropic.Anthropic(base_url=s.url, api_key="test-key", max_retries=0)


def test_text_non_stream(anthropic_server):
    r = client(anthropic_server).messages.create(model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "hi"}])
    assert r.content[0].text == "Hello from anthropic stand-in: hi"
    assert r.stop_reason == "end_turn"
    rec = anthropic_server.requests[-1]
    assert rec.model == MODEL and rec.path == "/v1/messages" and not rec.stream
    assert api_key_sent(rec) == "test-key" and rec.headers.get("anthropic-version")
    print("anthropic-version:", rec.headers["anthropic-version"], "auth header:", "x-api-key" if "x-api-key" in rec.headers else "authorization")


def test_text_stream(anthropic_server):
    with client(anthropic_server).messages.stream(model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "hi there you"}]) as st:
        deltas = list(st.text_stream)
        final = st.get_final_message()
    assert len(deltas) > 1 and "".join(deltas) == "Hello from anthropic stand-in: hi there you"
    assert final.content[0].text == "".join(deltas)
    assert anthropic_server.requests[-1].stream and anthropic_server.requests[-1].model == MODEL


@pytest.mark.parametrize("stream", [False, True])
def test_tool_round_trip(anthropic_server, stream):
    c = client(anthropic_server)
    msgs = [{"role": "user", "content": "what time is it?"}]
    if stream:
        with c.messages.stream(model=MODEL, max_tokens=64, messages=msgs, tools=TOOLS) as st:
            first = st.get_final_message()
    else:
        first = c.messages.create(model=MODEL, max_tokens=64, messages=msgs, tools=TOOLS)
    assert first.stop_reason == "tool_use"
    tu = first.content[0]
    assert tu.type == "tool_use" and tu.name == "current_time" and tu.input == {}
    msgs += [{"role": "assistant", "content": [b.model_dump() for b in first.content]},
             {"role": "user", "content": [{"type": "tool_result", "tool_use_id": tu.id, "content": "2026-11-30T12:00:00Z"}]}]
    if stream:
        with c.messages.stream(model=MODEL, max_tokens=64, messages=msgs, tools=TOOLS) as st:
            text = "".join(st.text_stream)
    else:
        text = c.messages.create(model=MODEL, max_tokens=64, messages=msgs, tools=TOOLS).content[0].text
    assert text == "The time is 2026-11-30T12:00:00Z."
    assert anthropic_server.models == [MODEL, MODEL]


def test_async_stream_raw_events(anthropic_server):
    c = anthropic.AsyncAnthropic(base_url=anthropic_server.url, api_key="k", max_retries=0)

    async def stream():
        messages = [{"role": "user", "content": "hi"}]
        return [ev.type async for ev in await c.messages.create(model=MODEL, max_tokens=64, stream=True, messages=messages)]

    types = asyncio.run(stream())
    assert types[0] == "message_start" and types[-1] == "message_stop" and "content_block_delta" in types


def test_error_is_not_retried(anthropic_server):
    c = anthropic.Anthropic(base_url=anthropic_server.url, api_key="k")  # default retries
    with pytest.raises(anthropic.BadRequestError):
        c.messages.create(model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "FAIL please"}])
    assert len(anthropic_server.requests) == 1


def test_env_base_url(anthropic_server, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", anthropic_server.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "env-key")
    r = anthropic.Anthropic(max_retries=0).messages.create(model=MODEL, max_tokens=8, messages=[{"role": "user", "content": "x"}])
    assert r.content[0].text.endswith("x")
    assert api_key_sent(anthropic_server.requests[-1]) == "env-key"
