"""Agents on a provider called with an API key (Anthropic, OpenAI, Gemini), served for real:
`python agent.py` on 127.0.0.1:8080 against the provider's loopback stand-in
(test/support/providers/standins), through the real framework and the provider's real SDK.

- A local run: the key from the environment variable api_key.py names first.
- A deployed run: no key in the environment; the runtime's credential-provider name and the
  request's workload token, and the key from a loopback AgentCore Identity (GetResourceApiKey).

Either way the stand-in must receive exactly that key and exactly the configured model ID.
"""

from __future__ import annotations

import ast
import json
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from e2e_helpers import (
    PROJECTS,
    PROVIDER_BASE_URL,
    REPO,
    WORK,
    agent_dir,
    agent_env,
    answers_the_prompt,
    log_tail,
    port_in_use,
    provider_standin,
    start,
    stop,
    wait_for,
)
from test_http import (
    AGENT_URL,
    SESSION,
    SESSION_HEADER,
    USER,
    answer_of,
    local_token,
    request,
)

sys.path.insert(0, str(REPO / "test" / "support" / "providers"))
from standins import identity_standin  # noqa: E402

pytestmark = pytest.mark.http

SERVED = [p for p in PROJECTS if p.get("provider_http")]
WORKLOAD_TOKEN = "wat-e2e-request"


def key_settings(project: dict) -> tuple[list[str], str]:
    """KEY_VARIABLES and CREDENTIAL_PROVIDER_VARIABLE, as the generated api_key.py has them."""
    values = {}
    for node in ast.parse((agent_dir(project) / "api_key.py").read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values["KEY_VARIABLES"], values["CREDENTIAL_PROVIDER_VARIABLE"]


def credential_name(project: dict) -> str:
    return f"{project['provider']}-api-key"


def serve_and_ask(project: dict, standin, extra_env: dict, extra_headers: dict) -> None:
    """Two turns of one session; the stand-in must see the second with the first before it."""
    python = Path(project["venv"]) / "bin" / "python"
    variable, suffix = PROVIDER_BASE_URL[project["provider"]]
    env = agent_env(
        project,
        **{variable: standin.url + suffix},
        AWS_ENDPOINT_URL="http://127.0.0.1:9",  # nothing of AWS but what a test points elsewhere
        **extra_env,
    )
    if port_in_use(8080):
        wait_for(
            lambda: not port_in_use(8080),
            30,
            "127.0.0.1:8080 is taken by another process",
        )
    log = WORK / "logs" / f"{project['id']}.provider-server.log"
    agent = start([python, "agent.py"], cwd=agent_dir(project), env=env, log=log)
    try:

        def healthy():
            status, _, text = request("GET", f"{AGENT_URL}/ping", timeout=2)
            return status == 200 and json.loads(text)

        wait_for(healthy, 60, "GET /ping", agent, log)
        headers = {SESSION_HEADER: SESSION, **extra_headers}
        if project["auth"] == "jwt":
            headers["Authorization"] = f"Bearer {local_token(USER)}"
        streaming = project["streaming"]
        for prompt in ("My name is Ada.", "What is my name?"):
            status, content_type, text = request(
                "POST", f"{AGENT_URL}/invocations", {"prompt": prompt}, headers
            )
            answer = answer_of(status, content_type, text, streaming)
            assert answers_the_prompt(answer, project["provider"], prompt), (
                answer,
                log_tail(log),
            )
    finally:
        stop(agent)
    calls = [r for r in standin.requests if r.model is not None]
    assert len(calls) == 2, [r.path for r in standin.requests]
    assert {r.model for r in calls} == {project["model_id"]}
    assert "My name is Ada." in json.dumps(calls[-1].body), (
        "the second turn did not carry the first"
    )


# run_e2e.py serves each framework and provider pair twice: plain, with the key from the
# environment as in a local run; and streaming, with background tasks and JWT, with the key from
# AgentCore Identity as deployed (api_key.py, the same file in both, takes either way).
LOCAL = [p for p in SERVED if not p["streaming"]]
DEPLOYED = [p for p in SERVED if p["streaming"]]


def sent_key(standin) -> set[str]:
    """Every header value of the stand-in's model calls (the key is in one of them)."""
    return {
        value
        for r in standin.requests
        if r.model is not None
        for value in r.headers.values()
    }


@pytest.mark.parametrize("provider_project", LOCAL, ids=[p["id"] for p in LOCAL])
def test_a_local_run_uses_the_key_from_the_environment(provider_project):
    if not provider_project["venv"]:
        pytest.skip(
            "no venv for this framework (its requirements did not install: reported above)"
        )
    variables, _ = key_settings(provider_project)
    key = f"sk-e2e-local-{provider_project['provider']}"
    with provider_standin(provider_project["provider"]).make_server() as standin:
        serve_and_ask(provider_project, standin, {variables[0]: key}, {})
        assert any(key in value for value in sent_key(standin)), (
            "the key did not reach the provider"
        )


@pytest.mark.parametrize("provider_project", DEPLOYED, ids=[p["id"] for p in DEPLOYED])
def test_deployed_the_key_comes_from_agentcore_identity(provider_project):
    if not provider_project["venv"]:
        pytest.skip(
            "no venv for this framework (its requirements did not install: reported above)"
        )
    _, credential_variable = key_settings(provider_project)
    key = f"sk-e2e-identity-{provider_project['provider']}"
    with ExitStack() as servers:
        identity = servers.enter_context(
            identity_standin.make_server(
                {credential_name(provider_project): key}, {WORKLOAD_TOKEN}
            )
        )
        standin = servers.enter_context(
            provider_standin(provider_project["provider"]).make_server()
        )
        env = {
            credential_variable: credential_name(provider_project),
            "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE": identity.url,
            "DOCKER_CONTAINER": "1",  # as in the runtime: only the request's workload token counts
        }
        serve_and_ask(
            provider_project,
            standin,
            env,
            {"X-Amz-Bedrock-AgentCore-Identity-WAT": WORKLOAD_TOKEN},
        )
        assert any(key in value for value in sent_key(standin)), (
            "the Identity key did not reach the provider"
        )
        fetched = [
            r for r in identity.requests if r.path.startswith("/identities/api-key")
        ]
        assert len(fetched) == 1, "the key was not fetched once, at the first turn"
        assert fetched[0].body["resourceCredentialProviderName"] == credential_name(
            provider_project
        )
