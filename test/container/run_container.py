#!/usr/bin/env python3
"""Generated Dockerfiles, built and run for real. Run it through `bash scripts/container.sh`.

For each case below (every framework, on its default provider; streaming on for one):
  1. Generate a project with the built CLI (node index.cjs … --region us-west-2), for each deploy
     target in turn (TARGETS), plus a few files a user's working copy has and .dockerignore must
     keep out of the image (.env, .venv, .git); `uv lock`, as the README says to. The build
     context is the agent's folder: the project, or app/<agent>/ for the AgentCore CLI.
  2. Build its Dockerfile with buildah (vfs storage, chroot isolation, --pull=never) on a stand-in
     for the base image (standin.py: Debian 12 + Python 3.11 + uv, cached in .cache/container/).
  3. Check the image: what its WorkingDir holds (.dockerignore), its size, and that every
     distribution in its environment has the version uv.lock pins (and none the lock pins for
     every platform is missing).
  4. Run the image's own command (Entrypoint + Cmd, as its USER) in a private network namespace
     (serve.py), with the loopback Bedrock stand-in (or the provider's, and its key in the
     environment), and check from outside: GET /ping is Healthy; POST /invocations answers the
     stand-in's reply; the model ID that reached it is the one the CLI resolved
     (us.anthropic.claude-haiku-5-5 on Bedrock; the provider's with its key); the process runs as
     uid 1000 and was started by opentelemetry-instrument; it listens on 0.0.0.0, not 127.0.0.1 only.
  5. Stop everything it started (by process id), remove the image; one line per case; exit 1 on
     any failure.
Two more cases must not build: one without uv.lock (the Dockerfile's one-line message naming
`uv lock`) and one whose pyproject.toml changed after locking (uv sync --locked refuses).

What the stand-in cannot speak for (CPU architecture, Python version) is printed with the results.
Nothing here calls AWS: the agent's network namespace has loopback only.

Options: --only SUBSTRING (repeatable), --keep (keep images and projects), --rebuild-base.
"""

from __future__ import annotations

import argparse
import ast
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from buildah import Buildah, BuildahError  # noqa: E402
from serve import cmdline, proc_stat  # noqa: E402
from standin import CAVEATS, STANDIN_SUMMARY, ensure_standin  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from canary import CANARY_KEY, KEY_NAMES  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support" / "providers"))
from standins import BASE_URL  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# The stand-in base image and buildah's storage; CONTAINER_CACHE_DIR moves it (e.g. to a folder a
# CI cache keeps, since a clean clone has no .cache/).
CACHE = Path(os.environ.get("CONTAINER_CACHE_DIR") or ROOT / ".cache" / "container").resolve()
WORK = CACHE / "work"  # generated projects and logs of the last run (cleaned at the start)
LOGS = WORK / "logs"
FAKE_BEDROCK = ROOT / "test" / "support" / "fake_bedrock.py"
SERVE = Path(__file__).resolve().parent / "serve.py"

REGION = "us-west-2"
# What the CLI resolves the default model to in us-west-2: Claude Haiku 5.5 is served there only
# through the US cross-region inference profile, so the prefix is part of the ID.
EXPECTED_MODEL_ID = "us.anthropic.claude-haiku-5-5"
REPLY = "Hello from the fake Bedrock, inside a container — ünïcode too."
PROMPT = "Say hello from inside the container."
SESSION = "container-test-session-0123456789abcdef0123"  # real ones are 33-256 characters
BUILD_TIMEOUT = 20 * 60
SERVE_TIMEOUT = 5 * 60
IMAGE_REPOSITORY = "localhost/create-agentcore-test"

# Files a user's project folder typically holds that must not end up in the image.
DECOYS = {
    ".env": f"AWS_SECRET_ACCESS_KEY=decoy-that-must-not-reach-the-image\nANTHROPIC_API_KEY={CANARY_KEY}\n",
    ".venv/pyvenv.cfg": "home = /usr/bin\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    "__pycache__/agent.cpython-311.pyc": "",
}
# Generated files the image must not hold either (the starter toolkit's .dockerignore rules).
NOT_IN_IMAGE = [".env", ".git", "__pycache__", "tests", ".bedrock_agentcore.yaml"]
IN_IMAGE = ["agent.py", "pyproject.toml", "uv.lock", ".venv"]  # .venv: the image's own, from uv sync


