"""Fixtures: the real agent app with its model replaced by a fake, so tests need no AWS."""

import os

# Point boto3 at a closed local port before the agent is imported: a call that slipped past the
# fake model fails at once instead of reaching AWS.
os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:9"

import itertools  # noqa: E402
import json  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402

import pytest  # noqa: E402
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel  # noqa: E402
from langchain_core.messages import AIMessage, AIMessageChunk  # noqa: E402
from langchain_core.outputs import ChatGenerationChunk  # noqa: E402
from pydantic import Field  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


class FakeChatModel(GenericFakeChatModel):
    """Stands in for the agent's model: answers with the next of `messages` (REPLY unless a test
    sets them), records the user turns it was sent, and streams the way model APIs do."""

    messages: Iterator[AIMessage | str] = Field(default_factory=lambda: itertools.repeat(REPLY))
    calls: list[list[str]] = Field(default_factory=list)  # the user turns seen, one list per call
    error: Exception | None = None  # set to make the next calls fail
    on_call: Callable[[list[str]], None] | None = None  # may block, or raise
    bound_tools: list = Field(default_factory=list)  # what the agent offered the model

    def bind_tools(self, tools, **kwargs):
        # The fake does not choose tools itself: a test scripts tool calls through `messages`.
        self.bound_tools = list(tools)
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.calls.append([m.text for m in messages if m.type == "human"])
        if self.on_call:
            self.on_call(self.calls[-1])
        if self.error:
            raise self.error
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        # Like a model API: the text a few words at a time, then tool calls in chunks of no text.
        # (GenericFakeChatModel's own streaming drops tool calls.)
        message = self._generate(messages).generations[0].message
        words = message.text.split(" ")
        for index, word in enumerate(words):
            text = word if index == len(words) - 1 else word + " "
            yield ChatGenerationChunk(message=AIMessageChunk(content=text))
        for index, call in enumerate(message.tool_calls):
            args = json.dumps(call["args"])
            piece = {"name": call["name"], "args": args, "id": call["id"], "index": index}
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[piece]))


@pytest.fixture
def fake_model(monkeypatch):
    model = FakeChatModel()
    # A new graph has a new checkpointer: no conversation survives from an earlier test.
    monkeypatch.setattr(agent, "graph", agent.build_graph(model))
    agent.conversations.clear()
    return model


@pytest.fixture
def client(fake_model):
    return TestClient(agent.app)


@pytest.fixture
def stored_turns():
    """The conversation the agent keeps under a key, as (role, text) pairs."""
    roles = {"human": "user", "ai": "assistant"}

    def turns(key: str) -> list[tuple[str, str]]:
        state = agent.graph.get_state({"configurable": {"thread_id": key}})
        return [(roles[m.type], m.text) for m in state.values.get("messages", [])]

    return turns
