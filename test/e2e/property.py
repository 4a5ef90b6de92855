"""Property test: any valid input gives a clean project. Run by run_e2e.py, after the venvs.

For every framework, provider, deploy target and stream mode, with four pairwise-covering sets
of auth, streaming and background tasks (run_e2e.property_combinations()), a seeded generator
draws inputs at the edges of what the CLI accepts: the longest model IDs and inference-profile
ARNs in the catalog (and foundation-model and application-profile ARNs), a 48-character agent
name, unicode directory names, long descriptions full of characters every escaper must handle, a
long discovery URL, many allowed clients, audiences and scopes. The packed CLI generates each project (no formatter runs at
generation time), and the projects must pass `ruff check`, `ruff format --check` and hadolint as
they are, and name a valid Python package in pyproject.toml.

The seed is fixed (E2E_PROPERTY_SEED to change it, printed either way); CASES_PER_COMBINATION
cases per combination, at most TIME_CAP_SECONDS of generating. A failure names the case and the
command that makes it again.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import shlex
import string
import subprocess
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

SEED = int(os.environ.get("E2E_PROPERTY_SEED", "13"))
CASES_PER_COMBINATION = 1  # one fresh draw per combination: almost 400 cases
TIME_CAP_SECONDS = 240
ACCOUNT = "123456789012"

# Characters a description may hold that each escaper (TOML, YAML, Markdown, Python, shell) must
# handle; the CLI rejects none of them.
HOSTILE = [
    '"', "'", "\\", "`", "$HOME", "$(rm -rf /)", "{{x}}", "}}", "#", "*", "_", "[a](b)", "<b>",
    "&amp;", "|", "\n", "\t", "é", "ü", "日本語", "🎉", "\u00a0", "\u202e", "---", "- ", "1. ",
    ": ", "? ", "!tag", "%s", "\\u0041", '"""', "'''",
]
# Pieces of directory names: unicode, spaces and marks a file system accepts.
NAME_PIECES = ["agënt", "naïve café", "日本語のエージェント", "ağırlık", "Ωmega", "émoji🎉", "x", "d'Artagnan"]
# What an allowed client, audience or scope may hold (src/validate.ts): printable ASCII without
# quotes, backslashes or spaces; the comma separates them on the command line.
LIST_CHARS = "".join(c for c in string.printable[:94] if c not in "\"'`\\,")


@dataclass
class Case:
    combination: str
    number: int
    directory: str
    flags: list[str]
    generated: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        return shlex.join(["create-agentcore", self.directory, "--no-git", "--no-install", "--yes", *self.flags])