# Every combination of the option registry, written by `npm run build` (src/combinations.ts).
COMBINATIONS = ROOT / ".cache" / "build" / "combinations.json"


# Where the cases' agents deploy, in turn: the AgentCore CLI's Container build first (the image
# `agentcore deploy` builds), then the starter toolkit, then a CodeZip build (its Dockerfile is for
# local runs and CI).
TARGETS = [
    ("cli-container", {"deploy": "agentcore-cli", "build": "Container"}),
    ("starter", {"deploy": "starter-toolkit"}),
    ("cli-codezip", {"deploy": "agentcore-cli", "build": "CodeZip"}),
]


@dataclass
class Case:
    framework: str
    # The combination's flags (src/combinations.ts).
    flags: list[str]
    streaming: bool = False
    target: str = "starter"  # a name of TARGETS
    # "fresh": `uv lock` before the build, as the README says; "missing": no uv.lock; "stale": a
    # dependency added to pyproject.toml after locking. The last two must fail to build.
    lock: str = "fresh"
    provider: str = "bedrock"
    model_id: str = EXPECTED_MODEL_ID  # a provider's: the one the project's record names

    @property
    def name(self) -> str:
        provider = "" if self.provider == "bedrock" else f"-{self.provider}"
        return f"{self.framework}{provider}-{self.target}" + ("-streaming" if self.streaming else "") + {
            "fresh": "", "missing": "-no-lock", "stale": "-stale-lock"}[self.lock]


def cases() -> list[Case]:
    """One case per framework of the registry on its default provider (Bedrock, or the first it
    supports: OpenAI Agents calls OpenAI), with IAM and no background tasks; the first streams;
    their deploy targets in turn (TARGETS). Then the first case twice more, without uv.lock and
    with a stale one: both must not build. Every image is searched for the canary; at least one
    project called with an API key is among them (else Strands on the Anthropic API is added), as
    its image is where a key could be left."""
    if not COMBINATIONS.exists():
        sys.exit(f"container: {COMBINATIONS.relative_to(ROOT)} is missing: run npm run build first")
    combos = json.loads(COMBINATIONS.read_text())

    def case(framework: str, provider: str, streaming: bool, turn: int) -> Case:
        """On the target of this turn, or the next one the framework takes (CrewAI: no code zip)."""
        for target, answers in TARGETS[turn:] + TARGETS[:turn]:
            for c in combos:
                if (
                    c["answers"]["framework"] == framework
                    and c["answers"]["provider"] == provider
                    and c["answers"]["auth"] == "iam"
                    and c["answers"]["streaming"] == streaming
                    and not c["answers"]["async-task"]
                    and all(c["answers"].get(key) == value for key, value in answers.items())
                ):
                    return Case(framework, c["flags"], streaming, target, provider=provider)
        sys.exit(f"container: no combination of {framework} on {provider} to build")

    found: list[Case] = []
    defaults = {}  # each framework's first provider, in the registry's order: its default
    for combo in combos:
        defaults.setdefault(combo["answers"]["framework"], combo["answers"]["provider"])
    for index, (framework, provider) in enumerate(defaults.items()):
        found.append(case(framework, provider, not found, index % len(TARGETS)))
    first = found[0]
    locks = [Case(first.framework, first.flags, first.streaming, first.target, lock) for lock in ("missing", "stale")]
    keyed = [] if any(c.provider != "bedrock" for c in found) else [case("strands", "anthropic", False, 0)]
    return [*found, *locks, *keyed]


