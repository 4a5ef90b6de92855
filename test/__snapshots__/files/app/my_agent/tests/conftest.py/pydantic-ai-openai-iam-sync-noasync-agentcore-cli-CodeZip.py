"""Fixtures: the real agent app with its PydanticAI model replaced by a FunctionModel fake, so
tests need no AWS or key."""

import asyncio
import os
from collections.abc import AsyncIterator, Callable

# Point boto3 at a closed local port before the agent is imported: a call that slipped past the
# fake model fails at once instead of reaching AWS.
os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:9"
# The same for the OpenAI API and AgentCore Identity.
os.environ["OPENAI_BASE_URL"] = "http://127.0.0.1:9"
os.environ["AWS_ENDPOINT_URL_BEDROCK_AGENTCORE"] = "http://127.0.0.1:9"

import pytest  # noqa: E402
from pydantic_ai.messages import (  # noqa: E402
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


class FakeModel:
    """Stands in for the agent's model: `model` is a PydanticAI FunctionModel that answers
    `reply`, streamed a word at a time.

    With `use_tool` set to a tool's name, the model first asks for that tool and answers once it
    has the result, as a real model would; `tool_results` collects what the tools returned.
    """

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls: list[list[str]] = []  # the user turns the model saw, one list per call
        self.error: Exception | None = None  # set to make the next calls fail
        self.on_call: Callable[[list[str]], None] | None = None  # may block, or raise
        self.use_tool: str | None = None
        self.tool_names: list[list[str]] = []  # the tools offered, one list per call
        self.tool_results: list[str] = []
        self.model = FunctionModel(self.respond, stream_function=self.stream)

    async def called(self, messages: list[ModelMessage], info: AgentInfo) -> bool:
        """Records the call; whether it brings a tool's result (then the model answers)."""
        parts = [part for message in messages for part in message.parts]
        self.calls.append([p.content for p in parts if isinstance(p, UserPromptPart)])
        self.tool_names.append([tool.name for tool in info.function_tools])
        if self.on_call:  # in a thread: a call held there must not stop the event loop
            await asyncio.to_thread(self.on_call, self.calls[-1])
        if self.error:
            raise self.error
        results = [str(p.content) for p in messages[-1].parts if isinstance(p, ToolReturnPart)]
        self.tool_results += results
        return bool(results)

    async def respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if not await self.called(messages, info) and self.use_tool:
            return ModelResponse(parts=[ToolCallPart(self.use_tool, {})])
        return ModelResponse(parts=[TextPart(self.reply)])

    async def stream(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[str | dict[int, DeltaToolCall]]:
        if not await self.called(messages, info) and self.use_tool:
            yield {0: DeltaToolCall(name=self.use_tool, json_args="{}")}
            return
        words = self.reply.split(" ")
        for index, word in enumerate(words):
            await asyncio.sleep(0)  # let other requests run between chunks, as a real stream does
            yield word if index == len(words) - 1 else word + " "


@pytest.fixture
def fake_model(monkeypatch):
    fake = FakeModel(REPLY)
    monkeypatch.setattr(agent, "model", fake.model)
    agent.conversations.clear()
    return fake


@pytest.fixture
def client(fake_model):
    return TestClient(agent.app)


@pytest.fixture
def stored_turns():
    """The conversation the agent keeps under a key, as (role, text) pairs."""

    def turns(key: str) -> list[tuple[str, str]]:
        pairs = []
        for message in agent.conversations.get(key) or []:
            for part in message.parts:
                if isinstance(message, ModelRequest) and isinstance(part, UserPromptPart):
                    pairs.append(("user", part.content))
                elif isinstance(message, ModelResponse) and isinstance(part, TextPart):
                    pairs.append(("assistant", part.content))
        return pairs

    return turns
