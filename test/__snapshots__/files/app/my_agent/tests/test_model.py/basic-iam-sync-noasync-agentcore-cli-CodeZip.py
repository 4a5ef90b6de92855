"""The plain agent's model: Bedrock's Converse API through the real boto3 client.

botocore's Stubber stands in for Bedrock here: botocore still builds and validates each request
against Bedrock's service model, the Stubber checks it is exactly the one expected, and the
answers it returns are checked against the same model before the agent reads them.
"""

import asyncio

import pytest
from botocore.stub import Stubber
from starlette.testclient import TestClient

import agent
from tests.support import conversation_key, error_of, invoke

SYSTEM = [{"text": agent.SYSTEM_PROMPT}]


def converse_answer(*texts: str) -> dict:
    """A Converse response whose message holds these text blocks."""
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": t} for t in texts]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
        "metrics": {"latencyMs": 120},
    }


def message(role: str, text: str) -> dict:
    return {"role": role, "content": [{"text": text}]}


@pytest.fixture
def bedrock():
    agent.conversations.clear()
    with Stubber(agent.model.client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_the_model_is_bedrock_runtime_with_the_chosen_model_and_region():
    assert agent.model.model_id == agent.MODEL_ID
    assert agent.model.client.meta.service_model.service_name == "bedrock-runtime"
    assert agent.model.client.meta.region_name == agent.AWS_REGION


def test_each_turn_sends_the_whole_conversation_and_reads_every_text_block(bedrock):
    first = [message("user", "My name is Ada.")]
    bedrock.add_response(
        "converse",
        converse_answer("Hello, ", "Ada."),
        {"modelId": agent.MODEL_ID, "messages": first, "system": SYSTEM},
    )
    second = [*first, message("assistant", "Hello, Ada."), message("user", "Who am I?")]
    bedrock.add_response(
        "converse",
        converse_answer("You are Ada."),
        {"modelId": agent.MODEL_ID, "messages": second, "system": SYSTEM},
    )
    assert asyncio.run(agent.answer("My name is Ada.", "chat")) == "Hello, Ada."
    assert asyncio.run(agent.answer("Who am I?", "chat")) == "You are Ada."


def test_a_bedrock_error_reaches_the_caller_as_its_code_and_the_turn_is_forgotten(bedrock):
    operation = "converse"
    bedrock.add_client_error(
        operation,
        service_error_code="ThrottlingException",
        service_message="Too many requests for arn:aws:bedrock:us-west-2:123456789012:x",
        http_status_code=429,
    )
    failed = invoke(TestClient(agent.app), {"prompt": "Hello"})
    assert error_of(failed)["error_type"] == "ThrottlingException"
    assert "123456789012" not in failed.text

    # The next turn starts afresh: the failed prompt is not part of the conversation.
    bedrock.add_response(
        "converse",
        converse_answer("Hi."),
        {"modelId": agent.MODEL_ID, "messages": [message("user", "Again")], "system": SYSTEM},
    )
    assert asyncio.run(agent.answer("Again", conversation_key())) == "Hi."
