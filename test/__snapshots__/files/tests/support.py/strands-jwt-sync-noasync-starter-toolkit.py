"""Helpers the tests share: calling the agent the way AgentCore does, and reading its answers."""

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx2
import uvicorn
from starlette.testclient import TestClient

import conversations
from identity import local_token

SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"
REQUEST_ID_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Request-Id"
# Real AgentCore session ids are 33 to 256 characters long.
SESSION = "test-session-0123456789abcdef0123456789"
OTHER_SESSION = "test-session-fedcba9876543210fedcba9876"
# What every fake model in these tests answers.
REPLY = "Hello from the fake model"
# The longest a test waits for something that should happen at once: only a hung test gets there.
TIMEOUT_SECONDS = 30


def headers_for(session_id: str = SESSION, headers: dict | None = None) -> dict:
    """The headers AgentCore sends with an invocation, with a caller's token unless given."""
    all_headers = {SESSION_HEADER: session_id, **(headers or {})}
    all_headers.setdefault("Authorization", f"Bearer {local_token('test-user')}")
    return all_headers


def conversation_key(session_id: str = SESSION) -> str:
    """The key the agent keeps a session's conversation under."""
    return f"test-user:{session_id}"


def invoke(
    client: TestClient, payload: object, session_id: str = SESSION, headers: dict | None = None
):
    """POST /invocations through the test client, with the headers AgentCore sends."""
    return client.post("/invocations", json=payload, headers=headers_for(session_id, headers))


def sse_events(response) -> list:
    """The JSON values of a server-sent event stream (`data: <json>` lines)."""
    assert response.headers["content-type"].startswith("text/event-stream"), response.text
    lines = response.text.splitlines()
    return [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]


def answer_text(response) -> str:
    """The agent's answer, from a JSON response or a stream of text chunks."""
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("text/event-stream"):
        events = sse_events(response)
        assert all(isinstance(event, str) for event in events), events
        return "".join(events)
    return response.json()["result"]


def error_of(response) -> dict:
    """The error the agent reported: a 500's JSON body, or a stream's last event."""
    if response.headers["content-type"].startswith("text/event-stream"):
        assert response.status_code == 200, response.text
        return sse_events(response)[-1]
    assert response.status_code == 500, response.text
    return response.json()


# --- the agent on a real server ------------------------------------------------------------


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` on a real uvicorn server on a free loopback port; yields its base URL."""
    # Listening before uvicorn starts: a request sent at once waits in the backlog, no polling.
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(TIMEOUT_SECONDS)
        sock.close()


def send(base_url: str, payload: object, session_id: str = SESSION, headers: dict | None = None):
    """POST /invocations over HTTP; the response reads like a test client's."""
    return httpx2.post(
        f"{base_url}/invocations",
        json=payload,
        headers=headers_for(session_id, headers),
        timeout=TIMEOUT_SECONDS,
        trust_env=False,  # loopback: never through a proxy from the environment
    )


class HeldCalls:
    """Holds each model call until the test lets it through, so the test decides how requests
    interleave instead of the scheduler (no sleeps).

    Set as the fake model's `on_call`, it is called with the user turns of every model call; the
    call waits there until `release(prompt)` of its last turn, and then fails if that prompt is
    in `failing`. It also hears the agent log that a turn waits for the one before it.
    """

    def __init__(self, failing: frozenset[str] = frozenset()) -> None:
        self.failing = failing
        self.entered: list[str] = []  # prompts whose model call began, in order
        self.inside: set[str] = set()  # prompts whose model call is held now
        self.overlaps: list[set[str]] = []  # who was held together, each time more than one
        self.waiting = 0  # turns the agent logged as waiting for an earlier one
        self._released: set[str] = set()
        self._changed = threading.Condition()

    def __call__(self, user_turns: list[str]) -> None:
        prompt = user_turns[-1]
        with self._changed:
            self.entered.append(prompt)
            self.inside.add(prompt)
            if len(self.inside) > 1:
                self.overlaps.append(set(self.inside))
            self._changed.notify_all()
            released = self._changed.wait_for(lambda: prompt in self._released, TIMEOUT_SECONDS)
            self.inside.discard(prompt)
        if not released:
            raise TimeoutError(f"the test never released the model call for {prompt!r}")
        if prompt in self.failing:
            raise RuntimeError(f"the model failed on {prompt!r}")

    def release(self, prompt: str) -> None:
        with self._changed:
            self._released.add(prompt)
            self._changed.notify_all()

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        with self._changed:
            assert self._changed.wait_for(condition, TIMEOUT_SECONDS), f"never happened: {what}"

    @contextmanager
    def hearing_waits(self) -> Iterator[None]:
        """While inside, a turn the agent logs as waiting counts in `waiting`."""
        held = self

        class Heard(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if getattr(record, "waits_for_turn", False):
                    with held._changed:
                        held.waiting += 1
                        held._changed.notify_all()

        logger = conversations.logger
        handler, level = Heard(), logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
