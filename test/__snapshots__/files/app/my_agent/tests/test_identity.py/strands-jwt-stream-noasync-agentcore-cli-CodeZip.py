"""JWT auth: the agent reads the caller from the token AgentCore validated, and refuses to guess
when there is none."""

import subprocess
import sys
from pathlib import Path

import identity
from identity import local_token
from tests.support import SESSION, invoke


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_the_caller_is_the_tokens_subject():
    class Context:
        request_headers = bearer(local_token("alice", scope="openid"))

    assert identity.caller_id(Context()) == "alice"
    assert identity.claims(Context())["scope"] == "openid"


def test_a_machine_client_token_uses_its_client_id():
    class Context:
        request_headers = bearer(local_token("", client_id="svc-reporting"))

    assert identity.caller_id(Context()) == "svc-reporting"


def test_no_token_is_a_clear_401(client, fake_model):
    response = client.post("/invocations", json={"prompt": "Hello"})
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["error"]
    assert fake_model.calls == []


def test_a_token_that_is_not_a_jwt_is_a_401(client, fake_model):
    for header in ("Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "Bearer "):
        response = invoke(client, {"prompt": "Hello"}, headers={"Authorization": header})
        assert response.status_code == 401, header
    assert fake_model.calls == []


def test_users_do_not_share_a_conversation_in_the_same_session(client, fake_model):
    alice, bob = bearer(local_token("alice")), bearer(local_token("bob"))
    invoke(client, {"prompt": "I am Alice."}, session_id=SESSION, headers=alice)
    invoke(client, {"prompt": "Who am I?"}, session_id=SESSION, headers=bob)
    assert fake_model.calls[-1] == ["Who am I?"]
    invoke(client, {"prompt": "And now?"}, session_id=SESSION, headers=alice)
    assert fake_model.calls[-1] == ["I am Alice.", "And now?"]


def run_identity(*args: str) -> str:
    """What `python identity.py ARGS` prints, run in the project folder."""
    project = Path(__file__).resolve().parents[1]
    command = [sys.executable, "identity.py", *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=True).stdout


def test_the_command_line_prints_a_token_for_the_user_named():
    assert run_identity("alice").strip() == local_token("alice")


def test_help_is_help_not_a_token_for_a_user_called_help():
    printed = run_identity("--help")
    assert printed.startswith("usage: identity.py")
    assert local_token("--help") not in printed
