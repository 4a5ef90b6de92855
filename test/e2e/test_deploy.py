"""`agentcore deploy` of the real starter toolkit, against a loopback AWS (test/support/fake_aws.py).

Settles how a project without --account deploys: its `.bedrock_agentcore.yaml` carries
`account: null`, which the toolkit's load_config fills in from STS GetCallerIdentity, so deploy
gets past validate() to its first call that is not STS (creating the ECR repository); with the
key left out instead, deploy stops at "Missing 'aws.account'". The same holds after the README's
`agentcore configure` line, which must also keep the project's settings.

Runs in the private network (marker http): nothing here can reach AWS.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from e2e_helpers import STARTER_PROJECTS, WORK
from fake_aws import ACCOUNT, FakeAws

pytestmark = pytest.mark.http

# One project without an account per auth mode: with JWT, configure must keep the authorizer.
DEPLOYED = [
    next(p for p in STARTER_PROJECTS if not p["account"] and p["auth"] == auth and not p["template_args"])
    for auth in ("iam", "jwt")
    if any(not p["account"] and p["auth"] == auth and not p["template_args"] for p in STARTER_PROJECTS)
]


@pytest.fixture(params=DEPLOYED, ids=[p["id"] for p in DEPLOYED])
def deployable(request, tmp_path):
    """A copy of the project (deploy and configure write into it) and the loopback AWS."""
    project = request.param
    copy = tmp_path / project["agent_name"]
    shutil.copytree(project["dir"], copy)
    fake = FakeAws().start()
    yield project, copy, fake
    fake.shutdown()


def agentcore(cwd: Path, fake: FakeAws, region: str, *command: str, shell: str | None = None):
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(cwd.parent),
        "LANG": "C.UTF-8",
        "AWS_ENDPOINT_URL": fake.url,
        "AWS_ACCESS_KEY_ID": "AKIDE2ETEST",
        "AWS_SECRET_ACCESS_KEY": "e2e-secret",
        # The toolkit's boto3 reads the default region from here (not from AWS_REGION).
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": str(WORK / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(WORK / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AGENTCORE_SUPPRESS_RECOMMENDATION": "1",
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    cmd = ["bash", "-c", shell] if shell else ["agentcore", *command]
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    return proc.returncode, proc.stdout + proc.stderr


def first_call_past_sts(fake: FakeAws) -> dict | None:
    return next((call for call in fake.calls if call["service"] != "sts"), None)


def test_deploy_right_after_generation_fills_the_account_from_sts(deployable):
    project, copy, fake = deployable
    aws = yaml.safe_load((copy / ".bedrock_agentcore.yaml").read_text())["agents"][project["agent_name"]]["aws"]
    assert "account" in aws and aws["account"] is None
    status, output = agentcore(copy, fake, project["region"], "deploy")
    assert {"service": "sts", "operation": "GetCallerIdentity"} in fake.calls, output
    assert first_call_past_sts(fake) == {"service": "ecr", "operation": "DescribeRepositories"}, output
    assert f"to account {ACCOUNT}" in output
    assert "Missing 'aws.account'" not in output
    assert status != 0  # the stand-in refuses ECR: deploy stops there


def test_without_the_account_key_deploy_stops_before_any_call(deployable):
    project, copy, fake = deployable
    config = copy / ".bedrock_agentcore.yaml"
    config.write_text(re.sub(r"^ +account: null\n", "", config.read_text(), flags=re.M))
    status, output = agentcore(copy, fake, project["region"], "deploy")
    assert "Missing 'aws.account'" in output
    assert first_call_past_sts(fake) is None
    assert status != 0


def test_the_readme_configure_line_keeps_the_settings_and_deploy_goes_on(deployable):
    project, copy, fake = deployable
    readme = (copy / "README.md").read_text()
    configure = re.search(r"^agentcore configure .+$", readme, re.M)
    assert configure, "the README has no `agentcore configure` line"
    before = yaml.safe_load((copy / ".bedrock_agentcore.yaml").read_text())["agents"][project["agent_name"]]
    status, output = agentcore(copy, fake, project["region"], shell=configure.group(0))
    assert status == 0, output
    after = yaml.safe_load((copy / ".bedrock_agentcore.yaml").read_text())["agents"][project["agent_name"]]
    assert after["aws"]["account"] == ACCOUNT
    for key in ("platform", "deployment_type", "authorizer_configuration", "request_header_configuration"):
        assert after.get(key) == before.get(key), key
    assert after["aws"]["region"] == before["aws"]["region"]
    assert after["memory"]["mode"] == "NO_MEMORY"

    fake.calls.clear()
    status, output = agentcore(copy, fake, project["region"], "deploy")
    assert first_call_past_sts(fake) == {"service": "ecr", "operation": "DescribeRepositories"}, output
