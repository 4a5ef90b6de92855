import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { commandLineFlags } from "../src/args.js";
import { readTree } from "./fixtures.js";

// These tests run the built CLI (dist/), as a user would, with no terminal attached.
const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "index.cjs");
const work = mkdtempSync(join(tmpdir(), "cli-"));
after(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], cwd = work) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("--help documents every flag", () => {
  const { code, stdout } = run(["--help"]);
  assert.equal(code, 0);
  const flags = commandLineFlags();
  assert.ok(flags.length >= 30, flags.join(" "));
  for (const flag of flags) assert.match(stdout, new RegExp(`(^|[ ,])${flag}(?![\\w-])`, "m"), flag);
});

test("--version prints the package version", () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  assert.deepEqual(run(["--version"]), { code: 0, stdout: `${version}\n`, stderr: "" });
});

test("flags alone generate a project, and say which model ID they chose and why", () => {
  const { code, stdout, stderr } = run([
    "flags-only",
    "--framework",
    "basic",
    "--region",
    "eu-central-1",
    "--no-git",
    "--no-install",
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^model: using eu\.anthropic\.claude-haiku-5-5 — .*eu-central-1/m);
  assert.ok(existsSync(join(work, "flags-only", "agent.py")), "agent.py was not written");
  assert.match(readFileSync(join(work, "flags-only", "agent.py"), "utf8"), /"eu\.anthropic\.claude-haiku-5-5"/);
});

test("--dry-run lists the files with their sizes and writes nothing", () => {
  const { code, stdout } = run(["dry", "--yes", "--dry-run"]);
  assert.equal(code, 0);
  assert.match(stdout, /^ {2}agent\.py +\d+ B$/m);
  assert.match(stdout, /nothing written \(--dry-run\)/);
  assert.equal(existsSync(join(work, "dry")), false);
});

const BAD_INPUT: [string, string[], RegExp][] = [
  ["an invalid agent name", ["x", "--yes", "--name", "my-agent"], /--name: "my-agent" is not a valid agent name/],
  [
    "an unknown framework",
    ["x", "--framework", "crewai"],
    /--framework must be one of strands, langgraph, basic; got "crewai"/,
  ],
  ["no terminal and no answers", [], /no terminal to ask questions: give <directory> and --framework, or --yes/],
  ["a malformed model ID", ["x", "--yes", "--model", "Claude Sonnet"], /--model/],
  [
    "an end-of-life model",
    ["x", "--yes", "--model", "anthropic.claude-3-5-sonnet-20241022-v2:0"],
    /end of life.*--skip-model-check/,
  ],
  ["an unknown flag", ["x", "--yes", "--frobnicate"], /unknown option '--frobnicate'/i],
  ["contradicting flags", ["x", "--yes", "--streaming", "--no-streaming"], /--streaming and --no-streaming contradict/],
  ["JWT without a discovery URL", ["x", "--yes", "--auth", "jwt"], /--auth jwt needs --discovery-url/],
  [
    "an http discovery URL",
    [
      "x",
      "--yes",
      "--auth",
      "jwt",
      "--allowed-clients",
      "a",
      "--discovery-url",
      "http://idp.example.com/.well-known/openid-configuration",
    ],
    /--discovery-url: must be an https URL/,
  ],
  ["a short account id", ["x", "--yes", "--account", "1234"], /--account: "1234" is not a 12-digit AWS account id/],
  ["a region that is not one", ["x", "--yes", "--region", "mars"], /--region: "mars" is not an AWS region name/],
  [
    "a directory name with a line break",
    ["bad\nname", "--yes"],
    /the directory "bad\\nname" contains control characters/,
  ],
  [
    "a stream mode without LangGraph streaming",
    ["x", "--yes", "--stream-mode", "updates"],
    /--stream-mode applies only with --framework langgraph and --streaming/,
  ],
];

for (const [what, args, message] of BAD_INPUT) {
  test(`${what}: one line naming the problem, exit 2, nothing written`, () => {
    const before = readdirSync(work).sort();
    const { code, stdout, stderr } = run(args);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, message);
    assert.match(stderr, /^create-agentcore: error: [^\n]+\n$/);
    assert.deepEqual(readdirSync(work).sort(), before);
  });
}

