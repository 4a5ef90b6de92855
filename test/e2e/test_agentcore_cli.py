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
import urllib.request
import zipfile
from pathlib import Path

import pytest
from e2e_helpers import (
    MANIFEST,
    PROJECTS,
    PROVIDER_BASE_URL,
    REPLY,
    REPO,
    WORK,
    agentcore_cli_settings,
    answers_the_prompt,
    cli_config,
    log_tail,
    provider_standin,
    start,
    stop,
    wait_for,
)

pytestmark = pytest.mark.agentcore

CLI_PROJECTS = [p for p in PROJECTS if p.get("deploy") == "agentcore-cli"]


def config_shape(project: dict) -> str:
    """agentcore.json with the project's and the agent's names left out: what else it says."""
    config = cli_config(project)
    text = json.dumps(config, sort_keys=True)
    for name in sorted({config["name"], *(runtime["name"] for runtime in config["runtimes"])}, key=len, reverse=True):
        text = text.replace(name, "<name>")
    return text


# `agentcore validate` is mostly Node loading the CLI (about 3 s): it runs on each distinct
# agentcore.json among the projects run_e2e.py gives the slow checks (names aside: credentials,
# authorizer, build, environment), and on every project named at AgentCore's limits.
NAMED = [p for p in CLI_PROJECTS if p["name"] is not None or p["project_name"] is not None]
SHAPES = {config_shape(p): p for p in reversed(CLI_PROJECTS) if p["representative"] and p not in NAMED}
VALIDATED = [*SHAPES.values(), *NAMED]
ACCOUNT = "123456789012"  # the account of the synthesised targets; nothing is deployed


def tool_env(**extra: str) -> dict[str, str]:
    """No AWS and no telemetry: dummy credentials, every endpoint a closed port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env.update(
        agentcore_cli_settings(),
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


@pytest.mark.parametrize("cli_project", VALIDATED, ids=[p["id"] for p in VALIDATED])
def test_agentcore_validate(cli_project):
    proc = agentcore("validate", cwd=Path(cli_project["dir"]))
    output = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0 and "Valid" in output, f"agentcore validate (exit {proc.returncode}): {output[-800:]}"


def test_agentcore_validate_refuses_a_broken_runtime(tmp_path):
    """The validator above is live: the same CLI refuses a runtime name AWS would refuse."""
    if not CLI_PROJECTS:
        pytest.skip("no AgentCore CLI project was generated")
    project = tmp_path / "broken"
    shutil.copytree(CLI_PROJECTS[0]["dir"], project, ignore=shutil.ignore_patterns(".venv", "node_modules"))
    config_path = project / "agentcore" / "agentcore.json"
    config = json.loads(config_path.read_text())
    config["runtimes"][0]["name"] = "1-not-a-name"
    config_path.write_text(json.dumps(config))
    proc = agentcore("validate", cwd=project)
    assert proc.returncode != 0 and "Valid" not in proc.stdout, proc.stdout + proc.stderr


@pytest.mark.parametrize("cli_project", CLI_PROJECTS, ids=[p["id"] for p in CLI_PROJECTS])
def test_the_runtime_is_what_was_asked(cli_project):
    """agentcore.json: the agent in app/<name>, the names AWS accepts, the build and the inbound
    auth the answers gave (the envVars are checked with agent.py in test_config.py)."""
    config = cli_config(cli_project)
    (runtime,) = config["runtimes"]
    if cli_project["name"]:
        assert runtime["name"] == cli_project["name"]
    if cli_project["project_name"]:
        assert config["name"] == cli_project["project_name"]
    assert len(f"{config['name']}_{runtime['name']}") <= 48  # the runtime's name in AWS
    assert runtime["codeLocation"] == f"app/{runtime['name']}/" and cli_project["agent_dir"] == f"app/{runtime['name']}"
    assert runtime["entrypoint"] == "agent.py" and runtime["build"] == cli_project["build"]
    if cli_project["auth"] == "jwt":
        lists = cli_project["jwt_lists"]
        names = {"clients": "allowedClients", "audience": "allowedAudience", "scopes": "allowedScopes"}
        assert runtime["authorizerType"] == "CUSTOM_JWT"
        assert runtime["authorizerConfiguration"] == {
            "customJwtAuthorizer": {
                "discoveryUrl": cli_project["answers"]["discovery-url"],
                **{names[kind]: values for kind, values in lists.items() if values},
            }
        }
        assert "Authorization" in runtime["requestHeaderAllowlist"]
    else:
        assert "authorizerType" not in runtime and "requestHeaderAllowlist" not in runtime


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
    """Every ARN a call to the project's model ID needs bedrock:InvokeModel* on: the inference
    profile in the project's region and the model in every region the profile routes to."""
    region, model_id = project["region"], project["model_id"]
    prefix, _, base = model_id.partition(".")
    if prefix == "global":
        # A global profile's foundation-model resource carries no region.
        return [
            f"arn:aws:bedrock:{region}:{ACCOUNT}:inference-profile/{model_id}",
            f"arn:aws:bedrock:::foundation-model/{base}",
        ]
    if prefix in MANIFEST["geo_regions"]:
        return [
            f"arn:aws:bedrock:{region}:{ACCOUNT}:inference-profile/{model_id}",
            *(f"arn:aws:bedrock:{destination}::foundation-model/{base}" for destination in MANIFEST["geo_regions"][prefix]),
        ]
    return [f"arn:aws:bedrock:{region}::foundation-model/{model_id}"]  # served on demand in-region


