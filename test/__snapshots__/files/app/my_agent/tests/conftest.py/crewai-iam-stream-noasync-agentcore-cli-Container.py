"""Fixtures: the real agent app with its CrewAI model replaced by a fake (a BaseLLM), so tests need
no AWS."""

import os
from collections.abc import Callable
from typing import Any

# Point boto3 at a closed local port before the agent is imported: a call that slipped past the
# fake model fails at once instead of reaching AWS.
os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:9"

import pytest  # noqa: E402
from crewai import BaseLLM  # noqa: E402
from crewai.llms.base_llm import llm_call_context  # noqa: E402
from pydantic import Field  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


def as_sent(content: str) -> str:
    """A user message as the caller sent it: CrewAI shows the model the turn's prompt as
    "Current Task: ..."."""
    return content.strip().removeprefix("Current Task:").strip()


class FakeModel(BaseLLM):
    """Stands in for the agent's model: answers `reply`, streamed a word at a time.

    With `use_tool` set to a tool's name, the model first asks for that tool and answers once it
    has the result, as a real model would; `tool_results` collects what the tools returned.
    """

    reply: str = REPLY
    calls: list[list[str]] = Field(default_factory=list)  # the user turns the model saw, per call
    error: Exception | None = None  # set to make the next calls fail
    on_call: Callable[[list[str]], None] | None = None  # may block, or raise
    use_tool: str | None = None
    tool_names: list[list[str]] = Field(default_factory=list)  # the tools offered, per call
    tool_results: list[str] = Field(default_factory=list)

    def supports_function_calling(self) -> bool:
        return True  # so CrewAI offers the tools natively, as it does with the real model classes

    def call(self, messages, tools=None, callbacks=None, available_functions=None, **_: Any):
        self.calls.append([as_sent(m["content"]) for m in messages if m["role"] == "user"])
        self.tool_names.append([tool["function"]["name"] for tool in tools or []])
        if self.on_call:  # CrewAI calls the model in a worker thread: holding it there is fine
            self.on_call(self.calls[-1])
        if self.error:
            raise self.error
        # The conversation keeps no tool messages: these are this turn's.
        results = [str(m["content"]) for m in messages if m["role"] == "tool"]
        self.tool_results += results
        if self.use_tool and not results:
            call = {"id": "call-1", "type": "function", "function": {"name": self.use_tool}}
            call["function"]["arguments"] = "{}"
            if self.stream:  # a streamed tool call is a chunk of its arguments, as from Gemini
                with llm_call_context():
                    self._emit_stream_chunk_event("{}", tool_call={**call, "index": 0})
            return [call]
        if self.stream:
            with llm_call_context():  # as CrewAI's own model classes emit their chunks
                words = self.reply.split(" ")
                for index, word in enumerate(words):
                    self._emit_stream_chunk_event(word if index == len(words) - 1 else word + " ")
        return self.reply


@pytest.fixture
def fake_model(monkeypatch):
    fake = FakeModel(model="fake", stream=True)
    monkeypatch.setattr(agent, "model", fake)
    agent.conversations.clear()
    return fake


@pytest.fixture
def client(fake_model):
    return TestClient(agent.app)


@pytest.fixture
def stored_turns():
    """The conversation the agent keeps under a key, as (role, text) pairs."""

    def turns(key: str) -> list[tuple[str, str]]:
        return [(m["role"], m["content"]) for m in agent.conversations.get(key) or []]

    return turns
