"""Helpers the tests share: calling the agent the way AgentCore does, and reading its answers."""

import json

from starlette.testclient import TestClient

SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"
# Real AgentCore session ids are 33 to 256 characters long.
SESSION = "test-session-0123456789abcdef0123456789"
OTHER_SESSION = "test-session-fedcba9876543210fedcba9876"
# What every fake model in these tests answers.
REPLY = "Hello from the fake model"


def invoke(
    client: TestClient, payload: object, session_id: str = SESSION, headers: dict | None = None
):
    """POST /invocations with a session header."""
    all_headers = {SESSION_HEADER: session_id, **(headers or {})}
    return client.post("/invocations", json=payload, headers=all_headers)


def sse_events(response) -> list:
    """The JSON values of a server-sent event stream (`data: <json>` lines)."""
    assert response.headers["content-type"].startswith("text/event-stream"), response.text
    lines = response.text.splitlines()
    return [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]


def answer_text(response) -> str:
    """The agent's answer, from a JSON response or a stream of text chunks."""
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("text/event-stream"):
        return "".join(sse_events(response))
    return response.json()["result"]
