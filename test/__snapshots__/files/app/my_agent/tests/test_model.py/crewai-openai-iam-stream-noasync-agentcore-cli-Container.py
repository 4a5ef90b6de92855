"""What the CrewAI agent adds to the shared contract: its model, its tool, its conversations."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from crewai.llms.providers.openai.completion import OpenAICompletion

import agent
import api_key
from tests.support import REPLY, answer_text, error_of, invoke, sse_events


def test_the_model_is_made_once_at_the_first_turn_with_the_model_id(monkeypatch):
    monkeypatch.setattr(agent, "model", None)  # as at import: no client, and no key fetched yet
    monkeypatch.setenv("AGENTCORE_CREDENTIAL_OPENAI_API_KEY", "test-key")
    model = agent.shared_model()
    assert isinstance(model, OpenAICompletion)
    assert model.model == agent.MODEL_ID
    assert model.api_key == "test-key"
    assert model.stream is True
    assert agent.shared_model() is model


def test_without_a_key_the_first_turn_fails_and_no_model_is_kept(monkeypatch):
    monkeypatch.setattr(agent, "model", None)
    for variable in [*api_key.KEY_VARIABLES, api_key.CREDENTIAL_PROVIDER_VARIABLE]:
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(api_key.MissingApiKeyError):
        agent.shared_model()
    assert agent.model is None


def test_current_time_is_now_in_utc():
    now = datetime.fromisoformat(agent.current_time())
    assert now.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - now) < timedelta(seconds=5)


def test_the_model_is_offered_the_tool(client, fake_model):
    answer_text(invoke(client, {"prompt": "Say hello"}))
    assert fake_model.tool_names == [["current_time"]]


def test_the_agent_runs_the_tool_the_model_asks_for(client, fake_model):
    fake_model.use_tool = "current_time"
    assert answer_text(invoke(client, {"prompt": "What time is it?"})) == REPLY
    assert fake_model.calls == [["What time is it?"], ["What time is it?"]]
    assert len(fake_model.tool_results) == 1
    assert datetime.fromisoformat(fake_model.tool_results[0]).utcoffset() == timedelta(0)


def test_a_failed_turn_is_not_remembered(client, fake_model):
    fake_model.error = RuntimeError("model unavailable")
    failed = invoke(client, {"prompt": "This one fails"})
    assert error_of(failed)["error_type"] == "RuntimeError"
    fake_model.error = None
    assert answer_text(invoke(client, {"prompt": "Try again"})) == REPLY
    assert fake_model.calls[-1] == ["Try again"]


def test_requests_in_one_session_take_turns(fake_model):
    # Two runs from the same history would each drop the other's turn; the lock makes them wait.
    async def both():
        return await asyncio.gather(agent.answer("First", "chat"), agent.answer("Second", "chat"))

    assert asyncio.run(both()) == [REPLY, REPLY]
    assert fake_model.calls == [["First"], ["First", "Second"]]


def test_conversations_beyond_the_limit_forget_the_oldest(fake_model, monkeypatch):
    monkeypatch.setattr(agent.conversations, "limit", 2)
    for key in ("a", "b", "c"):
        asyncio.run(agent.answer(f"I am {key}", key))
    assert list(agent.conversations) == ["b", "c"]


def test_a_stream_left_early_is_forgotten_and_frees_the_session(fake_model):
    async def leave_then_ask_again():
        stream = agent.stream_answer("Abandoned", "chat")
        first_chunk = await anext(stream)
        await stream.aclose()
        return first_chunk, await agent.answer("Again", "chat")

    first_chunk, reply = asyncio.run(leave_then_ask_again())
    assert REPLY.startswith(first_chunk)
    assert reply == REPLY
    assert fake_model.calls[-1] == ["Again"]


def test_a_stream_comes_a_word_at_a_time(client, fake_model):
    chunks = sse_events(invoke(client, {"prompt": "Say hello"}))
    assert len(chunks) == len(REPLY.split(" "))
    assert "".join(chunks) == REPLY


def test_a_streamed_tool_call_adds_no_text(client, fake_model):
    # The model's tool call comes as a chunk of its arguments: only text reaches the caller.
    fake_model.use_tool = "current_time"
    chunks = sse_events(invoke(client, {"prompt": "What time is it?"}))
    assert "".join(chunks) == REPLY
    assert len(fake_model.tool_results) == 1
