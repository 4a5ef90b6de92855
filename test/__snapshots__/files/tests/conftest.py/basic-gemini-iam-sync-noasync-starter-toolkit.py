"""Fixtures: the real agent app with its Google Gemini model replaced by a fake, so tests
need no key. tests/test_model.py runs the real model class against the real SDK."""

import os
from collections.abc import Callable, Iterator

# Point boto3 at a closed local port before the agent is imported: a call that slipped past the
# fake model fails at once instead of reaching AWS.
os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:9"
# The same for the Google Gemini API and AgentCore Identity.
os.environ["GOOGLE_GEMINI_BASE_URL"] = "http://127.0.0.1:9"
os.environ["AWS_ENDPOINT_URL_BEDROCK_AGENTCORE"] = "http://127.0.0.1:9"

import pytest  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


def text_of(message: dict) -> str:
    """The text of a message as the agent keeps it (Google Gemini's format)."""
    return message["parts"][0]["text"]


class FakeModel:
    """Stands in for `agent.model`: answers `reply`, and records the user turns of each call."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls: list[list[str]] = []  # the user turns of each call
        self.error: Exception | None = None  # set to make the next calls fail
        self.on_call: Callable[[list[str]], None] | None = None  # may block, or raise

    def called(self, messages: list[dict]) -> None:
        self.calls.append([text_of(m) for m in messages if m["role"] == "user"])
        if self.on_call:
            self.on_call(self.calls[-1])
        if self.error:
            raise self.error

    def complete(self, messages: list[dict]) -> str:
        self.called(messages)
        return self.reply

    def stream(self, messages: list[dict]) -> Iterator[str]:
        self.called(messages)
        words = self.reply.split(" ")
        for index, word in enumerate(words):
            yield word if index == len(words) - 1 else word + " "


@pytest.fixture
def fake_model(monkeypatch):
    model = FakeModel(REPLY)
    monkeypatch.setattr(agent, "model", model)
    agent.conversations.clear()
    return model


@pytest.fixture
def client(fake_model):
    return TestClient(agent.app)


@pytest.fixture
def stored_turns():
    """The conversation the agent keeps under a key, as (role, text) pairs."""
    roles = {"model": "assistant"}  # the API's role names that are not the caller's

    def turns(key: str) -> list[tuple[str, str]]:
        messages = agent.conversations.get(key) or []
        return [(roles.get(m["role"], m["role"]), text_of(m)) for m in messages]

    return turns
