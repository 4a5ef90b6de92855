"""Fixtures: the real agent app with its model replaced by a fake implementation of the SDK's
`Model` interface, so tests need no AWS or key."""

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
from agents import ModelResponse, Usage  # noqa: E402
from agents.models.interface import Model  # noqa: E402
from agents.testing import assistant_message, function_call  # noqa: E402
from openai.types.responses import (  # noqa: E402
    Response,
    ResponseCompletedEvent,
    ResponseTextDeltaEvent,
)
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


def text_of(item: dict) -> str:
    """The text of a user or assistant item in the SDK's input format (the Responses API's)."""
    content = item["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content)


class FakeModel(Model):
    """Stands in for the agent's model: answers `reply`, streamed a word at a time.

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
        # While set to an Event not yet set, the stream stops after its first word until it is.
        self.hold_stream: asyncio.Event | None = None

    async def respond(self, input: str | list, tools: list) -> list:
        """Records the call; the output items of the answer (a tool call, or the reply)."""
        items = [{"role": "user", "content": input}] if isinstance(input, str) else input
        self.calls.append([text_of(item) for item in items if item.get("role") == "user"])
        self.tool_names.append([tool.name for tool in tools])
        if self.on_call:  # in a thread: a call held there must not stop the event loop
            await asyncio.to_thread(self.on_call, self.calls[-1])
        if self.error:
            raise self.error
        if items[-1].get("type") == "function_call_output":  # the tool's result: now answer
            self.tool_results.append(str(items[-1]["output"]))
        elif self.use_tool:
            return [function_call(self.use_tool, {}, call_id=f"call-{len(self.calls)}")]
        return [assistant_message(self.reply, item_id=f"message-{len(self.calls)}")]

    async def get_response(self, system_instructions, input, model_settings, tools, *_, **__):
        output = await self.respond(input, tools)
        return ModelResponse(output=output, usage=Usage(requests=1), response_id=None)

    async def stream_response(
        self, system_instructions, input, model_settings, tools, *_, **__
    ) -> AsyncIterator:
        output = await self.respond(input, tools)
        words = self.reply.split(" ") if output[0].type == "message" else []
        for index, word in enumerate(words):
            await asyncio.sleep(0)  # let other requests run between chunks, as a real stream does
            if index and self.hold_stream:
                await self.hold_stream.wait()
            yield ResponseTextDeltaEvent(
                type="response.output_text.delta",
                item_id=output[0].id,
                output_index=0,
                content_index=0,
                delta=word if index == len(words) - 1 else word + " ",
                logprobs=[],
                sequence_number=index,
            )
        # The stream ends with the whole response, as the Responses API's does.
        response = Response(
            id=f"response-{len(self.calls)}",
            created_at=0,
            model="fake",
            object="response",
            output=output,
            parallel_tool_calls=False,
            tool_choice="auto",
            tools=[],
        )
        yield ResponseCompletedEvent(
            type="response.completed", response=response, sequence_number=len(words)
        )


@pytest.fixture
def fake_model(monkeypatch):
    fake = FakeModel(REPLY)
    monkeypatch.setattr(agent, "model", fake)
    agent.conversations.clear()
    yield fake
    for session in agent.sessions.values():
        session.close()
    agent.sessions.clear()


@pytest.fixture
def client(fake_model):
    return TestClient(agent.app)


@pytest.fixture
def stored_turns():
    """The conversation the agent keeps under a key, as (role, text) pairs."""

    def turns(key: str) -> list[tuple[str, str]]:
        session = agent.sessions.get(key)
        items = asyncio.run(session.get_items()) if session else []
        return [
            (item["role"], text_of(item))
            for item in items
            if item.get("role") in ("user", "assistant")
        ]

    return turns
