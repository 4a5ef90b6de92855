import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import type { Style } from "../src/io.js";
import { nextSteps } from "../src/next-steps.js";
import type { Flags } from "../src/registry.js";
import { packageManagerOf, reproduceCommand } from "../src/reproduce.js";
import { options } from "./fixtures.js";

const same = (text: string) => text;
const PLAIN: Style = { bold: same, dim: same, red: same, yellow: same, green: same, cyan: same };

test("next steps (starter toolkit): cd only when the project is elsewhere, uv sync only when it did not run, then deploy", () => {
  const project = options({ directory: "/work/projects/my-agent", account: "123456789012", deploy: "starter-toolkit" });
  const commands = (installed: boolean, cwd: string) =>
    nextSteps(project, { installed }, cwd, PLAIN)
      .filter((line) => line.startsWith("  "))
      .map((line) => line.trim().split(/ {2,}#/)[0]);

  assert.deepEqual(commands(true, "/work/projects/my-agent"), [
    "uv run pytest",
    "uv run python agent.py",
    "agentcore deploy",
  ]);
  assert.deepEqual(commands(false, "/work/projects"), [
    "cd my-agent",
    "uv sync",
    "uv run pytest",
    "uv run python agent.py",
    "agentcore deploy",
  ]);
  assert.deepEqual(commands(true, "/elsewhere/entirely/deep/down")[0], "cd /work/projects/my-agent");
  const notInstalled = nextSteps(project, { installed: false }, "/work/projects/my-agent", PLAIN).join("\n");
  assert.match(notInstalled, /^ {2}uv sync +# first: .*uv\.lock/m, "without uv sync there is no uv.lock for the image");
  assert.doesNotMatch(notInstalled, /launch/);
});

test("next steps (starter toolkit): a folder name a shell would split is quoted; no account gives the configure line", () => {
  const project = options({ directory: join("/tmp", "two words", "it's"), deploy: "starter-toolkit" });
  const lines = nextSteps(project, { installed: true }, "/tmp", PLAIN);
  assert.ok(lines.includes(`  cd 'two words/it'\\''s'`), lines.join("\n"));
  assert.ok(
    lines.some((line) => line.startsWith("  agentcore configure --entrypoint agent.py")),
    lines.join("\n"),
  );
});

test("next steps (AgentCore CLI): uv in the agent's folder, then the CLI from the project's root", () => {
  const commands = (overrides: Parameters<typeof options>[0], installed: boolean) =>
    nextSteps(
      options({ directory: "/work/projects/my-agent", name: "Helper", ...overrides }),
      { installed, nodeInstalled: installed },
      "/work/projects",
      PLAIN,
    )
      .filter((line) => line.startsWith("  "))
      .map((line) => line.trim().split(/ {2,}#/)[0]);

  assert.deepEqual(commands({ deploy: "agentcore-cli", build: "CodeZip", region: "eu-west-1" }, false), [
    "cd my-agent",
    "uv sync --directory app/Helper",
    "uv run --directory app/Helper pytest",
    "agentcore dev --logs",
    "npm install --prefix agentcore/cdk",
    "export AWS_REGION=eu-west-1",
    "agentcore deploy",
  ]);
  // With an account, aws-targets.json names the region: nothing to export.
  assert.deepEqual(commands({ deploy: "agentcore-cli", account: "123456789012" }, true), [
    "cd my-agent",
    "uv run --directory app/Helper pytest",
    "agentcore dev --logs",
    "agentcore deploy",
  ]);
  const lines = (build: "CodeZip" | "Container") =>
    nextSteps(options({ deploy: "agentcore-cli", build }), { installed: false }, "/", PLAIN).join("\n");
  assert.match(lines("Container"), /agentcore deploy +# builds linux\/arm64 in CodeBuild/);
  assert.match(lines("Container"), /uv sync --directory \S+ +# first: writes uv\.lock, the image installs exactly/);
  assert.match(lines("CodeZip"), /agentcore deploy +# packages for linux\/arm64 with uv/);
  assert.doesNotMatch(lines("CodeZip"), /configure|launch/);
});

test("next steps with a provider's API key: where the key goes comes before the first local run, as a comment", () => {
  const cli = nextSteps(
    options({}, { provider: "anthropic" }),
    { installed: true, nodeInstalled: true },
    "/tmp",
    PLAIN,
  );
  const key = cli.findIndex((line) =>
    line.includes("AGENTCORE_CREDENTIAL_ANTHROPIC_API_KEY=<your key> in agentcore/.env.local"),
  );
  assert.ok(key > 0 && key < cli.findIndex((line) => line.includes("agentcore dev")), cli.join("\n"));
  assert.match(cli[key]!, /^ {2}# /, "a line a shell ignores: the key is never typed into a command");
  assert.match(cli.join("\n"), /export AWS_REGION=us-west-2 +# the region to deploy to/);
  const starter = nextSteps(
    options({}, { provider: "gemini", deploy: "starter-toolkit" }),
    { installed: true },
    "/tmp",
    PLAIN,
  ).join("\n");
  assert.match(starter, /# GEMINI_API_KEY=<your key> in \.env[\s\S]*uv run --env-file \.env python agent\.py/);
  const bedrock = nextSteps(options(), { installed: true, nodeInstalled: true }, "/tmp", PLAIN).join("\n");
  assert.doesNotMatch(bedrock, /your key|env-file/);
});

test("the package manager that started the run, from npm_config_user_agent", () => {
  const cases: [string | undefined, string][] = [
    ["npm/10.8.2 node/v20.18.0 linux x64 workspaces/false", "npm"],
    ["pnpm/9.12.0 npm/? node/v20.18.0 linux x64", "pnpm"],
    ["yarn/1.22.22 npm/? node/v20.18.0 linux x64", "yarn"],
    ["yarn/4.5.0 npm/? node/v20.18.0 linux x64", "yarn"],
    ["bun/1.1.30 npm/? node/v20.18.0 linux x64", "bun"],
    ["deno/2.1.0 npm/? deno/2.1.0 linux x86_64", "npm"],
    ["", "npm"],
    [undefined, "npm"],
    ["constructor/1.0", "npm"],
    ["\u001b[31mpnpm/9", "npm"],
  ];
  for (const [agent, expected] of cases) assert.equal(packageManagerOf(agent), expected, String(agent));
});

test("the reproduce command in each package manager's form: npm passes flags after --, the others without", () => {
  const project = options({ directory: "my agent", framework: "basic" });
  const flags = { git: false, install: false } as Flags;
  const forms = {
    npm: "npm create agentcore@latest 'my agent' -- --framework basic",
    pnpm: "pnpm create agentcore 'my agent' --framework basic",
    yarn: "yarn create agentcore 'my agent' --framework basic",
    bun: "bun create agentcore 'my agent' --framework basic",
  } as const;
  for (const [manager, start] of Object.entries(forms)) {
    const command = reproduceCommand(flags, project, undefined, manager as keyof typeof forms);
    assert.ok(command.startsWith(`${start} --model `), command);
    assert.ok(command.endsWith(" --no-git --no-install"), command);
  }
  // The choice made about a non-empty folder is part of doing it again without questions.
  const keep = reproduceCommand({ ...flags, "keep-existing": true } as Flags, project, undefined, "npm");
  assert.ok(keep.endsWith(" --keep-existing --no-git --no-install"), keep);
});
