"""Fixtures: the real agent app with its model replaced by a fake, so tests need no AWS."""

import os

# Point boto3 at a closed local port before the agent is imported: a call that slipped past the
# fake model fails at once instead of reaching AWS.
os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:9"

import pytest  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


class FakeModel:
    """Stands in for `agent.ConverseModel`: answers `reply` and records what it was sent."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls: list[list[str]] = []  # the user turns the model saw, one list per call
        self.error: Exception | None = None  # set to make the next calls fail

    def _record(self, messages: list[dict]) -> None:
        self.calls.append([m["content"][0]["text"] for m in messages if m["role"] == "user"])
        if self.error:
            raise self.error

    def complete(self, messages: list[dict]) -> str:
        self._record(messages)
        return self.reply

    def stream(self, messages: list[dict]):
        self._record(messages)
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
