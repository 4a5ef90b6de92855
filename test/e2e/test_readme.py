"""The generated README's commands, run as written.

- "Test", in each project served over HTTP, with real uv: `uv sync` writes uv.lock and the
  project's own .venv, then pytest, ruff and hadolint run the way the README (and CI) runs them.
  Only `docker build .` is left out: scripts/container.sh builds the Dockerfile with buildah.
- "Run locally", top to bottom against the agent it starts (`agentcore dev --logs`, the real
  AgentCore CLI, for an AgentCore CLI project), with the (unsigned) token it says
  to make for JWT (private network: marker http; after "Test", whose .venv it uses).
- "How it was made", in every project: the recipe makes the same project again, and its `diff`
  finds nothing, also after "Test" left uv.lock, .venv, .ruff_cache and __pycache__ behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_helpers import MANIFEST, PROJECTS, REPLY, REPO, WORK, agent_dir, agentcore_cli_settings, log_tail, start, stop, wait_for

UV = Path(MANIFEST.get("uv") or "uv")
# The README's ready line; 0.0.0.0 where the SDK thinks it runs in a container (/.dockerenv).
# Under `agentcore dev` that line comes before the server answers: its README names another.
READY = {
    "starter-toolkit": re.compile(r"Uvicorn running on http://(127\.0\.0\.1|0\.0\.0\.0):8080"),
    "agentcore-cli": re.compile(r"Application startup complete\."),
}
# The README's way to run an agent without the AgentCore CLI (or, for a Container build, without
# the container engine `agentcore dev` builds and runs the image with, which this machine lacks).
WITHOUT_AGENTCORE_DEV = re.compile(r"without a container engine or the\s+AgentCore CLI, `([^`]+)`")


def section_blocks(readme: str, heading: str) -> list[str]:
    """The ```sh blocks of a `## heading` section, before its first subsection."""
    section = readme.split(f"\n## {heading}\n", 1)[1]
    section = re.split(r"\n##+ ", section, maxsplit=1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def shell_env(**extra: str) -> dict:
    """A user's shell: uv (and uvx) on PATH, uv's cache from this repo, no AWS settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "VIRTUAL_ENV", "UV_", "PYTHON"))}
    env.update(
        PATH=f"{UV.parent}{os.pathsep}{env['PATH']}",
        UV_CACHE_DIR=str(REPO / ".cache" / "uv"),
        UV_PYTHON=str(Path(sys.base_prefix) / "bin" / "python3"),
        UV_PYTHON_DOWNLOADS="never",
        AWS_CONFIG_FILE=str(WORK / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(WORK / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra)
    return env


def bash(script: str, cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )


def agentcore_cli_env() -> dict[str, str]:
    """The AgentCore CLI on PATH, as `npm install -g @aws/agentcore` puts it; no telemetry."""
    return {
        "PATH": f"{MANIFEST['agentcore_cli']}{os.pathsep}{UV.parent}{os.pathsep}{os.environ['PATH']}",
        **agentcore_cli_settings(),
    }


def test_the_test_section_runs_with_real_uv(http_project):
    """From the project folder, as written (an AgentCore CLI project's block starts with its cd)."""
    project = Path(http_project["dir"])
    (block,) = section_blocks((project / "README.md").read_text(), "Test")
    assert "docker build ." in block
    script = block.replace("docker build .", ": docker build, done by scripts/container.sh")
    proc = bash(script, project, shell_env())
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert (agent_dir(http_project) / "uv.lock").is_file() and (agent_dir(http_project) / ".venv").is_dir()
    assert " passed" in proc.stdout


@pytest.mark.http
def test_the_local_run_works_top_to_bottom(http_project, fake_bedrock, tmp_path):
    project = Path(http_project["dir"])
    assert (agent_dir(http_project) / ".venv").is_dir(), "needs the Test section's uv sync (the config suite runs it)"
    serve, calls = section_blocks((project / "README.md").read_text(), "Run locally")
    env = shell_env(
        UV_OFFLINE="1",  # private network: the project is synced already
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=fake_bedrock,
        AWS_ACCESS_KEY_ID="AKIDE2ETEST",
        AWS_SECRET_ACCESS_KEY="e2e-secret",
        AWS_REGION=http_project["region"],
        **(agentcore_cli_env() if http_project["deploy"] == "agentcore-cli" else {}),
    )
    readme = (project / "README.md").read_text()
    if http_project["build"] == "Container":
        assert "agentcore dev --logs" in serve and "needs Docker" in readme
        serve = WITHOUT_AGENTCORE_DEV.search(" ".join(readme.split())).group(1)
    log = WORK / "logs" / f"{http_project['id']}.readme-run.log"
    agent = start(["bash", "-c", serve], cwd=project, env=env, log=log)
    ready = READY[http_project["deploy"]]
    try:
        wait_for(lambda: ready.search(log.read_text(errors="replace")), 120, "the README's ready line", agent, log)
        proc = bash(calls, project, env, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        # curl prints the ping's JSON with no line break, then the invocation's answer.
        ping, end = json.JSONDecoder().raw_decode(proc.stdout)
        assert ping["status"] == "Healthy"
        answer = proc.stdout[end:].strip()
        if http_project["streaming"]:
            events = [json.loads(line[len("data: "):]) for line in answer.splitlines() if line.startswith("data: ")]
            assert "".join(events) == REPLY, answer
        else:
            body = json.loads(answer)
            assert body["result"] == REPLY, answer
            if http_project["auth"] == "jwt":
                assert body["user"] == "alice"  # the README's `identity.py alice`
    finally:
        stop(agent)
    assert "Traceback" not in log_tail(log, 200)


# The recipe runs the CLI again from the project's record: on the projects that get the slow
# checks (run_e2e.py), which cover every framework, provider, deploy target and feature.
REGENERATED = [p for p in PROJECTS if p["representative"]]


@pytest.mark.parametrize("regenerated", REGENERATED, ids=[p["id"] for p in REGENERATED])
def test_the_regeneration_recipe_finds_no_difference(regenerated, tmp_path):
    directory = Path(regenerated["dir"])
    (block,) = section_blocks((directory / "README.md").read_text(), "How it was made")
    # npx would fetch the published package; this runs the packed CLI of this run instead.
    shim = tmp_path / "bin" / "npx"
    shim.parent.mkdir()
    shim.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = "create-agentcore@{MANIFEST["version"]}" ] || {{ echo "npx shim: got $1" >&2; exit 2; }}\n'
        f'shift; exec "{MANIFEST["cli"]}" "$@"\n'
    )
    shim.chmod(0o755)
    shutil.rmtree(directory.parent / "regenerated" / directory.name, ignore_errors=True)
    env = shell_env(PATH=f"{shim.parent}{os.pathsep}{os.environ['PATH']}")
    # The CLI reports what it made; what diff prints comes after the marker.
    script = block.replace("\ndiff -r", "\necho '--- diff'\ndiff -r", 1)
    proc = bash(script, directory, env, timeout=120)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert proc.stdout.split("--- diff\n", 1)[1] == "", proc.stdout[-3000:]


def test_the_readme_says_how_long_a_conversation_lives(project):
    """In memory until the runtime session ends; `agentcore invoke` keeps reusing its session id."""
    readme = (Path(project["dir"]) / "README.md").read_text()
    section = readme.split("\n### Conversations and sessions\n", 1)[1].split("\n#", 1)[0]
    # The starter toolkit keeps the session id it last used in .bedrock_agentcore.yaml.
    starter = ("agent_session_id",) if project["deploy"] == "starter-toolkit" else ()
    for fact in ("15 minutes", "8 hours", "--session-id", "take turns", *starter):
        assert fact in " ".join(section.split()), fact
