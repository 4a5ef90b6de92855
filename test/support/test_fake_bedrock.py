"""Proves fake_bedrock.py against real clients: boto3, Strands' BedrockModel, langchain-aws.

Run with the venv from scripts/pyenv.sh:
    .cache/venvs/NAME/bin/python -m pytest test/support -q
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # so the import works under any pytest import mode
from fake_bedrock import FakeBedrock, event_frame, split_reply  # noqa: E402
# A cross-region profile ID: its colon must survive botocore's URL-encoding of the path.
MODEL = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
REPLY = "Hello from the fake, with ünïcode and a few words."
MESSAGES = [{"role": "user", "content": [{"text": "Say hello"}]}]


def aws_test_env(endpoint: str | None = None, home: Path | None = None) -> dict[str, str]:
    """Dummy credentials and region; no profile or config file from this machine."""
    env = {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-west-2",
        "AWS_REGION": "us-west-2",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    if home is not None:
        env["AWS_CONFIG_FILE"] = str(home / "aws-config")
        env["AWS_SHARED_CREDENTIALS_FILE"] = str(home / "aws-credentials")
    if endpoint:
        env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = endpoint
    return env


def http(method: str, url: str, body: dict | None = None) -> tuple[int, object]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


@pytest.fixture(scope="module")
def server():
    srv = FakeBedrock(reply=REPLY).start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def fake(server, monkeypatch, tmp_path):
    """The in-process fake with a clean request log, and this process's AWS env aimed at it."""
    with server.lock:
        server.requests.clear()
        server.reply = REPLY
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    for k, v in aws_test_env(server.url, tmp_path).items():
        monkeypatch.setenv(k, v)
    return server


def models_asked(srv: FakeBedrock) -> list[tuple[str, str]]:
    with srv.lock:
        return [(r["modelId"], r["operation"]) for r in srv.requests]


# --- frame encoding, checked with botocore's own decoder ------------------------------

def test_event_frame_decodes_with_botocore():
    from botocore.eventstream import EventStreamBuffer

    buf = EventStreamBuffer()
    buf.add_data(event_frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "hé"}}))
    (msg,) = list(buf)  # botocore checks both CRCs and the lengths here
    assert msg.headers == {
        ":event-type": "contentBlockDelta",
        ":content-type": "application/json",
        ":message-type": "event",
    }
    assert json.loads(msg.payload) == {"contentBlockIndex": 0, "delta": {"text": "hé"}}


def test_split_reply_keeps_text():
    assert "".join(split_reply(REPLY)) == REPLY
    assert len(split_reply(REPLY)) == 3
    assert split_reply("") == [""]
    assert split_reply("a") == ["a"]


# --- real boto3 client, endpoint_url given explicitly ---------------------------------

def boto3_client(url: str):
    import boto3

    return boto3.client(
        "bedrock-runtime",
        endpoint_url=url,
        region_name="us-west-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_boto3_converse(fake):
    resp = boto3_client(fake.url).converse(modelId=MODEL, messages=MESSAGES)
    assert resp["output"]["message"] == {"role": "assistant", "content": [{"text": REPLY}]}
    assert resp["stopReason"] == "end_turn"
    assert set(resp["usage"]) >= {"inputTokens", "outputTokens", "totalTokens"}
    assert models_asked(fake) == [(MODEL, "converse")]
    assert fake.requests[0]["body"]["messages"] == MESSAGES


def test_boto3_converse_stream(fake):
    resp = boto3_client(fake.url).converse_stream(modelId=MODEL, messages=MESSAGES)
    events = list(resp["stream"])
    kinds = [next(iter(e)) for e in events]
    assert kinds == ["messageStart"] + ["contentBlockDelta"] * 3 + [
        "contentBlockStop", "messageStop", "metadata"]
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert text == REPLY
    assert events[0]["messageStart"] == {"role": "assistant"}
    assert events[-2]["messageStop"]["stopReason"] == "end_turn"
    assert events[-1]["metadata"]["metrics"]["latencyMs"] >= 0
    assert models_asked(fake) == [(MODEL, "converse-stream")]


def test_arn_model_id_is_decoded(fake):
    # ARNs carry '/' and ':' — both arrive percent-encoded inside one path segment.
    arn = "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.amazon.nova-lite-v1:0"
    boto3_client(fake.url).converse(modelId=arn, messages=MESSAGES)
    assert models_asked(fake) == [(arn, "converse")]


# --- the control endpoints --------------------------------------------------------------

def test_reply_change_and_unknown_paths(fake):
    assert http("POST", fake.url + "/_reply", {"reply": "Changed."}) == (200, {"reply": "Changed."})
    resp = boto3_client(fake.url).converse(modelId=MODEL, messages=MESSAGES)
    assert resp["output"]["message"]["content"] == [{"text": "Changed."}]

    assert http("POST", fake.url + "/_reply", {"nope": 1})[0] == 400
    status, body = http("POST", fake.url + "/model/x/invoke", {})
    assert status == 404 and "message" in body
    assert http("GET", fake.url + "/nothing-here")[0] == 404

    status, recorded = http("GET", fake.url + "/_requests")
    assert status == 200 and [r["modelId"] for r in recorded] == [MODEL]
    assert http("DELETE", fake.url + "/_requests") == (200, {"ok": True})
    assert http("GET", fake.url + "/_requests") == (200, [])


# --- the command line, and boto3's environment-variable endpoint route ------------------

def test_cli_and_env_var_endpoint(tmp_path):
    port_file = tmp_path / "port"
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "fake_bedrock.py"), "--port", "0",
         "--reply", "From the CLI.", "--port-file", str(port_file)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline().strip()  # printed (and flushed) once it is listening
        port = int(port_file.read_text())
        assert line == f"listening on 127.0.0.1:{port}"
        url = f"http://127.0.0.1:{port}"

        # A plain boto3.client("bedrock-runtime") with no endpoint_url, in a clean process.
        script = textwrap.dedent(f"""
            import boto3
            c = boto3.client("bedrock-runtime")
            r = c.converse(modelId={MODEL!r}, messages={MESSAGES!r})
            print(r["output"]["message"]["content"][0]["text"])
        """)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(aws_test_env(url, tmp_path))
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                             text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "From the CLI."

        status, recorded = http("GET", url + "/_requests")
        assert [(r["modelId"], r["operation"]) for r in recorded] == [(MODEL, "converse")]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- real agent frameworks through the fake (endpoint from the environment) -------------

@pytest.mark.parametrize("streaming", [True, False])
def test_strands_agent(fake, streaming):
    pytest.importorskip("strands")
    from strands import Agent
    from strands.models import BedrockModel

    model = BedrockModel(model_id=MODEL, region_name="us-west-2", streaming=streaming)
    agent = Agent(model=model, callback_handler=None)
    result = agent("Say hello")
    assert str(result).strip() == REPLY
    assert models_asked(fake) == [(MODEL, "converse-stream" if streaming else "converse")]
    sent = fake.requests[0]["body"]["messages"]
    assert sent[-1]["content"][0]["text"] == "Say hello"


def test_langchain_aws_invoke_and_stream(fake):
    pytest.importorskip("langchain_aws")
    from langchain_aws import ChatBedrockConverse

    llm = ChatBedrockConverse(model=MODEL, region_name="us-west-2")
    assert llm.invoke("Say hello").text == REPLY
    chunks = list(llm.stream("Say hello"))
    assert "".join(c.text for c in chunks) == REPLY
    assert models_asked(fake) == [(MODEL, "converse"), (MODEL, "converse-stream")]
