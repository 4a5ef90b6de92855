"""Fixtures: the real agent app with its ADK model replaced by a fake, so tests need no AWS and
no key."""

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
from google.adk.models import BaseLlm, LlmRequest, LlmResponse  # noqa: E402
from google.genai import types  # noqa: E402
from pydantic import Field  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402


def model_says(*parts: types.Part, partial: bool | None = None) -> LlmResponse:
    return LlmResponse(content=types.Content(role="model", parts=list(parts)), partial=partial)


class FakeModel(BaseLlm):
    """Stands in for the agent's model: an ADK model that answers `reply`, streamed a word at a
    time.

    With `use_tool` set to a tool's name, the model first asks for that tool and answers once it
    has the result, as a real model would; `tool_results` collects what the tools returned.
    """

    model: str = "fake-model"
    reply: str = REPLY
    calls: list[list[str]] = Field(default_factory=list)  # the user turns seen, one list per call
    error: Exception | None = None  # set to make the next calls fail
    error_code: str | None = None  # set to make the next calls stop short (e.g. "SAFETY")
    on_call: Callable[[list[str]], None] | None = None  # may block, or raise
    use_tool: str | None = None
    tool_names: list[list[str]] = Field(default_factory=list)  # the tools offered, one per call
    tool_results: list[str] = Field(default_factory=list)

    async def called(self, request: LlmRequest) -> bool:
        """Records the call; whether it brings a tool's result (then the model answers)."""
        turns = [c for c in request.contents if c.role == "user"]
        self.calls.append([p.text for c in turns for p in c.parts or [] if p.text])
        self.tool_names.append(list(request.tools_dict))
        if self.on_call:  # in a thread: a call held there must not stop the event loop
            await asyncio.to_thread(self.on_call, self.calls[-1])
        if self.error:
            raise self.error
        last = request.contents[-1].parts or []
        # ADK hands a tool's plain return value to the model as {"result": value}.
        results = [str(p.function_response.response["result"]) for p in last if p.function_response]
        self.tool_results += results
        return bool(results)

    async def generate_content_async(
        self, llm_request: LlmRequest, stream: bool = False
    ) -> AsyncIterator[LlmResponse]:
        if not await self.called(llm_request) and self.use_tool:
            yield model_says(types.Part.from_function_call(name=self.use_tool, args={}))
            return
        if self.error_code:
            yield LlmResponse(error_code=self.error_code, error_message="stopped by the fake")
            return
        if stream:  # the chunks, then the whole message, as ADK's own models stream
            words = self.reply.split(" ")
            for index, word in enumerate(words):
                await asyncio.sleep(0)  # let other requests run between chunks, as a stream does
                chunk = word if index == len(words) - 1 else word + " "
                yield model_says(types.Part(text=chunk), partial=True)
        yield model_says(types.Part(text=self.reply))


@pytest.fixture
def fake_model(monkeypatch):
    fake = FakeModel()
    # A new runner has a new session service: no conversation survives from an earlier test.
    monkeypatch.setattr(agent, "runner", agent.build_runner(fake))
    agent.conversations.clear()
    return fake


@pytest.fixture
def client(fake_model):
    return TestClient(agent.app)


@pytest.fixture
def stored_turns():
    """The conversation the agent keeps under a key, as (role, text) pairs."""

    def turns(key: str) -> list[tuple[str, str]]:
        ids = {"app_name": agent.APP_NAME, "user_id": agent.USER_ID, "session_id": key}
        session = asyncio.run(agent.runner.session_service.get_session(**ids))
        events = session.events if session else []
        pairs = [("user" if e.author == "user" else "assistant", agent.text_of(e)) for e in events]
        return [(role, text) for role, text in pairs if text]  # tool calls and results have none

    return turns
