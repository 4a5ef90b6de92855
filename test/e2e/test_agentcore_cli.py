"""AgentCore CLI projects, checked by the AgentCore CLI itself and by what it deploys.

- `agentcore validate` (the real @aws/agentcore 0.30.0, test/agentcore-cli/) in every project;
- the vended CDK app type-checked, built and run offline (CDK_OUTDIR, account and region from
  aws-targets.json) for the representative projects; the CloudFormation it writes: one
  AWS::BedrockAgentCore::Runtime with exactly the resolved model ID, the JWT authorizer the
  answers gave (none for IAM), Authorization in the header allowlist for JWT, and an execution
  role that may invoke the model through its inference profile in every region the profile routes
  to; then cfn-lint (errors fail, warnings are reported);
- `agentcore dev` serving one project's agent against the loopback Bedrock.

Nothing reaches AWS: every AWS endpoint points at a closed loopback port, and there are no
credentials but dummies.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from e2e_helpers import MANIFEST, PROJECTS, REPO, WORK, log_tail, start, stop, wait_for

pytestmark = pytest.mark.agentcore

CLI_PROJECTS = [p for p in PROJECTS if p.get("deploy") == "agentcore-cli"]
REPLY = "Hello from the fake Bedrock, through agentcore dev."
ACCOUNT = "123456789012"  # the account of the synthesised targets; nothing is deployed


def tool_env(**extra: str) -> dict[str, str]:
    """No AWS and no telemetry: dummy credentials, every endpoint a closed port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env.update(
        AGENTCORE_TELEMETRY_DISABLED="1",
        AGENTCORE_CONFIG_DIR=str(WORK / "agentcore-config"),
        AWS_ENDPOINT_URL="http://127.0.0.1:9",
        AWS_ACCESS_KEY_ID="AKIDE2ETEST",
        AWS_SECRET_ACCESS_KEY="e2e-secret",
        AWS_CONFIG_FILE=str(WORK / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(WORK / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        NO_COLOR="1",
    )
    env.update(extra)
    return env


def agentcore(*args: str, cwd: Path, timeout: int = 120, **env: str) -> subprocess.CompletedProcess:
    binary = Path(MANIFEST["agentcore_cli"]) / "agentcore"
    return subprocess.run(
        [str(binary), *args], cwd=cwd, env=tool_env(**env), capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize("cli_project", CLI_PROJECTS, ids=[p["id"] for p in CLI_PROJECTS])
def test_agentcore_validate(cli_project):
    proc = agentcore("validate", cwd=Path(cli_project["dir"]))
    output = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0 and "Valid" in output, f"agentcore validate (exit {proc.returncode}): {output[-800:]}"


# --- synthesis -----------------------------------------------------------------------------

SYNTH = [p for p in CLI_PROJECTS if p.get("synth")]


def resolve(value, env: dict[str, str]):
    """A CloudFormation value with Ref/Fn::Join/Fn::Sub of pseudo parameters, as a string when it can."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return env.get(value["Ref"], f"<{value['Ref']}>")
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(str(resolve(part, env)) for part in parts)
    if isinstance(value, dict) and "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):
        text = value["Fn::Sub"]
        for name, replacement in env.items():
            text = text.replace("${" + name + "}", replacement)
        return text
    return json.dumps(value)


def allows(statements: list[dict], action: str, resource: str) -> bool:
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        resources = statement.get("Resource", [])
        actions = [actions] if isinstance(actions, str) else actions
        resources = [resources] if isinstance(resources, (str, dict)) else resources
        if any(fnmatch.fnmatchcase(action, a) for a in actions) and any(
            fnmatch.fnmatchcase(resource, r) for r in resources
        ):
            return True
    return False


def model_resources(project: dict) -> list[str]:
    """Every ARN a call to the project's model ID needs bedrock:InvokeModel* on."""
    region, model = project["region"], project["model"]
    profile = model["profile"]
    if profile is None:
        return [f"arn:aws:bedrock:{region}::foundation-model/{model['modelId']}"]
    arns = [f"arn:aws:bedrock:{region}:{ACCOUNT}:inference-profile/{profile['id']}"]
    if profile["geography"] == "global":
        # A global profile's foundation-model resource carries no region.
        arns.append(f"arn:aws:bedrock:::foundation-model/{profile['baseModelId']}")
    else:
        arns += [
            f"arn:aws:bedrock:{destination}::foundation-model/{profile['baseModelId']}"
            for destination in project["profile_regions"]
        ]
    return arns


@pytest.fixture(scope="module")
def cdk_modules():
    path = Path(MANIFEST["cdk_modules"])
    assert (path / "@aws" / "agentcore-cdk").is_dir(), f"the CDK app's dependencies are not installed in {path}"
    return path


@pytest.mark.parametrize("cli_project", SYNTH, ids=[p["id"] for p in SYNTH])
def test_synthesised_stack(cli_project, cdk_modules, tmp_path):
    project = Path(cli_project["dir"])
    cdk = project / "agentcore" / "cdk"
    targets = project / "agentcore" / "aws-targets.json"
    if json.loads(targets.read_text()) == []:  # what `agentcore deploy` would add from the credentials
        targets.write_text(json.dumps([{"name": "default", "account": ACCOUNT, "region": cli_project["region"]}]))
    (cdk / "node_modules").symlink_to(cdk_modules, target_is_directory=True)
    log = WORK / "logs" / f"{cli_project['id']}.synth.log"
    tsc = subprocess.run(
        [str(cdk_modules / ".bin" / "tsc"), "-p", "."], cwd=cdk, capture_output=True, text=True, timeout=300
    )
    assert tsc.returncode == 0, f"the CDK app does not compile:\n{tsc.stdout[-2000:]}{tsc.stderr[-1000:]}"
    out = tmp_path / "cdk.out"
    scratch = tmp_path / "tmp"  # CodeZip packaging leaves a zip in TMPDIR on every run
    scratch.mkdir()
    env = tool_env(
        CDK_OUTDIR=str(out),
        TMPDIR=str(scratch),
        PATH=f"{MANIFEST['uv_bin']}{os.pathsep}{os.environ['PATH']}",
        UV_CACHE_DIR=str(REPO / ".cache" / "uv"),
    )
    proc = subprocess.run(
        ["node", "dist/bin/cdk.js"], cwd=cdk, env=env, capture_output=True, text=True, timeout=900
    )
    log.write_text(f"{tsc.stdout}{tsc.stderr}\n--- synth\n{proc.stdout}{proc.stderr}exit {proc.returncode}\n")
    assert proc.returncode == 0, f"synthesis failed:\n{(proc.stdout + proc.stderr)[-2000:]}"
    [template_path] = out.glob("AgentCore-*.template.json")
    template = json.loads(template_path.read_text())
    resources = template["Resources"]

    runtimes = [r for r in resources.values() if r["Type"] == "AWS::BedrockAgentCore::Runtime"]
    assert len(runtimes) == 1, [r["Type"] for r in resources.values()]
    runtime = runtimes[0]["Properties"]
    assert runtime["EnvironmentVariables"]["BEDROCK_MODEL_ID"] == cli_project["model_id"]
    assert runtime["EnvironmentVariables"]["AWS_REGION"] == cli_project["region"]
    answers = cli_project["answers"]
    if cli_project["auth"] == "jwt":
        authorizer = runtime["AuthorizerConfiguration"]["CustomJWTAuthorizer"]
        assert authorizer["DiscoveryUrl"] == answers["discovery-url"]
        assert authorizer.get("AllowedClients", []) == [c for c in answers.get("allowed-clients", "").split(",") if c]
        assert authorizer.get("AllowedAudience", []) == [
            a for a in answers.get("allowed-audience", "").split(",") if a
        ]
        assert "Authorization" in runtime["RequestHeaderConfiguration"]["RequestHeaderAllowlist"]
    else:
        assert "AuthorizerConfiguration" not in runtime
    artifact = runtime["AgentRuntimeArtifact"]
    assert ("CodeConfiguration" if cli_project["build"] == "CodeZip" else "ContainerConfiguration") in artifact

    # The execution role: what its policies allow, with the stack's pseudo parameters filled in.
    role = runtime["RoleArn"]["Fn::GetAtt"][0]
    pseudo = {"AWS::Partition": "aws", "AWS::Region": cli_project["region"], "AWS::AccountId": ACCOUNT}
    statements = []
    for resource in resources.values():
        if resource["Type"] == "AWS::IAM::Policy" and {"Ref": role} in resource["Properties"].get("Roles", []):
            for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
                resource_list = statement.get("Resource", [])
                resource_list = resource_list if isinstance(resource_list, list) else [resource_list]
                statements.append({**statement, "Resource": [resolve(r, pseudo) for r in resource_list]})
    for action in ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"):
        for arn in model_resources(cli_project):
            assert allows(statements, action, arn), f"the execution role does not allow {action} on {arn}"

    lint = subprocess.run(
        [str(Path(MANIFEST["tools_python"]).parent / "cfn-lint"), "--format", "parseable", str(template_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = lint.stdout.strip().splitlines()
    errors = [line for line in findings if ":E" in line]
    (WORK / "logs" / f"{cli_project['id']}.cfn-lint.log").write_text(lint.stdout + lint.stderr)
    assert not errors, "cfn-lint errors:\n" + "\n".join(errors)
    if findings:
        print(f"cfn-lint warnings in {cli_project['id']} (from the AgentCore constructs): {' | '.join(findings)}")


# --- agentcore dev -------------------------------------------------------------------------

DEV = [p for p in CLI_PROJECTS if p.get("dev")]


@pytest.fixture
def fake_bedrock(tmp_path):
    port_file = tmp_path / "fake.port"
    log = WORK / "logs" / "agentcore-dev.fake-bedrock.log"
    proc = start(
        [sys.executable, REPO / "test" / "support" / "fake_bedrock.py", "--port", "0", "--reply", REPLY,
         "--port-file", port_file],
        cwd=REPO,
        env=dict(os.environ),
        log=log,
    )
    try:
        port = wait_for(lambda: port_file.exists() and port_file.read_text().strip(), 15, "fake_bedrock.py", proc, log)
        yield f"http://127.0.0.1:{int(port)}"
    finally:
        stop(proc)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("cli_project", DEV, ids=[p["id"] for p in DEV])
def test_agentcore_dev(cli_project, fake_bedrock):
    project = Path(cli_project["dir"])
    agent_dir = project / cli_project["agent_dir"]
    # `agentcore dev` runs `uv sync` itself when the agent has no venv; do it first, with the
    # network, so the dev server itself needs none.
    uv = Path(MANIFEST["uv_bin"]) / "uv"
    sync = subprocess.run([str(uv), "sync", "--quiet"], cwd=agent_dir, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "UV_CACHE_DIR": str(REPO / ".cache" / "uv")})
    assert sync.returncode == 0, sync.stderr[-1500:]
    port = free_port()
    log = WORK / "logs" / f"{cli_project['id']}.agentcore-dev.log"
    env = tool_env(
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=fake_bedrock,
        AWS_REGION=cli_project["region"],
        PATH=f"{MANIFEST['uv_bin']}{os.pathsep}{os.environ['PATH']}",
    )
    binary = Path(MANIFEST["agentcore_cli"]) / "agentcore"
    dev = start([binary, "dev", "--logs", "--skip-deploy", "--no-traces", "--no-browser", "--port", str(port)],
                cwd=project, env=env, log=log)
    try:
        def ping():
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2) as response:
                return json.loads(response.read())

        assert wait_for(ping, 120, "agentcore dev: GET /ping", dev, log)["status"] == "Healthy"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invocations",
            data=json.dumps({"prompt": "Hello"}).encode(),
            headers={"Content-Type": "application/json",
                     "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id": "dev-session-0123456789abcdef0123456789"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read().decode()
        assert REPLY in body, body[:500]
        with urllib.request.urlopen(f"{fake_bedrock}/_requests", timeout=10) as response:
            recorded = json.loads(response.read())
        assert {r["modelId"] for r in recorded} == {cli_project["model_id"]}, log_tail(log)
    finally:
        stop(dev)
    shutil.rmtree(agent_dir / ".venv", ignore_errors=True)
