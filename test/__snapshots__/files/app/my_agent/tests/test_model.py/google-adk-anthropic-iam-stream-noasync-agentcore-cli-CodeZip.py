"""What the ADK agent adds to the shared contract: its model, its tool, its sessions."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

import agent
import api_key
from tests.support import REPLY, answer_text, conversation_key, error_of, invoke, sse_events


def test_the_runner_is_made_once_at_the_first_turn_on_the_anthropic_api_with_the_key(monkeypatch):
    monkeypatch.setattr(agent, "runner", None)  # as at import: no client, and no key fetched yet
    monkeypatch.setenv("AGENTCORE_CREDENTIAL_ANTHROPIC_API_KEY", "test-key")
    runner = agent.shared_runner()
    model = runner.agent.model
    assert isinstance(model, agent.AnthropicLlm)
    assert model.model == agent.MODEL_ID
    assert isinstance(model.client, agent.AsyncAnthropic)  # not Vertex AI's client
    assert model.client.api_key == "test-key"
    assert agent.shared_runner() is runner


def test_without_a_key_the_first_turn_fails_and_no_runner_is_kept(monkeypatch):
    monkeypatch.setattr(agent, "runner", None)
    for variable in [*api_key.KEY_VARIABLES, api_key.CREDENTIAL_PROVIDER_VARIABLE]:
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(api_key.MissingApiKeyError):
        agent.shared_runner()
    assert agent.runner is None


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


def test_a_failed_turn_is_not_remembered(client, fake_model, stored_turns):
    answer_text(invoke(client, {"prompt": "Hello"}))
    fake_model.error = RuntimeError("model unavailable")
    failed = invoke(client, {"prompt": "This one fails"})
    assert error_of(failed)["error_type"] == "RuntimeError"
    # ADK had stored the prompt before the model failed: the session is back as it was.
    assert stored_turns(conversation_key()) == [("user", "Hello"), ("assistant", REPLY)]
    fake_model.error = None
    assert answer_text(invoke(client, {"prompt": "Try again"})) == REPLY
    assert fake_model.calls[-1] == ["Hello", "Try again"]


def test_a_failed_first_turn_leaves_no_session(fake_model, stored_turns):
    fake_model.error = RuntimeError("model unavailable")
    with pytest.raises(RuntimeError):
        asyncio.run(agent.answer("This one fails", "chat"))
    assert stored_turns("chat") == []


def test_an_answer_the_model_stopped_short_fails_the_turn(client, fake_model, stored_turns):
    fake_model.error_code = "SAFETY"  # e.g. Gemini blocked it: no text to answer with
    assert error_of(invoke(client, {"prompt": "Hello"}))["error_type"] == "ModelStoppedError"
    assert stored_turns(conversation_key()) == []


def test_requests_in_one_session_take_turns(fake_model, stored_turns):
    # Two runs in one session at once would each start before the other's answer; the lock makes
    # the second wait. (The model call runs in a thread, where the other request could get in.)
    fake_model.on_call = lambda user_turns: None

    async def both():
        return await asyncio.gather(agent.answer("First", "chat"), agent.answer("Second", "chat"))

    assert asyncio.run(both()) == [REPLY, REPLY]
    assert stored_turns("chat") == [
        ("user", "First"),
        ("assistant", REPLY),
        ("user", "Second"),
        ("assistant", REPLY),
    ]


def test_conversations_beyond_the_limit_forget_the_oldest_and_its_session(fake_model, monkeypatch):
    monkeypatch.setattr(agent.conversations, "limit", 2)
    for key in ("a", "b", "c"):
        asyncio.run(agent.answer(f"I am {key}", key))
    assert list(agent.conversations) == ["b", "c"]
    listed = agent.runner.session_service.list_sessions(app_name=agent.APP_NAME)
    assert sorted(session.id for session in asyncio.run(listed).sessions) == ["b", "c"]


def test_a_stream_left_early_is_forgotten_and_frees_the_session(fake_model, stored_turns):
    async def leave_then_ask_again():
        stream = agent.stream_answer("Abandoned", "chat")
        first_chunk = await anext(stream)
        await stream.aclose()
        return first_chunk, await agent.answer("Again", "chat")

    first_chunk, reply = asyncio.run(leave_then_ask_again())
    assert REPLY.startswith(first_chunk)
    assert reply == REPLY
    assert fake_model.calls[-1] == ["Again"]
    assert stored_turns("chat") == [("user", "Again"), ("assistant", REPLY)]


def test_a_stream_comes_a_word_at_a_time(client, fake_model):
    # The chunks only: ADK's last event repeats the whole text, which must not come again.
    chunks = sse_events(invoke(client, {"prompt": "Say hello"}))
    assert chunks == [word + " " for word in REPLY.split(" ")[:-1]] + [REPLY.split(" ")[-1]]