# The one line a build without uv.lock must fail with, and what uv says of a stale lock.
MISSING_LOCK = "uv.lock is missing: run 'uv lock' in the project, then build again"
STALE_LOCK = "needs to be updated, but `--locked` was provided"
UV = os.environ.get("UV", "uv")  # scripts/container.sh sources scripts/pyenv.sh, which sets it
# What `uv sync --no-dev` installs in the image, as uv.lock pins it.
EXPORT = ["export", "--locked", "--no-dev", "--no-emit-project",
          "--no-hashes", "--no-header", "--no-annotate", "--format", "requirements-txt"]


@dataclass
class Result:
    case: Case
    build_secs: float | None = None
    start_secs: float | None = None
    create_secs: float | None = None
    size: str = "-"
    facts: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


class CaseFailure(Exception):
    """Stops a case; its message says what went wrong."""


def tail(text: str, lines: int = 20) -> str:
    return "\n".join("    | " + line for line in text.rstrip().splitlines()[-lines:])


def say(message: str) -> None:
    print(f"[container] {message}", flush=True)


# --- the Dockerfile ------------------------------------------------------------------------

def instructions(dockerfile: str) -> list[list[str]]:
    """The Dockerfile's instructions as word lists (continuations joined, comments dropped)."""
    lines = [line for line in dockerfile.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [line.split() for line in joined.splitlines() if line.strip()]


def base_images(dockerfile: str) -> list[str]:
    """Every image the Dockerfile takes from outside: FROM lines, and COPY --from=<image>."""
    stages, images = set(), []
    for words in instructions(dockerfile):
        keyword, args = words[0].upper(), [w for w in words[1:] if not w.startswith("--")]
        if keyword == "FROM" and args:
            if len(args) >= 3 and args[1].upper() == "AS":
                stages.add(args[2].lower())
            if args[0].lower() not in stages and args[0] != "scratch":
                images.append(args[0])
        elif keyword in ("COPY", "ADD"):
            for word in words[1:]:
                ref = word[len("--from="):] if word.startswith("--from=") else None
                if ref and ref.lower() not in stages and not ref.isdigit():
                    images.append(ref)
    for image in images:
        if "$" in image:
            raise CaseFailure(f"the Dockerfile names its base image with a build argument ({image}); "
                              "the test cannot tell which image to stand in for")
    return images


def names_for(image: str) -> list[str]:
    """The name as written, and the docker.io name buildah resolves a short name to."""
    first = image.split("/")[0] if "/" in image else ""
    if "." in first or ":" in first or first == "localhost":  # it names its registry
        return [image]
    return [image, f"docker.io/{image if '/' in image else 'library/' + image}"]


def build_failure(log: Path) -> str:
    """Which step failed and why, from buildah's build output."""
    text = log.read_text(errors="replace")
    steps = re.findall(r"^STEP (\d+/\d+): (.*)$", text, re.M)
    errors = [line for line in text.splitlines() if line.startswith(("Error:", "error "))]
    where = f'at STEP {steps[-1][0]} "{steps[-1][1]}"' if steps else "before its first step"
    why = errors[-1] if errors else "(no error line)"
    return f"the Dockerfile failed to build {where}:\n    {why}\n  last lines of {log}:\n{tail(text, 8)}"


# --- one case ------------------------------------------------------------------------------

def agent_folder(project: Path) -> Path:
    """The Dockerfile's folder: the project (starter toolkit), or the runtime's codeLocation in
    agentcore/agentcore.json (AgentCore CLI: app/<agent>/)."""
    config = project / "agentcore" / "agentcore.json"
    if not config.exists():
        return project
    (runtime,) = json.loads(config.read_text())["runtimes"]
    return project / runtime["codeLocation"]


def generate(case: Case) -> Path:
    """Generates the case's project; returns the agent's folder, the image's build context."""
    project = WORK / "projects" / f"cx-{case.name}"
    cmd = ["node", str(ROOT / "index.cjs"), project.name, *case.flags, "--yes",
           "--no-git", "--no-install", "--region", REGION]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}  # no host AWS settings
    proc = subprocess.run(cmd, cwd=project.parent, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    (LOGS / f"{case.name}.generate.log").write_text(f"$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    if proc.returncode != 0:
        output = tail(proc.stderr or proc.stdout)
        raise CaseFailure(f"generating the project failed (exit {proc.returncode}):\n{output}")
    if CANARY_KEY in proc.stdout + proc.stderr:
        raise CaseFailure("the CLI printed the canary key it found in the environment")
    record = json.loads((project / ".create-agentcore.json").read_text())
    case.model_id = record["answers"]["model"] if case.provider != "bedrock" else EXPECTED_MODEL_ID
    match = re.search(r"^model: using (\S+)", proc.stdout, re.M)
    if case.provider == "bedrock" and match and match.group(1) != EXPECTED_MODEL_ID:
        raise CaseFailure(f"the CLI resolved the model to {match.group(1)} for {REGION}, "
                          f"expected {EXPECTED_MODEL_ID} (update EXPECTED_MODEL_ID if that changed on purpose)")
    project = agent_folder(project)
    for relative, content in DECOYS.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    if case.lock != "missing":
        proc = subprocess.run([UV, "lock", "--quiet"], cwd=project, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise CaseFailure(f"uv lock failed:\n{tail(proc.stderr or proc.stdout)}")
    if case.lock == "stale":
        pyproject = project / "pyproject.toml"
        pyproject.write_text(pyproject.read_text().replace("dependencies = [\n", 'dependencies = [\n    "six>=1.16",\n', 1))
    return project


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


INSTALLED = "import importlib.metadata as m, json; print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"


def check_locked_versions(bh: Buildah, container: str, project: Path) -> tuple[list[str], str]:
    """Failures, and a fact: every distribution in the image's environment has the version
    uv.lock pins, and every package the lock pins unconditionally for the image is there."""
    out = bh.run("run", "--isolation", "chroot", container, "--", "python", "-c", INSTALLED, timeout=120)
    installed = {normalized(name): version for name, version in json.loads(out).items()}
    locked: dict[str, set[str]] = {}
    for package in tomllib.loads((project / "uv.lock").read_text())["package"]:
        locked.setdefault(normalized(package["name"]), set()).add(package.get("version", ""))
    # The groups the Dockerfile installs besides the dependencies: the starter toolkit's image adds
    # "observability" (the AgentCore CLI's projects have the distro among their dependencies).
    groups = tomllib.loads((project / "pyproject.toml").read_text()).get("dependency-groups", {})
    extra = ["--group", "observability"] if "observability" in groups else []
    export = subprocess.run([UV, *EXPORT, *extra], cwd=project, capture_output=True, text=True, timeout=120, check=True)
    required = {}
    for line in export.stdout.splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==(\S+)$", line.strip())  # no marker: needed anywhere
        if match:
            required[normalized(match.group(1))] = match.group(2)
    failures = [
        f"the image has {name} {version}, uv.lock pins {sorted(locked.get(name, set())) or 'nothing'}"
        for name, version in sorted(installed.items()) if version not in locked.get(name, set())
    ]
    failures += [
        f"the image lacks {name} {version}, which uv.lock pins"
        for name, version in sorted(required.items()) if installed.get(name) != version
    ]
    fact = (f"versions: all {len(installed)} distributions in the image as uv.lock pins them "
            f"(e.g. opentelemetry-api {installed.get('opentelemetry-api', '-')})")
    return failures, fact


def expected_build_failure(case: Case, log: Path) -> str:
    """The line a build of this case must fail with (the case must not build at all)."""
    text = log.read_text(errors="replace")
    expected = MISSING_LOCK if case.lock == "missing" else STALE_LOCK
    # The line the failing command printed, not buildah's echo of the RUN instruction.
    said = (lambda line: line.strip() == MISSING_LOCK) if case.lock == "missing" else (
        lambda line: line.startswith("error: ") and STALE_LOCK in line)
    lines = [line for line in text.splitlines() if said(line)]
    if not lines:
        raise CaseFailure(f"the build failed, but without saying {expected!r}:\n{tail(text, 12)}")
    return lines[0].strip()


def check_image_contents(bh: Buildah, container: str, workdir: str) -> list[str]:
    """What .dockerignore let into the image's working directory; failures."""
    mount = Path(bh.run("mount", container).strip())
    try:
        app = mount / workdir.lstrip("/")
        present = sorted(os.listdir(app)) if app.is_dir() else []
        venv_config = app / ".venv" / "pyvenv.cfg"
        own_venv = venv_config.is_file() and venv_config.read_text() != DECOYS[".venv/pyvenv.cfg"]
    finally:
        bh.run("umount", container, check=False)
    failures = []
    if ".venv" in present and not own_venv:
        failures.append(f"the image's {workdir}.venv is the working copy's, which .dockerignore should leave out")
    if missing := [name for name in IN_IMAGE if name not in present]:
        failures.append(f"the image's {workdir} lacks {missing} (a COPY that misses them, or "
                        f".dockerignore leaving them out); it holds {present}")
    if leaked := [name for name in NOT_IN_IMAGE if name in present]:
        failures.append(f"the image's {workdir} holds {leaked}, which .dockerignore should leave out")
    return failures


def canary_in_image(bh: Buildah, container: str, image: str, build_log: Path) -> tuple[list[str], str]:
    """Where the canary key (in the environment of the whole run, and in the build context's .env)
    got into the image: any of its files, its config and history, or the build's output; failures
    and what was searched."""
    key = CANARY_KEY.encode()
    places, files, size = [], 0, 0
    mount = Path(bh.run("mount", container).strip())
    try:
        for folder, _, names in os.walk(mount):
            for name in names:
                path = Path(folder) / name
                if path.is_symlink() or not path.is_file():
                    continue
                data = path.read_bytes()
                files, size = files + 1, size + len(data)
                if key in data:
                    places.append("/" + str(path.relative_to(mount)))
    finally:
        bh.run("umount", container, check=False)
    if CANARY_KEY in bh.run("inspect", image):
        places.append("the image's config or history")
    if CANARY_KEY in build_log.read_text(errors="replace"):
        places.append(f"the build's output ({build_log.name})")
    searched = f"canary: searched the image's {files} files ({size / 1e6:.0f} MB), config, history and build output"
    return ([f"the canary key is in {', '.join(places[:5])}"] if places else []), searched


def provider_spec(case: Case) -> dict:
    """What serve.py needs to stand in for the case's model provider, and the answer it gives."""
    if case.provider == "bedrock":
        return {"reply": REPLY}
    api_key = (agent_folder(WORK / "projects" / f"cx-{case.name}") / "api_key.py").read_text()
    variables = ast.literal_eval(re.search(r"^KEY_VARIABLES = (\[.*\])$", api_key, re.M).group(1))
    base_url_variable, suffix = BASE_URL[case.provider]
    return {
        "reply": f"Hello from {case.provider} stand-in: {PROMPT}",  # what every stand-in answers
        "key_variable": variables[-1],  # the provider's own (ANTHROPIC_API_KEY), as a local run has it
        "base_url_variable": base_url_variable,
        "base_url_suffix": suffix,
    }


def serve(bh: Buildah, case: Case, container: str, config: dict, result: Result) -> None:
    """Run serve.py in a fresh network namespace; stop it and whatever it started if need be."""
    spec_path, result_path = LOGS / f"{case.name}.serve-spec.json", LOGS / f"{case.name}.serve-result.json"
    pidfile = LOGS / f"{case.name}.pids"
    pidfile.write_text("")
    spec_path.write_text(json.dumps({
        "case": case.name, "cache": str(CACHE), "container": container,
        "command": (config.get("Entrypoint") or []) + (config.get("Cmd") or []),
        "user": config.get("User", ""),
        "image_env": dict(item.split("=", 1) for item in config.get("Env") or [] if "=" in item),
        "streaming": case.streaming, "prompt": PROMPT, "session": SESSION,
        "provider": case.provider, "expected_model_id": case.model_id, "fake_bedrock": str(FAKE_BEDROCK),
        "logs": str(LOGS), "pidfile": str(pidfile),
        **provider_spec(case),
    }, indent=2))
    proc = subprocess.Popen(["unshare", "--net", "--", sys.executable, str(SERVE), str(spec_path), str(result_path)],
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(SERVE_TIMEOUT)
    except subprocess.TimeoutExpired:
        result.failures.append(f"running the image took more than {SERVE_TIMEOUT}s; stopped")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # serve.py stops what it started, then exits
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        # Should serve.py have been killed before it could, stop what it started ourselves.
        for line in pidfile.read_text().splitlines():
            pid, start = line.split()
            stat = proc_stat(int(pid))
            if stat and stat[1] == start:  # the same process, not a new one with a reused pid
                command = " ".join(cmdline(int(pid)))[:120]
                try:
                    os.killpg(int(pid), signal.SIGKILL)  # a group leader: it and what it started
                except ProcessLookupError:
                    os.kill(int(pid), signal.SIGKILL)
                result.failures.append(f"process {pid} ({command}) was still running after the test; killed")
    if proc.returncode not in (0, None) and not result_path.exists():
        result.failures.append(f"serve.py exited with {proc.returncode} without a result")
    if result_path.exists():
        outcome = json.loads(result_path.read_text())
        result.start_secs = outcome["start_secs"]
        result.facts += outcome["facts"]
        result.failures += outcome["failures"]


def run_case(bh: Buildah, standin: str, case: Case, keep: bool) -> Result:
    result = Result(case)
    laps, last = [], time.monotonic()

    def lap(name: str) -> None:
        nonlocal last
        now = time.monotonic()
        laps.append(f"{name} {now - last:.1f}s")
        last = now

    image = f"{IMAGE_REPOSITORY}/{case.name}:latest"
    container = f"create-agentcore-test-{case.name}-{os.getpid()}"
    try:
        project = generate(case)
        lap("generate")
        dockerfile = (project / "Dockerfile").read_text()
        for base in base_images(dockerfile):
            for name in names_for(base):
                bh.run("tag", standin, name)
            result.facts.append(f"stand-in tagged as {base}")

        say(f"{case.name}: building {project / 'Dockerfile'}")
        started = time.monotonic()
        build_log = LOGS / f"{case.name}.build.log"
        status = bh.run_logged(
            # --layers=false (buildah's default, spelled out): every step runs in one working
            # container that is committed once; with vfs, caching each layer would copy the
            # whole file system per step.
            "build", "--pull=never", "--isolation", "chroot", "--layers=false", "--force-rm",
            "-f", str(project / "Dockerfile"), "-t", image, str(project),
            log=build_log, timeout=BUILD_TIMEOUT,
        )
        result.build_secs = time.monotonic() - started
        lap("build")
        if case.lock != "fresh":
            if status == 0:
                raise CaseFailure(f"the image built with a {case.lock} uv.lock; the build must stop")
            result.facts.append(f"the build stopped as it should: {expected_build_failure(case, build_log)}")
            return result
        if status != 0:
            raise CaseFailure(build_failure(build_log))
        result.size = bh.image_size(image)
        config = bh.image_config(image)
        result.facts.append(f"image Cmd {config.get('Cmd')}, Entrypoint {config.get('Entrypoint')}, "
                            f"User {config.get('User')!r}, WorkingDir {config.get('WorkingDir')!r}, "
                            f"ExposedPorts {sorted(config.get('ExposedPorts') or {})}")
        if "8080/tcp" not in (config.get("ExposedPorts") or {}):
            result.failures.append("the image does not EXPOSE 8080, AgentCore's HTTP protocol port")
        lap("inspect")

        started = time.monotonic()
        bh.run("from", "--pull=never", "--name", container, image, timeout=300)
        result.create_secs = time.monotonic() - started
        lap("create container")
        result.failures += check_image_contents(bh, container, config.get("WorkingDir") or "/")
        failures, fact = check_locked_versions(bh, container, project)
        result.failures += failures
        result.facts.append(fact)
        failures, searched = canary_in_image(bh, container, image, build_log)
        result.failures += failures
        result.facts.append(searched)
        lap("check contents, versions and the canary")
        say(f"{case.name}: running {config.get('Cmd')} as user {config.get('User') or 'root (no USER)'}")
        serve(bh, case, container, config, result)
        lap("run and check")
    except CaseFailure as error:
        result.failures.append(str(error))
    except (BuildahError, OSError, subprocess.SubprocessError) as error:
        result.failures.append(f"{type(error).__name__}: {error}")
    finally:
        bh.remove_container(container)
        if not keep:
            bh.remove_image(image)
        lap("clean up")
        result.facts.append("timings: " + ", ".join(laps))
    return result


# --- the run -------------------------------------------------------------------------------

def secs(value: float | None) -> str:
    return f"{value:6.1f}s" if value is not None else "      -"


def summary_line(r: Result) -> str:
    start = secs(r.start_secs + (r.create_secs or 0) if r.start_secs is not None else None)
    return (f"{r.case.name:44} build {secs(r.build_secs)}   start {start}   "
            f"image {r.size:>8}   {'PASS' if r.passed else 'FAIL'}")


def preflight() -> None:
    if os.geteuid() != 0:
        sys.exit("container: needs root (run it through scripts/container.sh)")
    for tool in ("buildah", "debootstrap", "unshare", "ip", "node"):
        if not shutil.which(tool):
            sys.exit(f"container: {tool} is not installed (scripts/container.sh installs it)")
    if not (ROOT / "dist").is_dir():
        sys.exit("container: dist/ is missing: run `npm run build` first")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", default=[], help="run cases whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the built images and generated projects")
    ap.add_argument("--rebuild-base", action="store_true", help="remake the cached stand-in base image")
    args = ap.parse_args(argv)
    every = cases()
    selected = [c for c in every if not args.only or any(o in c.name for o in args.only)]
    if not selected:
        sys.exit(f"container: no case matches {args.only}; cases: {[c.name for c in every]}")

    preflight()
    # The canary: every key a provider may read is set for the whole run (see canary_in_image).
    os.environ.update(dict.fromkeys(KEY_NAMES, CANARY_KEY))
    # SIGTERM unwinds like Ctrl-C, so every finally below stops what it started.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    began = time.monotonic()
    CACHE.mkdir(parents=True, exist_ok=True)
    lock = open(CACHE / "lock", "w")  # locked until this process ends
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"container: another run is using {CACHE}; wait for it to finish")
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "projects").mkdir(parents=True)
    LOGS.mkdir(parents=True)
    bh = Buildah(CACHE)
    bh.remove_all_containers()  # leftovers of an interrupted run, in this test's own storage

    say("stand-in base image …")
    started = time.monotonic()
    try:
        standin, how = ensure_standin(bh, CACHE, LOGS, rebuild=args.rebuild_base)
    except (BuildahError, RuntimeError, OSError, subprocess.SubprocessError) as error:
        print(f"container: could not make the stand-in base image: {error}", file=sys.stderr)
        return 1
    standin_note = f"{how}, {time.monotonic() - started:.1f}s"
    say(f"stand-in {standin} ({standin_note})")
    for caveat in CAVEATS:
        say(f"caveat: {caveat}")

    results = []
    for case in selected:
        try:
            result = run_case(bh, standin, case, args.keep)
        except (KeyboardInterrupt, SystemExit):
            say(f"{case.name}: interrupted; what it started is stopped, its container and image removed")
            raise
        results.append(result)
        say(summary_line(result))
        for fact in result.facts:
            print(f"    {fact}", flush=True)
        for failure in result.failures:
            print(f"  FAIL {failure}", flush=True)
    if not args.keep:
        shutil.rmtree(WORK / "projects", ignore_errors=True)

    print(f"\ncontainer test: stand-in base image ({standin_note}): {STANDIN_SUMMARY}")
    print("build: buildah build; start: create the container + run its command until GET /ping is Healthy; "
          "image: uncompressed size")
    for result in results:
        print(summary_line(result))
    failed = [r.case.name for r in results if not r.passed]
    print(f"{len(results) - len(failed)}/{len(results)} passed in {time.monotonic() - began:.0f}s"
          + (f"; failed: {', '.join(failed)} (logs in {LOGS})" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
