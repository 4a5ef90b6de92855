"""Every generated project's deploy files, checked by the real tools that consume them.

(The AgentCore CLI's agentcore/ folder is checked by that CLI itself: test_agentcore_cli.py.)
- `.bedrock_agentcore.yaml` (starter toolkit) through bedrock-agentcore-starter-toolkit's own schema and loader,
  and the agent's `validate()` that `agentcore launch` runs first;
- the Dockerfile through hadolint (any finding fails: none are silenced);
- the CI workflow through actionlint (with shellcheck) and zizmor (pedantic, offline);
- the model ID and region agree across the CLI's output, agent.py, the Dockerfile and the YAML.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from bedrock_agentcore_starter_toolkit.utils.runtime.config import get_agentcore_directory, load_config
from bedrock_agentcore_starter_toolkit.utils.runtime.entrypoint import parse_entrypoint
from bedrock_agentcore_starter_toolkit.utils.runtime.schema import BedrockAgentCoreConfigSchema
from e2e_helpers import MANIFEST, WORK, agent_dir, cli_runtime

# The cross-region inference profile each test region should get (`--inference-profile geo`).
PROFILE_PREFIX = {"us-west-2": ("us.",), "eu-central-1": ("eu.",), "ap-northeast-1": ("jp.", "apac.")}


def config_path(project: dict) -> Path:
    return Path(project["dir"]) / ".bedrock_agentcore.yaml"


def schema(project: dict) -> BedrockAgentCoreConfigSchema:
    return BedrockAgentCoreConfigSchema.model_validate(yaml.safe_load(config_path(project).read_text()))


def agent_config(project: dict):
    return schema(project).get_agent_config()


def test_schema_validates(starter_project):
    config = schema(starter_project)
    assert config.default_agent == starter_project["agent_name"]
    assert list(config.agents) == [starter_project["agent_name"]]
    assert config.agents[starter_project["agent_name"]].name == starter_project["agent_name"]


def test_toolkit_loads_config(starter_project):
    """The loader `agentcore launch` uses (no AWS look-ups) reads the same thing."""
    loaded = load_config(config_path(starter_project), autofill_missing_aws=False)
    assert loaded.model_dump() == schema(starter_project).model_dump()


def test_launch_validation(starter_project):
    agent = load_config(config_path(starter_project), autofill_missing_aws=False).get_agent_config()
    assert agent.validate(for_local=True) == []
    if starter_project["account"]:
        assert agent.validate() == []
    else:  # `agentcore configure` fills the account in; nothing else may be missing
        assert agent.validate() == ["Missing 'aws.account' for cloud deployment"]


def test_deploy_settings(starter_project):
    agent = agent_config(starter_project)
    assert agent.platform == "linux/arm64"
    assert agent.container_runtime is None  # the toolkit finds Docker, Finch or Podman itself
    assert agent.language == "python"
    assert agent.deployment_type == "container"
    assert agent.source_path is None  # so the build context is the project folder
    assert agent.aws.region == starter_project["region"]
    assert agent.aws.account == starter_project["account"]
    assert agent.aws.execution_role_auto_create is True
    assert agent.aws.protocol_configuration.server_protocol == "HTTP"
    assert agent.memory.mode == "NO_MEMORY"


def test_entrypoint_resolves_to_agent_py(starter_project, monkeypatch):
    """As the toolkit resolves it: relative to the working directory, the project folder."""
    project_dir = Path(starter_project["dir"]).resolve()
    agent = agent_config(starter_project)
    monkeypatch.chdir(project_dir)
    file_path, name = parse_entrypoint(agent.entrypoint)
    assert file_path == project_dir / "agent.py"
    assert name == "agent"
    dockerfile_dir = get_agentcore_directory(project_dir, agent.name, agent.source_path)
    dockerfile = dockerfile_dir / "Dockerfile"
    assert dockerfile.is_file(), f"the toolkit builds {dockerfile}, which is missing"
    cmd = re.search(r"^CMD (.+)$", dockerfile.read_text(), re.M)
    assert cmd and ('"-m", "agent"' in cmd.group(1) or '"agent.py"' in cmd.group(1)), cmd


def test_inbound_auth(starter_project):
    agent = agent_config(starter_project)
    if starter_project["auth"] == "jwt":
        lists = starter_project["jwt_lists"]
        names = {"clients": "allowedClients", "audience": "allowedAudience", "scopes": "allowedScopes"}
        assert agent.authorizer_configuration == {
            "customJWTAuthorizer": {
                "discoveryUrl": starter_project["answers"]["discovery-url"],
                **{names[kind]: values for kind, values in lists.items() if values},
            }
        }
        allowlist = (agent.request_header_configuration or {}).get("requestHeaderAllowlist", [])
        assert "Authorization" in allowlist
    else:
        assert agent.authorizer_configuration is None
        assert agent.request_header_configuration is None


def test_model_and_region_agree(project):
    """The CLI's output, agent.py, the Dockerfile and (AgentCore CLI) agentcore.json's envVars."""
    project_dir = agent_dir(project)
    model_id, region = project["model_id"], project["region"]
    variable = project["model_variable"]
    if project["model"]:  # given (an ARN): used as given
        assert model_id == project["model"]
    elif project["provider"] == "bedrock":
        assert model_id.startswith(PROFILE_PREFIX[region]), f"{model_id} for {region}"
    else:  # the provider's own ID: no region in it
        assert variable == f"{project['provider'].upper()}_MODEL_ID" and "." not in model_id.split("-")[0]
    if project["cli_model"]:
        assert project["cli_model"] == model_id, "the CLI's `model: using` line and agent.py differ"
    if project["deploy"] == "agentcore-cli":
        env_vars = {variable["name"]: variable["value"] for variable in cli_runtime(project)["envVars"]}
        assert env_vars == {variable: model_id, "AWS_REGION": region}
    agent_py = (project_dir / "agent.py").read_text()
    # Bedrock's client needs the region; an agent on a provider's API (OpenAI Agents) may not name it.
    if project["provider"] == "bedrock" or "AWS_REGION" in agent_py:
        assert f'AWS_REGION = os.environ.get("AWS_REGION", "{region}")' in agent_py
    dockerfile = (project_dir / "Dockerfile").read_text()
    found = re.findall(
        r'^\s+(AWS_REGION|AWS_DEFAULT_REGION|[A-Z]+_MODEL_ID)=("[^"]*"|\S+)', dockerfile, re.M
    )
    env = {key: value.strip('"') for key, value in found}
    assert env == {"AWS_REGION": region, "AWS_DEFAULT_REGION": region, variable: model_id}


# What hadolint said of each Dockerfile text (most projects share theirs), as one line.
HADOLINT_SAID: dict[str, str] = {}


def test_hadolint(project):
    text = (agent_dir(project) / "Dockerfile").read_text()
    if text not in HADOLINT_SAID:
        hadolint = Path(sys.executable).parent / "hadolint"
        proc = subprocess.run(
            [str(hadolint), "--no-color", "Dockerfile"],
            cwd=agent_dir(project),
            capture_output=True,
            text=True,
            timeout=60,
        )
        findings = (proc.stdout + proc.stderr).strip().splitlines()
        ok = proc.returncode == 0 and not findings
        # One line, so the e2e report can show every finding.
        HADOLINT_SAID[text] = "" if ok else f"hadolint (exit {proc.returncode}): " + " | ".join(findings)
    said = HADOLINT_SAID[text]
    assert not said, said


# What actionlint and zizmor said of each workflow text: many projects write the same bytes,
# which lint the same, so each distinct workflow is linted once.
WORKFLOW_COMPLAINTS: dict[str, list[str]] = {}


def test_workflow_lints_clean(project):
    """actionlint (shellcheck on the run: steps) and zizmor's strictest persona find nothing."""
    workflow = Path(project["dir"]) / ".github" / "workflows" / "ci.yml"
    assert workflow.is_file()
    text = workflow.read_text()
    if text not in WORKFLOW_COMPLAINTS:
        tools = Path(sys.executable).parent
        complaints = []
        for cmd in (
            [MANIFEST["actionlint"], "-shellcheck", str(tools / "shellcheck"), str(workflow)],
            [str(tools / "zizmor"), "--offline", "--persona", "pedantic", "--no-progress", str(workflow)],
        ):
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            if proc.returncode != 0:
                said = (proc.stdout + proc.stderr).strip().splitlines()[-12:]
                complaints.append(f"{Path(cmd[0]).name}: " + " | ".join(said))
        WORKFLOW_COMPLAINTS[text] = complaints
    complaints = WORKFLOW_COMPLAINTS[text]
    assert not complaints, " / ".join(complaints)


def test_workflow_actions_are_pinned_to_commits(project):
    workflow = (Path(project["dir"]) / ".github" / "workflows" / "ci.yml").read_text()
    uses = re.findall(r"uses: (\S+)@(\S+)(?: # (\S+))?", workflow)
    assert uses, "the workflow uses no action"
    for action, ref, tag in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref) and tag, f"{action}@{ref}: not a commit with its tag"


def test_the_canary_key_is_written_nowhere(project):
    """run_e2e.py set a fake API key under every provider's variable names for generation, uv
    sync and the project's own tests: no file the project holds and no line the CLI printed has it.
    """
    canary = MANIFEST["canary_key"]
    assert os.environ.get("ANTHROPIC_API_KEY") == canary, "the canary was not set for this run"
    skip = {".venv", "node_modules", ".git"}
    root = Path(project["dir"])
    leaks = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and not skip & set(path.relative_to(root).parts) and canary.encode() in path.read_bytes()
    ]
    assert not leaks, f"the key is in {leaks}"
    output = (WORK / "logs" / f"{project['id']}.generate.log").read_text(errors="replace")
    assert canary not in output, "the CLI printed the key"