@pytest.fixture(scope="module")
def cdk_modules():
    """The node_modules the generated project's own `npm install` post-step wrote."""
    path = Path(MANIFEST["cdk_modules"])
    assert (path / "@aws" / "agentcore-cdk").is_dir(), f"the CDK app's dependencies are not installed in {path}"
    return path


def test_the_cdk_app_installs_exactly_its_pins(cdk_modules):
    """package.json pins exact versions (what the AgentCore CLI vends, and what was tested)."""
    wanted = json.loads((cdk_modules.parent / "package.json").read_text())
    for name, version in {**wanted["dependencies"], **wanted["devDependencies"]}.items():
        installed = json.loads((cdk_modules / name / "package.json").read_text())["version"]
        assert installed == version, f"{name}: package.json pins {version}, npm installed {installed}"


@pytest.mark.parametrize("cli_project", SYNTH, ids=[p["id"] for p in SYNTH])
def test_synthesised_stack(cli_project, cdk_modules, tmp_path):
    # A copy: the build writes into the CDK app, and the project stays as generated.
    project = tmp_path / "project"
    shutil.copytree(cli_project["dir"], project, ignore=shutil.ignore_patterns(".venv", "node_modules"))
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
        # As under `npm run` started outside the project: the AgentCore constructs look for the
        # project from INIT_CWD before the working directory, and must still find this one.
        INIT_CWD=str(tmp_path),
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
    environment = runtime["EnvironmentVariables"]
    assert environment[cli_project["model_variable"]] == cli_project["model_id"]
    assert environment["AWS_REGION"] == cli_project["region"]
    direct = cli_project["provider"] != "bedrock"
    # A provider called with an API key: the runtime is told its credential provider's name, the
    # variable the generated api_key.py reads; Bedrock projects declare no credential.
    credential = f"{cli_project['provider']}-api-key"
    credential_variable = f"CREDENTIAL_{credential.upper().replace('-', '_')}_NAME"
    assert environment.get(credential_variable) == (credential if direct else None), environment
    if direct:
        api_key_py = (Path(cli_project["dir"]) / cli_project["agent_dir"] / "api_key.py").read_text()
        assert f'CREDENTIAL_PROVIDER_VARIABLE = "{credential_variable}"' in api_key_py
    if cli_project["auth"] == "jwt":
        lists = cli_project["jwt_lists"]  # what the project was generated with (run_e2e.py)
        authorizer = runtime["AuthorizerConfiguration"]["CustomJWTAuthorizer"]
        assert authorizer["DiscoveryUrl"] == cli_project["answers"]["discovery-url"]
        assert authorizer.get("AllowedClients", []) == lists["clients"]
        assert authorizer.get("AllowedAudience", []) == lists["audience"]
        assert "Authorization" in runtime["RequestHeaderConfiguration"]["RequestHeaderAllowlist"]
    else:
        assert "AuthorizerConfiguration" not in runtime
    artifact = runtime["AgentRuntimeArtifact"]
    assert ("CodeConfiguration" if cli_project["build"] == "CodeZip" else "ContainerConfiguration") in artifact
    if cli_project["build"] == "CodeZip":
        # What AgentCore runs: agent.py under the AWS Distro for OpenTelemetry, from a zip holding
        # the agent and its dependencies for linux/arm64 (Graviton), packaged by the CDK app.
        code = artifact["CodeConfiguration"]
        assert code["EntryPoint"] == ["opentelemetry-instrument", "agent.py"]
        with zipfile.ZipFile(out / f"asset.{code['Code']['S3']['Prefix']}") as bundle:
            names = bundle.namelist()
            # Each native library's ELF machine (e_machine, at byte 18): 183 is AArch64.
            machines = {name: int.from_bytes(bundle.read(name)[18:20], "little") for name in names if name.endswith(".so")}
        assert {"agent.py", "conversations.py", "errors.py", "bin/opentelemetry-instrument"} <= set(names)
        assert machines and set(machines.values()) == {183}, {n: m for n, m in machines.items() if m != 183}

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
    if direct:
        # It may read that credential's key: Identity's token vault and the key's secret.
        vault = f"arn:aws:bedrock-agentcore:{cli_project['region']}:{ACCOUNT}:token-vault/default/apikeycredentialprovider/{credential}"
        assert allows(statements, "bedrock-agentcore:GetResourceApiKey", vault), "the role may not read the API key"
        secret = f"arn:aws:secretsmanager:{cli_project['region']}:{ACCOUNT}:secret:bedrock-agentcore-identity!default/apikey/{credential}-AbCdEf"
        assert allows(statements, "secretsmanager:GetSecretValue", secret), "the role may not read the key's secret"
    else:
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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def agentcore_dev_answers(cli_project: dict, project: Path, log: Path, **env: str) -> str:
    """`agentcore dev --logs` in `project`, as the README says, asked "Hello" once it pings
    Healthy: the answer's body."""
    # `agentcore dev` runs `uv sync` itself when the agent has no venv; do it first, with the
    # network, so the dev server itself needs none.
    uv = Path(MANIFEST["uv_bin"]) / "uv"
    sync = subprocess.run([str(uv), "sync", "--quiet"], cwd=project / cli_project["agent_dir"], capture_output=True,
                          text=True, timeout=600, env={**os.environ, "UV_CACHE_DIR": str(REPO / ".cache" / "uv")})
    assert sync.returncode == 0, sync.stderr[-1500:]
    port = free_port()
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
            return response.read().decode()
    finally:
        stop(dev)


