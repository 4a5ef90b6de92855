"""The plain agent's model: the Google Gemini API through its real SDK.

The SDK's HTTP client gets a transport that answers here instead of the API: the SDK still builds
each request and parses each answer as it would over the network.
"""

import asyncio
import json

import httpx2
import pytest
from starlette.testclient import TestClient

import agent
import api_key
from tests.support import conversation_key, error_of, invoke


def body_of(request) -> dict:
    return json.loads(request.content)


API_ERROR = "ClientError"  # what the google-genai SDK raises for a 400
TRANSPORT = httpx2.HTTPTransport  # the SDK's HTTP client sends every request through it


def is_streamed(request) -> bool:
    return request.url.path.endswith(":streamGenerateContent")


def model_of(request) -> str:
    # …/models/<model>:generateContent
    return request.url.path.rsplit("/", 1)[-1].split(":")[0]


def system_of(request) -> str:
    return body_of(request)["systemInstruction"]["parts"][0]["text"]


def turns_of(request) -> list[tuple[str, str]]:
    roles = {"model": "assistant"}
    contents = body_of(request)["contents"]
    return [(roles.get(c["role"], c["role"]), c["parts"][0]["text"]) for c in contents]


def response_with(text: str) -> dict:
    content = {"role": "model", "parts": [{"text": text}]}
    return {"candidates": [{"content": content, "finishReason": "STOP", "index": 0}]}


def answer(text: str) -> httpx2.Response:
    return httpx2.Response(200, json=response_with(text))


def streamed_answer(chunks: list[str]) -> httpx2.Response:
    body = "".join(f"data: {json.dumps(response_with(c))}\n\n" for c in chunks)
    headers = {"content-type": "text/event-stream"}
    return httpx2.Response(200, content=body.encode(), headers=headers)


def refusal() -> httpx2.Response:
    error = {"code": 400, "message": "refused", "status": "INVALID_ARGUMENT"}
    return httpx2.Response(400, json={"error": error})


class FakeApi:
    """The API's end of the wire: records each request and answers `reply`, or fails."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.requests: list = []
        self.fail = False  # answer the next calls with a 400

    def __call__(self, request):
        self.requests.append(request)
        if self.fail:
            return refusal()
        if is_streamed(request):
            words = self.reply.split(" ")
            chunks = [word + " " for word in words[:-1]] + words[-1:]
            return streamed_answer(chunks)
        return answer(self.reply)


@pytest.fixture
def api(monkeypatch):
    """The agent's own model and SDK client, made with the key "test-key", talking to a FakeApi."""
    fake = FakeApi("Hello, Ada.")
    monkeypatch.setattr(TRANSPORT, "handle_request", lambda transport, request: fake(request))
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    monkeypatch.setattr(agent, "model", None)
    agent.conversations.clear()
    return fake


def test_the_model_is_made_once_at_the_first_turn_with_the_model_id(monkeypatch):
    monkeypatch.setattr(agent, "model", None)  # as at import: no client, and no key fetched yet
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    model = agent.shared_model()
    assert model.model_id == agent.MODEL_ID
    assert agent.shared_model() is model


def test_without_a_key_the_first_turn_fails_and_no_model_is_kept(monkeypatch):
    monkeypatch.setattr(agent, "model", None)
    for variable in [*api_key.KEY_VARIABLES, api_key.CREDENTIAL_PROVIDER_VARIABLE]:
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(api_key.MissingApiKeyError):
        agent.shared_model()
    assert agent.model is None


def test_each_turn_sends_the_whole_conversation_with_the_key_model_and_system_prompt(api):
    assert asyncio.run(agent.answer("My name is Ada.", "chat")) == "Hello, Ada."
    api.reply = "You are Ada."
    assert asyncio.run(agent.answer("Who am I?", "chat")) == "You are Ada."
    first, second = api.requests
    assert model_of(second) == agent.MODEL_ID
    assert system_of(second) == agent.SYSTEM_PROMPT
    assert turns_of(first) == [("user", "My name is Ada.")]
    assert turns_of(second) == [
        ("user", "My name is Ada."),
        ("assistant", "Hello, Ada."),
        ("user", "Who am I?"),
    ]
    assert any("test-key" in value for value in second.headers.values())


def test_a_streamed_answer_comes_a_chunk_at_a_time_and_is_remembered_whole(api):
    chunks = list(agent.shared_model().stream([agent.text_message("user", "Hi")]))
    assert chunks == ["Hello, ", "Ada."]
    assert is_streamed(api.requests[-1])
    assert model_of(api.requests[-1]) == agent.MODEL_ID


def test_an_api_error_reaches_the_caller_as_its_type_and_the_turn_is_forgotten(api):
    api.fail = True
    failed = invoke(TestClient(agent.app), {"prompt": "Hello"})
    assert error_of(failed)["error_type"] == API_ERROR
    api.fail = False
    assert asyncio.run(agent.answer("Again", conversation_key())) == "Hello, Ada."
    assert turns_of(api.requests[-1]) == [("user", "Again")]
