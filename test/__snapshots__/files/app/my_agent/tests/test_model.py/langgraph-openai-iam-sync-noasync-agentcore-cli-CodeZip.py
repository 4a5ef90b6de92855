"""What is particular to the LangGraph agent: its model, its tool, its memory."""

from datetime import datetime

import pytest
from langchain_openai import ChatOpenAI
from langchain_core.messages import AIMessage, ToolMessage

import agent
import api_key
from tests.support import REPLY, answer_text, invoke

# A model turn that calls the agent's tool before it answers.
TOOL_CALL = AIMessage(
    content="Let me check the time. ",
    tool_calls=[{"name": "current_time", "args": {}, "id": "call-1"}],
)


def conversation_messages() -> list:
    """The messages of the conversation the test used last (its key depends on the auth mode)."""
    thread = list(agent.conversations)[-1]
    state = agent.graph.get_state({"configurable": {"thread_id": thread}})
    return state.values.get("messages", [])


def test_the_graph_is_made_once_at_the_first_turn_on_the_model_with_the_key(monkeypatch):
    monkeypatch.setattr(agent, "graph", None)  # as at import: no client, and no key fetched yet
    monkeypatch.setenv("AGENTCORE_CREDENTIAL_OPENAI_API_KEY", "test-key")
    model = agent.new_model()
    assert isinstance(model, ChatOpenAI)
    assert model.model_name == agent.MODEL_ID
    assert model.openai_api_key.get_secret_value() == "test-key"
    graph = agent.shared_graph()
    assert agent.shared_graph() is graph


def test_without_a_key_the_first_turn_fails_and_no_graph_is_kept(monkeypatch):
    monkeypatch.setattr(agent, "graph", None)
    for variable in [*api_key.KEY_VARIABLES, api_key.CREDENTIAL_PROVIDER_VARIABLE]:
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(api_key.MissingApiKeyError):
        agent.shared_graph()
    assert agent.graph is None


def test_the_model_is_offered_the_tool(client, fake_model):
    answer_text(invoke(client, {"prompt": "What time is it?"}))
    assert [tool.name for tool in fake_model.bound_tools] == ["current_time"]


def test_a_tool_the_model_calls_is_run_and_its_result_sent_back(client, fake_model):
    fake_model.messages = iter([TOOL_CALL, REPLY])
    assert answer_text(invoke(client, {"prompt": "What time is it?"})).endswith(REPLY)
    assert len(fake_model.calls) == 2  # the tool call, then the answer
    result = next(m for m in conversation_messages() if isinstance(m, ToolMessage))
    datetime.strptime(result.content, "%Y-%m-%dT%H:%M:%SZ")  # the time, in ISO 8601 UTC


def test_a_failed_turn_is_not_part_of_the_conversation(client, fake_model):
    answer_text(invoke(client, {"prompt": "My name is Ada."}))
    fake_model.error = RuntimeError("the model is down")
    failed = invoke(client, {"prompt": "Forget that."})
    assert failed.status_code == 500 or "error" in failed.text
    fake_model.error = None
    answer_text(invoke(client, {"prompt": "What is my name?"}))
    assert fake_model.calls[-1] == ["My name is Ada.", "What is my name?"]
