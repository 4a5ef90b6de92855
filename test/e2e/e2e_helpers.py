"""Process and manifest helpers for the e2e suite (imported by conftest.py and the tests)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from processes import stop_group  # noqa: E402

MANIFEST_PATH = os.environ.get("E2E_MANIFEST")
MANIFEST = json.loads(Path(MANIFEST_PATH).read_text()) if MANIFEST_PATH else {"projects": []}
PROJECTS: list[dict] = MANIFEST["projects"]
# Projects by deploy target: the starter toolkit's `.bedrock_agentcore.yaml`, or the AgentCore
# CLI's agentcore/ (checked in test_agentcore_cli.py).
STARTER_PROJECTS = [p for p in PROJECTS if p["deploy"] == "starter-toolkit"]
WORK = Path(MANIFEST_PATH).parent if MANIFEST_PATH else None
REPO = Path(__file__).resolve().parents[2]
# What the loopback Bedrock answers every agent in these tests.
REPLY = "Hello from the fake Bedrock — ünïcode, and a few more words."
sys.path.insert(0, str(REPO / "test" / "support" / "providers"))
from standins import BASE_URL as PROVIDER_BASE_URL  # noqa: E402, F401 (the tests import it from here)


def answers_the_prompt(answer: str, provider: str, prompt: str) -> bool:
    """Whether `answer` is the provider stand-in's reply to a user turn ending with `prompt`: it
    echoes the turn, which a framework may lead with words of its own (CrewAI: "Current Task: ")."""
    return answer.startswith(f"Hello from {provider} stand-in: ") and answer.endswith(prompt)


def provider_standin(provider: str):
    """The module of the provider's loopback stand-in (test/support/providers/standins)."""
    from standins import anthropic_standin, gemini_standin, openai_standin

    return {"anthropic": anthropic_standin, "openai": openai_standin, "gemini": gemini_standin}[provider]


def agent_env(project: dict, **extra: str) -> dict[str, str]:
    """What `python agent.py` runs with here: the project's venv first on PATH, dummy AWS
    credentials, no AWS config of this machine, and `extra` (the endpoints a test points at)."""
    python = Path(project["venv"]) / "bin" / "python"
    return {
        "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "AWS_ACCESS_KEY_ID": "AKIDE2ETEST",
        "AWS_SECRET_ACCESS_KEY": "e2e-secret",
        "AWS_REGION": project["region"],
        "AWS_CONFIG_FILE": str(WORK / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(WORK / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def cli_config(project: dict) -> dict:
    """An AgentCore CLI project's agentcore/agentcore.json."""
    return json.loads((Path(project["dir"]) / "agentcore" / "agentcore.json").read_text())


def cli_runtime(project: dict) -> dict:
    """The one runtime of an AgentCore CLI project's agentcore.json."""
    (runtime,) = cli_config(project)["runtimes"]
    return runtime


def agentcore_cli_settings() -> dict[str, str]:
    """What every run of the real AgentCore CLI here gets: no telemetry, its settings in WORK."""
    return {"AGENTCORE_TELEMETRY_DISABLED": "1", "AGENTCORE_CONFIG_DIR": str(WORK / "agentcore-config")}


def agent_dir(project: dict) -> Path:
    """The agent's uv project: the project itself (starter toolkit) or app/<agent> (AgentCore CLI)."""
    return Path(project["dir"]) / project["agent_dir"]


def loopback_up() -> None:
    """Bring up `lo` in a fresh network namespace (what `ip link set lo up` does)."""
    import fcntl
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s, siocgifflags, request)[:18])[1]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))


# --- processes -----------------------------------------------------------------------------


def start(cmd: list, cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    """A child in its own process group (so stop() ends it and anything it started)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(c) for c in cmd],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(proc: subprocess.Popen | None) -> None:
    """Stops a child started by start(), and whatever it spawned."""
    if proc is not None:
        stop_group(proc)


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.rstrip().splitlines()[-lines:])


def wait_for(check, timeout: float, what: str, proc: subprocess.Popen | None = None, log: Path | None = None):
    """Poll check() until it returns a truthy value; fail early if `proc` exits."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"{what}: the process exited with {proc.returncode}:\n{log_tail(log) if log else ''}")
        try:
            value = check()
            if value:
                return value
        except Exception as error:  # not up yet
            last_error = error
        time.sleep(0.1)
    pytest.fail(f"{what}: not ready after {timeout:.0f}s ({last_error!r})\n{log_tail(log) if log else ''}")