@pytest.mark.parametrize("cli_project", DEV, ids=[p["id"] for p in DEV])
def test_agentcore_dev(cli_project, fake_bedrock):
    log = WORK / "logs" / f"{cli_project['id']}.agentcore-dev.log"
    env = tool_env(
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=fake_bedrock,
        AWS_REGION=cli_project["region"],
        PATH=f"{MANIFEST['uv_bin']}{os.pathsep}{os.environ['PATH']}",
    )
    body = agentcore_dev_answers(cli_project, Path(cli_project["dir"]), log, **env)
    if cli_project["streaming"]:  # server-sent events, one JSON string of text each
        events = [json.loads(line[len("data: "):]) for line in body.splitlines() if line.startswith("data: ")]
        assert "".join(events) == REPLY, body[:500]
    else:
        assert json.loads(body)["result"] == REPLY, body[:500]
    with urllib.request.urlopen(f"{fake_bedrock}/_requests", timeout=10) as response:
        recorded = json.loads(response.read())
    assert {r["modelId"] for r in recorded} == {cli_project["model_id"]}, log_tail(log)


# One provider project, answering in JSON (the first Anthropic one with IAM and no streaming).
DEV_WITH_KEY = [
    p for p in CLI_PROJECTS if p.get("provider") == "anthropic" and p["auth"] == "iam" and not p["streaming"]
][:1]


@pytest.mark.parametrize("cli_project", DEV_WITH_KEY, ids=[p["id"] for p in DEV_WITH_KEY])
def test_agentcore_dev_gives_the_agent_the_key_in_env_local(cli_project, tmp_path):
    """What the README says: the key goes in agentcore/.env.local, and `agentcore dev` passes it on."""
    project = tmp_path / "project"  # a copy: the key written below stays out of the generated tree
    shutil.copytree(cli_project["dir"], project, ignore=shutil.ignore_patterns(".venv", "node_modules"))
    provider = cli_project["provider"]
    variable = f"AGENTCORE_CREDENTIAL_{provider.upper()}_API_KEY"
    (project / "agentcore" / ".env.local").write_text(f"{variable}=sk-e2e-from-env-local\n")
    log = WORK / "logs" / f"{cli_project['id']}.agentcore-dev-key.log"
    with provider_standin(provider).make_server() as standin:
        env = tool_env(AWS_REGION=cli_project["region"], PATH=f"{MANIFEST['uv_bin']}{os.pathsep}{os.environ['PATH']}")
        for name in list(env):  # only .env.local may give the key (run_e2e.py set a canary everywhere)
            if name.endswith("_API_KEY"):
                del env[name]
        base_url, suffix = PROVIDER_BASE_URL[provider]
        env[base_url] = standin.url + suffix
        body = agentcore_dev_answers(cli_project, project, log, **env)
        assert answers_the_prompt(json.loads(body)["result"], provider, "Hello"), body
        sent = {value for r in standin.requests for value in r.headers.values()}
        assert any("sk-e2e-from-env-local" in value for value in sent), log_tail(log)
