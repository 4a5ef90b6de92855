"""Fixtures: the real agent app with its Agent Framework chat client replaced by a fake, so tests
need no AWS."""

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Sequence

# Point boto3 at a closed local port before the agent is imported: a call that slipped past the
# fake model fails at once instead of reaching AWS.
os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:9"

import pytest  # noqa: E402
from agent_framework import (  # noqa: E402
    BaseChatClient,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    FunctionInvocationLayer,
    InMemoryHistoryProvider,
    Message,
)
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


class FakeModel(FunctionInvocationLayer, BaseChatClient):
    """Stands in for `agent.model`: a chat client that answers `reply`, streamed a word at a time.

    FunctionInvocationLayer runs the tools a response asks for, as in the real clients. With
    `use_tool` set to a tool's name, the model first asks for that tool and answers once it has
    the result, as a real model would; `tool_results` collects what the tools returned.
    """

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply
        self.calls: list[list[str]] = []  # the user turns the model saw, one list per call
        self.error: Exception | None = None  # set to make the next calls fail
        self.on_call: Callable[[list[str]], None] | None = None  # may block, or raise
        self.use_tool: str | None = None
        self.tool_names: list[list[str]] = []  # the tools offered, one list per call
        self.tool_results: list[str] = []

    async def called(self, messages: Sequence[Message], options: dict) -> bool:
        """Records the call; whether it brings a tool's result (then the model answers)."""
        await asyncio.sleep(0)  # let other requests run meanwhile, as a call over the network does
        self.calls.append([message.text for message in messages if message.role == "user"])
        self.tool_names.append([tool.name for tool in options.get("tools") or []])
        if self.on_call:  # in a thread: a call held there must not stop the event loop
            await asyncio.to_thread(self.on_call, self.calls[-1])
        if self.error:
            raise self.error
        contents = messages[-1].contents
        results = [str(c.result) for c in contents if c.type == "function_result"]
        self.tool_results += results
        return bool(results)

    def tool_call(self) -> Content:
        return Content.from_function_call("call-1", self.use_tool, arguments={})

    def _inner_get_response(self, *, messages, stream, options, **kwargs):
        if stream:
            return self._build_response_stream(self.stream(messages, options))
        return self.respond(messages, options)

    async def respond(self, messages: Sequence[Message], options: dict) -> ChatResponse:
        if not await self.called(messages, options) and self.use_tool:
            return ChatResponse(messages=[Message("assistant", [self.tool_call()])])
        return ChatResponse(messages=[Message("assistant", [self.reply])])

    async def stream(
        self, messages: Sequence[Message], options: dict
    ) -> AsyncIterator[ChatResponseUpdate]:
        if not await self.called(messages, options) and self.use_tool:
            yield ChatResponseUpdate(role="assistant", contents=[self.tool_call()])
            return
        words = self.reply.split(" ")
        for index, word in enumerate(words):
            await asyncio.sleep(0)  # let other requests run between chunks, as a real stream does
            text = word if index == len(words) - 1 else word + " "
            yield ChatResponseUpdate(role="assistant", contents=[Content.from_text(text)])


@pytest.fixture
def fake_model(monkeypatch):
    fake = FakeModel(REPLY)
    monkeypatch.setattr(agent, "model", fake)
    agent.shared_agent.cache_clear()  # the next turn makes an Agent on the fake
    agent.conversations.clear()
    yield fake
    agent.shared_agent.cache_clear()


@pytest.fixture
def client(fake_model):
    return TestClient(agent.app)


@pytest.fixture
def stored_turns():
    """The conversation the agent keeps under a key, as (role, text) pairs."""

    def turns(key: str) -> list[tuple[str, str]]:
        session = agent.conversations.get(key)
        if session is None:
            return []
        history = session.state.get(InMemoryHistoryProvider.DEFAULT_SOURCE_ID, {})
        return [
            (message.role, message.text)
            for message in history.get("messages", [])
            # Not the tool calls and their results, which carry no text.
            if message.role in ("user", "assistant") and message.text
        ]

    return turns
