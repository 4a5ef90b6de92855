"""Prove bedrock_agentcore.identity.requires_api_key obtains a key from the loopback Identity stand-in.

Each case runs in a subprocess: bedrock_agentcore reads BEDROCK_AGENTCORE_*_ENDPOINT at import and the
decorator builds its boto3 clients when it is applied, so the environment must be set before either.
"""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from standins import identity_standin

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def idp():
    with identity_standin.make_server() as s:
        yield s


def run(code, env_extra, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BEDROCK_AGENTCORE"))}
    env.update({"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-west-2",
                "AWS_EC2_METADATA_DISABLED": "true", "PYTHONPATH": os.path.dirname(HERE)}, **env_extra)
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


RUNTIME_PATH = """
    import asyncio
    from bedrock_agentcore.identity import requires_api_key
    from bedrock_agentcore.runtime.context import BedrockAgentCoreContext

    @requires_api_key(provider_name="anthropic-key-provider")
    async def get_key(*, api_key: str) -> str:
        return api_key

    @requires_api_key(provider_name="anthropic-key-provider")
    def get_key_sync(*, api_key: str) -> str:
        return api_key

    BedrockAgentCoreContext.set_workload_access_token("wat-from-runtime-header")  # what the app does with the WAT header
    print(asyncio.run(get_key()))
    print(get_key_sync())
"""


@pytest.mark.parametrize("var_style", ["boto3", "sdk"])
def test_runtime_path_wat_header(idp, tmp_path, var_style):
    env = ({"AWS_ENDPOINT_URL_BEDROCK_AGENTCORE": idp.url, "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL": idp.url}
           if var_style == "boto3" else {"BEDROCK_AGENTCORE_DP_ENDPOINT": idp.url, "BEDROCK_AGENTCORE_CP_ENDPOINT": idp.url})
    out = run(RUNTIME_PATH, env, tmp_path).split()
    assert out == ["sk-ant-from-identity", "sk-ant-from-identity"]
    assert [r.path for r in idp.requests] == ["/identities/api-key"] * 2
    assert idp.requests[0].body == {"resourceCredentialProviderName": "anthropic-key-provider",
                                    "workloadIdentityToken": "wat-from-runtime-header"}
    assert "bedrock-agentcore" in idp.requests[0].headers["authorization"]  # SigV4 signing name


def test_local_dev_path_creates_identity_and_file(idp, tmp_path):
    code = """
        import asyncio
        from bedrock_agentcore.identity import requires_api_key

        @requires_api_key(provider_name="anthropic-key-provider")
        async def get_key(*, api_key: str) -> str:
            return api_key
        print(asyncio.run(get_key()))
    """
    env = {"AWS_ENDPOINT_URL_BEDROCK_AGENTCORE": idp.url, "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL": idp.url}
    # this path hands out a token we did not pre-register; the stand-in registers every token it mints
    out = run(code, env, tmp_path)
    assert out.strip().splitlines()[-1] == "sk-ant-from-identity"
    assert [r.path for r in idp.requests] == ["/identities/CreateWorkloadIdentity",
                                              "/identities/GetWorkloadAccessTokenForUserId", "/identities/api-key"]
    cfg = json.loads((tmp_path / ".agentcore.json").read_text())  # side effect: a file in the CWD
    assert set(cfg) == {"workload_identity_name", "user_id"}


def test_in_container_without_wat_fails(idp, tmp_path):
    code = """
        import asyncio
        from bedrock_agentcore.identity import requires_api_key

        @requires_api_key(provider_name="anthropic-key-provider")
        async def get_key(*, api_key: str) -> str:
            return api_key
        try:
            asyncio.run(get_key())
        except ValueError as e:
            print("ValueError:", e)
    """
    out = run(code, {"AWS_ENDPOINT_URL_BEDROCK_AGENTCORE": idp.url, "DOCKER_CONTAINER": "1"}, tmp_path)
    assert "Workload access token has not been set" in out
    assert idp.requests == []


def test_through_agentcore_app_header(idp, anthropic_server, tmp_path):
    """End to end: WAT header -> @requires_api_key -> key -> anthropic SDK -> Anthropic stand-in."""
    code = f"""
        import anthropic
        from bedrock_agentcore import BedrockAgentCoreApp
        from bedrock_agentcore.identity import requires_api_key
        from starlette.testclient import TestClient

        app = BedrockAgentCoreApp()

        @requires_api_key(provider_name="anthropic-key-provider")
        async def anthropic_client(*, api_key: str):
            return anthropic.AsyncAnthropic(api_key=api_key, base_url="{anthropic_server.url}", max_retries=0)

        @app.entrypoint
        async def invoke(payload, context):
            client = await anthropic_client()
            msg = await client.messages.create(model="claude-sonnet-4-6", max_tokens=64,
                                               messages=[{{"role": "user", "content": payload["prompt"]}}])
            return msg.content[0].text

        r = TestClient(app).post("/invocations", json={{"prompt": "hi"}},
                                 headers={{"X-Amz-Bedrock-AgentCore-Identity-WAT": "wat-from-runtime-header"}})
        print(r.status_code, r.json())
    """
    env = {"AWS_ENDPOINT_URL_BEDROCK_AGENTCORE": idp.url}
    out = run(code, env, tmp_path)
    assert out.strip() == "200 Hello from anthropic stand-in: hi"
    rec = anthropic_server.requests[-1]
    assert (rec.headers.get("x-api-key") or rec.headers.get("authorization", "").removeprefix("Bearer ")) == "sk-ant-from-identity"
