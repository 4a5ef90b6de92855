"""Fixtures: the real agent app with its Strands model replaced by a fake, so tests need no AWS."""

import asyncio
import os
from collections.abc import Callable

# Point boto3 at a closed local port before the agent is imported: a call that slipped past the
# fake model fails at once instead of reaching AWS.
os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:9"
# The same for the Google Gemini API and AgentCore Identity.
os.environ["GOOGLE_GEMINI_BASE_URL"] = "http://127.0.0.1:9"
os.environ["AWS_ENDPOINT_URL_BEDROCK_AGENTCORE"] = "http://127.0.0.1:9"

import pytest  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402
from strands.models import Model  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


class FakeModel(Model):
    """Stands in for `agent.model`: answers `reply` in Strands' stream events.

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

    def update_config(self, **model_config) -> None:
        pass

    def get_config(self) -> dict:
        return {"model_id": "fake"}

    async def structured_output(self, output_model, prompt, system_prompt=None, **kwargs):
        raise NotImplementedError("the fake model has no structured output")
        yield  # an async generator, like the real method

    async def stream(self, messages, tool_specs=None, system_prompt=None, **kwargs):
        user_blocks = [block for m in messages if m["role"] == "user" for block in m["content"]]
        self.calls.append([block["text"] for block in user_blocks if "text" in block])
        self.tool_names.append([spec["name"] for spec in tool_specs or []])
        if self.on_call:  # in a thread: a call held there must not stop the event loop
            await asyncio.to_thread(self.on_call, self.calls[-1])
        if self.error:
            raise self.error
        yield {"messageStart": {"role": "assistant"}}
        last = messages[-1]["content"]
        if self.use_tool and not any("toolResult" in block for block in last):
            # Ask for the tool (with a word before it, as real models often write).
            yield {"contentBlockDelta": {"delta": {"text": "Checking."}}}
            yield {"contentBlockStop": {}}
            start = {"toolUse": {"toolUseId": "tool-1", "name": self.use_tool}}
            yield {"contentBlockStart": {"start": start}}
            yield {"contentBlockDelta": {"delta": {"toolUse": {"input": "{}"}}}}
            yield {"contentBlockStop": {}}
            yield {"messageStop": {"stopReason": "tool_use"}}
            return
        for block in last:
            for part in block.get("toolResult", {}).get("content", []):
                self.tool_results.append(part.get("text", ""))
        words = self.reply.split(" ")
        for index, word in enumerate(words):
            await asyncio.sleep(0)  # let other requests run between chunks, as a real stream does
            text = word if index == len(words) - 1 else word + " "
            yield {"contentBlockDelta": {"delta": {"text": text}}}
        yield {"contentBlockStop": {}}
        yield {"messageStop": {"stopReason": "end_turn"}}


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

    def turns(key: str) -> list[tuple[str, str]]:
        chat = agent.conversations.get(key)
        messages = chat.messages if chat else []
        return [(m["role"], "".join(b.get("text", "") for b in m["content"])) for m in messages]

    return turns
