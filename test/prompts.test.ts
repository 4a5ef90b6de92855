import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { assertSameProjectButName } from "./fixtures.js";

// The interactive run, through a real pseudo-terminal: test/support/drive_prompts.py types the
// answers as a person would.
const ROOT = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "prompts-"));
after(() => rmSync(work, { recursive: true, force: true }));

const ENTER = "\r";
const DOWN = "\x1b[B";
const CTRL_C = "\x03";

function drive(steps: [string, string][], args: string[] = []) {
  const script = join(work, `script-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(script, JSON.stringify(steps));
  const result = spawnSync(
    "python3",
    [join(ROOT, "test/support/drive_prompts.py"), script, "--", process.execPath, join(ROOT, "index.cjs"), ...args],
    { cwd: work, encoding: "utf8", env: { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" } },
  );
  assert.equal(result.status, 0, result.stdout + result.stderr);
  return JSON.parse(result.stdout) as { code: number; transcript: string };
}

test("a person answers every question, and the printed command reproduces the project", () => {
  const { code, transcript } = drive(
    [
      ["Project directory", `pty-agent${ENTER}`],
      ["Agent framework", `${DOWN}${ENTER}`], // Strands is first; LangGraph second
      ["AWS region", `eu-west-1${ENTER}`],
      ["Bedrock model", ENTER],
      ["Inbound auth", ENTER],
      ["Stream the answer", `y${ENTER}`],
      ["LangGraph stream mode", `${DOWN}${ENTER}`],
      ["background tasks", ENTER],
      ["Deploy with", ENTER], // the AgentCore CLI
      ["Package the agent as", `${DOWN}${ENTER}`], // a container image
      ["AWS account id", `123456789012${ENTER}`],
    ],
    ["--no-git", "--no-install"],
  );
  assert.equal(code, 0, transcript);
  assert.match(transcript, /model: using eu\.anthropic\.claude-haiku-5-5/);
  const command = transcript.match(/to do this again without questions:\n\s+(npm create agentcore@latest .+)\n/);
  assert.ok(command, transcript);
  assert.equal(
    command[1],
    "npm create agentcore@latest pty-agent -- --framework langgraph --model anthropic.claude-haiku-5-5 --region eu-west-1 --auth iam --streaming --stream-mode updates --no-async-task --deploy agentcore-cli --build Container --account 123456789012 --no-git --no-install",
  );

  // The same flags, with no terminal, give the same files.
  const flags = command[1].replace("npm create agentcore@latest pty-agent -- ", "").split(" ");
  const again = spawnSync(process.execPath, [join(ROOT, "index.cjs"), "pty-agent-again", ...flags], {
    cwd: work,
    encoding: "utf8",
  });
  assert.equal(again.status, 0, again.stderr);
  assertSameProjectButName(join(work, "pty-agent"), "pty-agent", join(work, "pty-agent-again"), "pty-agent-again");
});

test("Ctrl-C at a prompt exits non-zero and writes nothing", () => {
  const { code, transcript } = drive([
    ["Project directory", `cancelled-agent${ENTER}`],
    ["Agent framework", CTRL_C],
  ]);
  assert.equal(code, 130, transcript);
  assert.match(transcript, /cancelled; nothing was written/);
  assert.equal(existsSync(join(work, "cancelled-agent")), false);
});

test("a non-empty directory asks first; cancelling keeps everything as it was", () => {
  const dir = join(work, "occupied");
  mkdirSync(dir);
  writeFileSync(join(dir, "agent.py"), "mine\n");
  // Every question answered by a flag: the only prompt left is what to do with the directory.
  const answers = [
    "--framework",
    "basic",
    "--region",
    "us-east-1",
    "--model",
    "anthropic.claude-haiku-5-5",
    "--auth",
    "iam",
  ];
  const { code, transcript } = drive(
    [["is not empty", ENTER]], // Enter takes the first choice: Cancel
    [
      "occupied",
      ...answers,
      "--no-streaming",
      "--no-async-task",
      "--deploy",
      "starter-toolkit",
      "--account",
      "123456789012",
      "--no-git",
      "--no-install",
    ],
  );
  assert.equal(code, 130, transcript);
  assert.deepEqual(readdirSync(dir), ["agent.py"]);
  assert.equal(readFileSync(join(dir, "agent.py"), "utf8"), "mine\n");
});

test("a preset with --yes never prompts, even at a terminal", () => {
  writeFileSync(join(work, "workshop.json"), JSON.stringify({ framework: "basic", region: "eu-west-1" }));
  const { code, transcript } = drive(
    [],
    ["workshop-seat", "--preset", "workshop.json", "--yes", "--no-git", "--no-install"],
  );
  assert.equal(code, 0, transcript);
  assert.doesNotMatch(transcript, /Agent framework|AWS region|Bedrock model/);
  assert.match(transcript, /created \d+ files in workshop-seat/);
});
