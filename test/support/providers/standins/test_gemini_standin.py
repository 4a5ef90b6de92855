"""Prove the Gemini stand-in against the real `google-genai` SDK."""
import asyncio

import pytest
from google import genai
from google.genai import errors, types

MODEL = "gemini-2.5-flash"
DECL = types.FunctionDeclaration(name="current_time", description="Current UTC time",
                                 parameters=types.Schema(type="OBJECT", properties={}))
NO_AFC = types.AutomaticFunctionCallingConfig(disable=True)


_clients = []


def client(s):
    # keep a reference: google-genai closes its HTTP client when the Client object is garbage-collected,
    # so `genai.Client(...).models.generate_content(...)` on a temporary fails with
    # "Cannot send a request, as the client has been closed."
    c = genai.Client(api_key="test-key", http_options=types.HttpOptions(base_url=s.url))
    _clients.append(c)
    return c


def test_text_non_stream(gemini_server):
    r = client(gemini_server).models.generate_content(model=MODEL, contents="hi")
    assert r.text == "Hello from gemini stand-in: hi"
    rec = gemini_server.requests[-1]
    assert rec.model == MODEL and rec.path.endswith(f"/models/{MODEL}:generateContent")
    assert rec.headers.get("x-goog-api-key") == "test-key"
    print("path:", rec.path)


def test_text_stream(gemini_server):
    deltas = [c.text for c in client(gemini_server).models.generate_content_stream(model=MODEL, contents="hi there you")]
    assert len(deltas) > 1 and "".join(deltas) == "Hello from gemini stand-in: hi there you"
    rec = gemini_server.requests[-1]
    assert ":streamGenerateContent?alt=sse" in rec.path and rec.model == MODEL


@pytest.mark.parametrize("stream", [False, True])
def test_tool_round_trip_manual(gemini_server, stream):
    c = client(gemini_server)
    cfg = types.GenerateContentConfig(tools=[types.Tool(function_declarations=[DECL])], automatic_function_calling=NO_AFC)
    contents = [types.Content(role="user", parts=[types.Part(text="what time is it?")])]

    def call(contents):
        if stream:
            chunks = list(c.models.generate_content_stream(model=MODEL, contents=contents, config=cfg))
            parts = [p for ch in chunks for p in ch.candidates[0].content.parts]
            return types.Content(role="model", parts=parts)
        return c.models.generate_content(model=MODEL, contents=contents, config=cfg).candidates[0].content

    first = call(contents)
    fc = first.parts[0].function_call
    assert fc.name == "current_time" and (fc.args or {}) == {}
    contents += [first, types.Content(role="user", parts=[types.Part.from_function_response(name="current_time", response={"result": "2026-11-30T12:00:00Z"})])]
    second = call(contents)
    assert "".join(p.text for p in second.parts) == "The time is 2026-11-30T12:00:00Z."
    assert gemini_server.models == [MODEL, MODEL]


def test_automatic_function_calling(gemini_server):
    def current_time() -> str:
        """Current UTC time."""
        return "2026-11-30T12:00:00Z"

    r = client(gemini_server).models.generate_content(model=MODEL, contents="what time is it?",
                                                      config=types.GenerateContentConfig(tools=[current_time]))
    assert r.text == "The time is 2026-11-30T12:00:00Z."
    assert len(gemini_server.requests) == 2


def test_async_stream(gemini_server):
    c = client(gemini_server)  # held: a collected genai.Client closes its HTTP client

    async def stream():
        return [ch.text async for ch in await c.aio.models.generate_content_stream(model=MODEL, contents="yo")]

    out = asyncio.run(stream())
    assert "".join(out).endswith("yo")


def test_error(gemini_server):
    with pytest.raises(errors.ClientError) as ei:
        client(gemini_server).models.generate_content(model=MODEL, contents="FAIL")
    assert ei.value.code == 400


def test_env_base_url(gemini_server, monkeypatch):
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", gemini_server.url)
    monkeypatch.setenv("GEMINI_API_KEY", "env-key")
    c = genai.Client()
    r = c.models.generate_content(model=MODEL, contents="x")
    assert r.text.endswith("x")
    rec = gemini_server.requests[-1]
    assert rec.headers["x-goog-api-key"] == "env-key"
    print("api version path:", rec.path)
