"""Fixtures: the real agent app and its real Bedrock client, answered here instead of by AWS."""

import json
import os
from collections.abc import Callable

# Before the agent is imported: boto3 points at a closed local port and signs with dummy keys.
# FakeBedrock answers every request before it is sent; one that slipped past it fails at once
# instead of reaching AWS.
os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:9"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"

import pytest  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import agent  # noqa: E402
from tests.support import REPLY  # noqa: E402

ALTERNATING = "A conversation must alternate between user and assistant roles."


class Body:
    """A response body as botocore reads it (from a urllib3 response, when it comes from AWS)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **kwargs):
        yield self.data

    def close(self) -> None:
        pass


class FakeBedrock:
    """Bedrock's end of the wire for the agent's real model and boto3 client.

    botocore builds every request and checks it against Bedrock's service model as it would for
    AWS; just before it is sent, this answers with the bytes Bedrock would send back, and
    botocore parses them for the agent. So the agent's own request building and response parsing
    run for real. Like Bedrock, it refuses a conversation whose roles do not alternate.
    """

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.requests: list[dict] = []  # every request body, as sent
        self.calls: list[list[str]] = []  # the user turns of each request
        self.error: Exception | None = None  # set to make the next calls fail
        self.on_call: Callable[[list[str]], None] | None = None  # may block, or raise

    def __call__(self, request, **kwargs) -> AWSResponse:
        body = json.loads(request.body)
        self.requests.append(body)
        messages = body["messages"]
        self.calls.append(
            [block["text"] for m in messages if m["role"] == "user" for block in m["content"]]
        )
        if self.on_call:
            self.on_call(self.calls[-1])
        if self.error:
            raise self.error
        roles = [message["role"] for message in messages]
        if roles != (["user", "assistant"] * len(roles))[: len(roles)]:
            return self.answer(request, 400, {"message": ALTERNATING}, "ValidationException")
        return self.answer(
            request,
            200,
            {
                "output": {"message": {"role": "assistant", "content": [{"text": self.reply}]}},
                "stopReason": "end_turn",
                "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
                "metrics": {"latencyMs": 1},
            },
        )

    @staticmethod
    def answer(request, status: int, body: dict, error_type: str | None = None) -> AWSResponse:
        headers = {"Content-Type": "application/json"}
        if error_type:
            headers["x-amzn-ErrorType"] = error_type
        return AWSResponse(request.url, status, headers, Body(json.dumps(body).encode()))


@pytest.fixture
def fake_model():
    bedrock = FakeBedrock(REPLY)
    events = agent.model.client.meta.events
    events.register("before-send.bedrock-runtime", bedrock, unique_id="fake-bedrock")
    agent.conversations.clear()
    yield bedrock
    events.unregister("before-send.bedrock-runtime", unique_id="fake-bedrock")


@pytest.fixture
def client(fake_model):
    return TestClient(agent.app)


@pytest.fixture
def stored_turns():
    """The conversation the agent keeps under a key, as (role, text) pairs."""

    def turns(key: str) -> list[tuple[str, str]]:
        messages = agent.conversations.get(key) or []
        return [(m["role"], "".join(block["text"] for block in m["content"])) for m in messages]

    return turns
