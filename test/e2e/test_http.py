"""Generated agents served for real: `python agent.py` on 127.0.0.1:8080, talking to the
loopback Bedrock stand-in (test/support/fake_bedrock.py) through boto3's endpoint override.

One server at a time (they all listen on 8080); every process is stopped by its process group,
also when a test fails.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from e2e_helpers import REPLY, WORK, agent_dir, agent_env, log_tail, port_in_use, start, stop, wait_for

pytestmark = pytest.mark.http

AGENT_URL = "http://127.0.0.1:8080"
SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"
SESSION = "e2e-session-0123456789abcdef0123456789abcdef"  # real ones are 33-256 characters
USER = "e2e-user"


def request(method: str, url: str, body: dict | None = None, headers: dict | None = None, timeout=60):
    """(status, content type, body text); HTTP errors are answers too."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def local_token(subject: str) -> str:
    """An unsigned JWT, made the way the generated identity.local_token makes it."""

    def encode(part: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    return f"{encode({'alg': 'none', 'typ': 'JWT'})}.{encode({'sub': subject})}."


def answer_of(status: int, content_type: str, text: str, streaming: bool) -> str:
    assert status == 200, f"{status}: {text[:500]}"
    if not streaming:
        assert content_type.startswith("application/json"), content_type
        return json.loads(text)["result"]
    assert content_type.startswith("text/event-stream"), f"{content_type}: {text[:300]}"
    events = [json.loads(line[len("data: ") :]) for line in text.splitlines() if line.startswith("data: ")]
    errors = [e for e in events if isinstance(e, dict)]
    assert not errors, f"the stream carried non-text events: {errors[:3]}"
    assert len(events) >= 1
    return "".join(events)


def user_texts(model_request: dict) -> list[str]:
    """The text of every user turn the agent sent to Bedrock in one Converse request."""
    return [
        block["text"]
        for message in model_request["body"].get("messages", [])
        if message.get("role") == "user"
        for block in message.get("content", [])
        if "text" in block
    ]


def test_http(http_project, fake_bedrock):
    if not http_project["venv"]:
        pytest.skip("no venv for this framework (its requirements did not install: reported above)")
    project_dir = agent_dir(http_project)
    python = Path(http_project["venv"]) / "bin" / "python"
    streaming, jwt = http_project["streaming"], http_project["auth"] == "jwt"
    if port_in_use(8080):  # only outside a private network namespace: wait for it a while
        wait_for(lambda: not port_in_use(8080), 30, "127.0.0.1:8080 is taken by another process")
    env = agent_env(http_project, AWS_ENDPOINT_URL_BEDROCK_RUNTIME=fake_bedrock)
    log = WORK / "logs" / f"{http_project['id']}.agent-server.log"
    agent = start([python, "agent.py"], cwd=project_dir, env=env, log=log)
    try:

        def healthy():
            status, _, text = request("GET", f"{AGENT_URL}/ping", timeout=2)
            return status == 200 and json.loads(text)

        ping = wait_for(healthy, 60, "GET /ping", agent, log)
        assert ping["status"] == "Healthy", ping
        # A local run says when it is ready (the README tells people to wait for this line).
        ready = re.compile(r"Uvicorn running on http://(127\.0\.0\.1|0\.0\.0\.0):8080")
        wait_for(lambda: ready.search(log.read_text(errors="replace")), 10, "the ready line", agent, log)

        headers = {SESSION_HEADER: SESSION}
        if jwt:
            token = subprocess.run(  # the project's own helper must make the same token
                [str(python), "identity.py", USER],
                cwd=project_dir,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            ).stdout.strip()
            assert token == local_token(USER)
            headers["Authorization"] = f"Bearer {token}"
            status, _, text = request(
                "POST", f"{AGENT_URL}/invocations", {"prompt": "Hi"}, {SESSION_HEADER: SESSION}
            )
            assert status == 401 and "bearer token" in json.loads(text)["error"], (status, text)

        first = request("POST", f"{AGENT_URL}/invocations", {"prompt": "My name is Ada."}, headers)
        assert answer_of(*first, streaming) == REPLY, log_tail(log)
        if not streaming:
            body = json.loads(first[2])
            assert body["session_id"] == SESSION
            if jwt:
                assert body["user"] == USER
        second = request("POST", f"{AGENT_URL}/invocations", {"prompt": "What is my name?"}, headers)
        assert answer_of(*second, streaming) == REPLY, log_tail(log)

        status, _, text = request("GET", f"{fake_bedrock}/_requests")
        recorded = json.loads(text)
        assert recorded, "the agent never called Bedrock"
        assert {r["modelId"] for r in recorded} == {http_project["model_id"]}
        # The session's second turn reached the model with the first one before it (the turn may
        # lead with the framework's own words: CrewAI's "Current Task: ").
        texts = user_texts(recorded[-1])
        assert "My name is Ada." in texts and texts[-1].endswith("What is my name?"), texts
    finally:
        stop(agent)
    assert not port_in_use(8080), "the agent server still listens after being stopped"