test("a non-empty directory is refused without --force, and --force keeps unrelated files", () => {
  const dir = join(work, "busy");
  mkdirSync(dir);
  writeFileSync(join(dir, "notes.md"), "mine\n");
  writeFileSync(join(dir, "agent.py"), "my old agent\n");

  const refused = run(["busy", "--yes", "--no-git", "--no-install"]);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /busy is not empty \(1 of its files would be replaced: agent\.py\): choose another directory, or --force/,
  );
  assert.deepEqual(readdirSync(dir).sort(), ["agent.py", "notes.md"]);

  const forced = run(["busy", "--yes", "--force", "--no-git", "--no-install"]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readFileSync(join(dir, "notes.md"), "utf8"), "mine\n");
  assert.notEqual(readFileSync(join(dir, "agent.py"), "utf8"), "my old agent\n");
});

test("git init makes a first commit when asked, and the project is not left half-written", () => {
  const { code, stdout, stderr } = run(["with-git", "--yes", "--no-install"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^ran git init$/m);
  const log = spawnSync("git", ["log", "--oneline"], { cwd: join(work, "with-git"), encoding: "utf8" });
  assert.match(log.stdout, /Initial commit from create-agentcore/);
  const status = spawnSync("git", ["status", "--porcelain"], { cwd: join(work, "with-git"), encoding: "utf8" });
  assert.equal(status.stdout, "");
});

test("a YAML preset answers the questions; flags still win", () => {
  writeFileSync(
    join(work, "team.yaml"),
    "framework: langgraph\nstreaming: true\nstream-mode: updates\nregion: eu-west-1\n",
  );
  const { code, stderr } = run([
    "from-yaml",
    "--preset",
    "team.yaml",
    "--region",
    "eu-central-1",
    "--yes",
    "--no-git",
    "--no-install",
  ]);
  assert.equal(code, 0, stderr);
  const record = JSON.parse(readFileSync(join(work, "from-yaml", ".create-agentcore.json"), "utf8"));
  assert.equal(record.answers.framework, "langgraph");
  assert.equal(record.answers["stream-mode"], "updates");
  assert.equal(record.answers.region, "eu-central-1");
});

test("a bad preset is one line naming the key, exit 2, nothing written", () => {
  writeFileSync(join(work, "bad.json"), JSON.stringify({ framework: "strands", async_task: true }));
  const before = readdirSync(work).sort();
  const { code, stderr } = run(["from-bad", "--preset", "bad.json", "--yes"]);
  assert.equal(code, 2);
  assert.match(
    stderr,
    /^create-agentcore: error: --preset bad\.json: unknown key "async_task"; expected one of [^\n]+\n$/,
  );
  assert.deepEqual(readdirSync(work).sort(), before);
  writeFileSync(join(work, "broken.json"), "{ not json");
  assert.match(run(["from-bad", "--preset", "broken.json", "--yes"]).stderr, /--preset broken\.json: not valid JSON/);
  assert.match(
    run(["from-bad", "--preset", "missing.json", "--yes"]).stderr,
    /--preset missing\.json: cannot read it \(ENOENT\)/,
  );
});

test("the project's own record regenerates it byte for byte", () => {
  const args = [
    "recorded",
    "--framework",
    "strands",
    "--streaming",
    "--async-task",
    "--auth",
    "jwt",
    "--discovery-url",
    "https://idp.example.com/tenant/.well-known/openid-configuration",
    "--allowed-audience",
    "api://a,api://b",
    "--description",
    "Team \"agent\" #1: <fast> & 'safe'",
    "--region",
    "ap-northeast-1",
    "--account",
    "123456789012",
    "--no-git",
    "--no-install",
  ];
  assert.equal(run(args).code, 0);
  const elsewhere = join(work, "elsewhere");
  mkdirSync(elsewhere);
  const again = run(
    ["--preset", join(work, "recorded", ".create-agentcore.json"), "--yes", "--no-git", "--no-install"],
    elsewhere,
  );
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(readTree(join(elsewhere, "recorded")), readTree(join(work, "recorded")));
});