def catalog(root: Path) -> dict:
    """The model catalog and the answers' length limits (test/support/catalog.ts prints them)."""
    out = subprocess.run(
        ["node", "--import", "tsx", "test/support/catalog.ts"], cwd=root, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def model_inputs(data: dict, today: str) -> list[tuple[str, str]]:
    """(--model, --region) pairs the CLI accepts, longest first: profile IDs and ARNs of every model
    that is not retired, in a region its profile serves."""
    live = [m for m in data["models"] if m["state"] != "eol" and (m["eol"] is None or m["eol"] > today)]
    pairs = []
    for model in live:
        prefixes = [(geo, data["geoRegions"][geo]) for geo in model["geo"]]
        if model["global"]:
            prefixes.append(("global", ["us-east-1", "ap-southeast-1"]))
        for prefix, regions in prefixes:
            region = regions[-1]
            partition = "aws-us-gov" if region.startswith("us-gov-") else "aws"
            profile = f"{prefix}.{model['id']}"
            pairs.append((profile, region))
            pairs.append((f"arn:{partition}:bedrock:{region}:{ACCOUNT}:inference-profile/{profile}", region))
        for region in model["onDemand"]:
            partition = "aws-us-gov" if region.startswith("us-gov-") else "aws"
            pairs.append((model["id"], region))
            pairs.append((f"arn:{partition}:bedrock:{region}::foundation-model/{model['id']}", region))
    pairs.append((f"arn:aws:bedrock:ap-southeast-4:{ACCOUNT}:application-inference-profile/a1b2c3d4e5f6", "ap-southeast-4"))
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


# JWT answers the property test draws itself, instead of the registry's examples.
DRAWN = {"--discovery-url", "--allowed-clients", "--allowed-audience", "--allowed-scopes"}


def words(rng: random.Random, alphabet: str, low: int, high: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def draw(
    rng: random.Random, combo, number: int, models: list[tuple[str, str]], data: dict
) -> Case:
    """One case at the edges of valid input for this combination."""
    # The longest inputs most of the time, any of them sometimes.
    model, region = rng.choice(models[:12] if rng.random() < 0.75 else models)
    provider = combo.provider
    skip_check = False
    if provider != "bedrock":
        # A provider called with an API key: any region; one of its live models, or the longest
        # well-formed ID it does not know (a fine-tuned one), taken as given.
        today = datetime.date.today().isoformat()
        live = [m["id"] for m in data["direct"][provider] if m["eol"] is None or m["eol"] > today]
        model = rng.choice(live)
        if rng.random() < 0.4:
            model, skip_check = "ft:" + words(rng, string.ascii_letters + string.digits + "._:@/-", 125, 125), True
    directory = "-".join(rng.sample(NAME_PIECES, rng.randint(1, 3))) + f" {combo.id}-{number}"
    description = "".join(rng.choice(HOSTILE) + words(rng, string.ascii_letters, 0, 12) for _ in range(rng.randint(10, 40)))
    description = description[: data["maxLengths"]["--description"]]  # code points, as the CLI counts
    # Values as --flag=value: a value may start with "-".
    # The combination's own answers (src/combinations.ts), but for the JWT values drawn below.
    answers = combo.answer_flags
    flags = [word for i, word in enumerate(answers) if word not in DRAWN and answers[i - 1] not in DRAWN]
    flags += [f"--model={model}", f"--region={region}", f"--description={description}"]
    if skip_check:
        flags.append("--skip-model-check")
    # The longest agent name: 48 characters for the starter toolkit; the AgentCore CLI names the
    # runtime <project>_<agent>, 48 at most, so there it is what the project name leaves.
    room = 48
    if combo.answers.get("deploy") == "agentcore-cli":
        room = 46  # a project name made from the directory is cut to one character
        if rng.random() < 0.5:
            project = rng.choice(string.ascii_letters) + words(rng, string.ascii_letters + string.digits, 0, 22)
            flags.append(f"--project-name={project}")
            room = 47 - len(project)
    if rng.random() < 0.6:  # else the name comes from the unicode directory name
        name = rng.choice(string.ascii_letters) + words(rng, string.ascii_letters + string.digits + "_", room - 1, room - 1)
        if rng.random() < 0.3:  # a name may end in "_", which no package name may
            name = name[:-1] + "_"
        flags.append(f"--name={name}")
    if rng.random() < 0.5:
        flags.append(f"--account={ACCOUNT}")
    if combo.auth == "jwt":
        path = "/".join(words(rng, string.ascii_lowercase + string.digits + "-._~", 8, 40) for _ in range(rng.randint(3, 8)))
        flags.append(f"--discovery-url=https://login.{words(rng, string.ascii_lowercase, 20, 40)}.example.com/{path}/.well-known/openid-configuration")
        lists = {
            "--allowed-clients": 256, "--allowed-audience": 256, "--allowed-scopes": 255,
        }
        kept = rng.choice([["--allowed-clients"], ["--allowed-audience"], ["--allowed-clients", "--allowed-scopes"],
                           ["--allowed-clients", "--allowed-audience", "--allowed-scopes"]])
        for flag in kept:
            items = [words(rng, LIST_CHARS, 1, 64) for _ in range(rng.randint(1, 20))]
            items[0] = words(rng, LIST_CHARS, lists[flag], lists[flag])  # one at the longest allowed
            flags.append(f"{flag}={','.join(items)}")
    return Case(combo.id, number, directory, flags)


# PEP 508's project names: a letter or digit at each end, ".", "_" and "-" between.
PACKAGE_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")


def pyprojects(project: Path) -> list[Path]:
    """The agent's pyproject.toml, beside its Dockerfile."""
    return [dockerfile.parent / "pyproject.toml" for dockerfile in dockerfiles(project)]


def dockerfiles(project: Path) -> list[Path]:
    """The project's Dockerfile: at its root (starter toolkit) or in app/<agent>/ (AgentCore CLI)."""
    return [*project.glob("Dockerfile"), *project.glob("app/*/Dockerfile")]


def run_property(
    combos: list, cli: Path, work: Path, ruff: Path, hadolint: Path, run: Callable, jobs: int, data: dict
) -> tuple[list[Case], str]:
    """Generates and lints every case (`data`: catalog()'s); returns the cases (with their problems)
    and a summary."""
    started = time.monotonic()
    rng = random.Random(SEED)
    models = model_inputs(data, datetime.date.today().isoformat())
    cases = [draw(rng, combo, n, models, data) for combo in combos for n in range(CASES_PER_COMBINATION)]
    work.mkdir(parents=True, exist_ok=True)

    def generate(case: Case) -> None:
        if time.monotonic() - started > TIME_CAP_SECONDS:
            return
        proc = run([cli, case.directory, "--no-git", "--no-install", "--yes", *case.flags], cwd=work, timeout=120)
        case.generated = True
        if proc.returncode != 0:
            case.problems.append(f"generate (exit {proc.returncode}): {proc.stdout.strip()[-300:]}")

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(generate, cases))
    made = [c for c in cases if c.generated and not c.problems]
    dirs = [c.directory for c in made]
    for case in made:
        if len(dockerfiles(work / case.directory)) != 1:
            case.problems.append("not exactly one Dockerfile, at the root or in app/<agent>/")
        for pyproject in pyprojects(work / case.directory):
            name = tomllib.loads(pyproject.read_text())["project"]["name"]
            if not PACKAGE_NAME.fullmatch(name):
                case.problems.append(f"pyproject.toml: {name!r} is not a package name (PEP 508)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_"))}
    for what, cmd in (
        ("ruff check", [ruff, "check", "--no-cache", "--output-format", "concise", *dirs]),
        ("ruff format --check", [ruff, "format", "--no-cache", "--check", *dirs]),
        ("hadolint", [hadolint, "--no-color", *(str(f.relative_to(work)) for d in dirs for f in dockerfiles(work / d))]),
    ):
        proc = run(cmd, cwd=work, env=env)
        if proc.returncode == 0:
            continue
        blamed = False
        for line in proc.stdout.splitlines():
            for case in made:
                if f"{case.directory}/" in line:
                    case.problems.append(f"{what}: {line.strip()[:300]}")
                    blamed = True
        if not blamed:  # a failure of the tool itself, not a finding in one project
            made[0].problems.append(f"{what} (exit {proc.returncode}): {proc.stdout.strip()[-300:]}")
    generated = sum(c.generated for c in cases)
    summary = (
        f"seed {SEED}, {generated} cases ({CASES_PER_COMBINATION} per combination x {len(combos)}"
        + (f"; {len(cases) - generated} left out by the {TIME_CAP_SECONDS}s cap" if generated < len(cases) else "")
        + f") in {time.monotonic() - started:.1f}s"
    )
    return cases, summary
