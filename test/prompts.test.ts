import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { choiceValues } from "../src/registry.js";
import { assertSameProjectButName, writeTemplateFolder } from "./fixtures.js";

// The interactive run, through a real pseudo-terminal: test/support/drive_prompts.py types the
// answers as a person would.
const ROOT = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "prompts-"));
after(() => rmSync(work, { recursive: true, force: true }));

const ENTER = "\r";
const DOWN = "\x1b[B";
const UP = "\x1b[A";
const CTRL_C = "\x03";
const erase = (count: number) => "\x7f".repeat(count);

/**
 * Runs the CLI at a pseudo-terminal, typing each step's keys once its text is on the screen.
 * The machine's region, colour and package-manager settings are left out unless `env` gives them.
 */
function drive(steps: [string, string][], args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const script = join(work, `.script-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(script, JSON.stringify(steps));
  const clean: NodeJS.ProcessEnv = { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" };
  for (const name of ["FORCE_COLOR", "NO_COLOR", "npm_config_user_agent"]) delete clean[name];
  const result = spawnSync(
    "python3",
    [join(ROOT, "test/support/drive_prompts.py"), script, "--", process.execPath, join(ROOT, "index.cjs"), ...args],
    { cwd: work, encoding: "utf8", env: { ...clean, CREATE_AGENTCORE_CACHE_DIR: join(work, ".cache"), ...env } },
  );
  rmSync(script);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  return JSON.parse(result.stdout) as { code: number; transcript: string; raw: string };
}

/** The folders and files in the work folder, but the drivers' scripts and the cache. */
function workEntries(): string[] {
  return readdirSync(work)
    .filter((name) => !name.startsWith("."))
    .sort();
}

/** The command printed to make the project again, and the project it makes, the same as the first. */
function assertReproduces(transcript: string, dir: string, start = "npm create agentcore@latest"): string {
  const printed = transcript.match(/to do this again without questions:\n\s+(.+)\n/)?.[1] ?? "";
  assert.ok(printed.startsWith(`${start} ${dir} `), transcript);
  const flags = printed.slice(`${start} ${dir} `.length).replace(/^-- /, "").split(" ");
  const again = spawnSync(process.execPath, [join(ROOT, "index.cjs"), `${dir}-again`, ...flags], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" },
  });
  assert.equal(again.status, 0, again.stderr);
  assertSameProjectButName(join(work, dir), dir, join(work, `${dir}-again`), `${dir}-again`);
  return printed;
}

test("a person answers every question, and the printed command reproduces the project", () => {
  const { code, transcript } = drive(
    [
      ["Project directory", `pty-agent${ENTER}`],
      ["Agent framework", `${DOWN}${ENTER}`], // Strands is first; LangGraph second
      ["Model provider", ENTER], // Amazon Bedrock
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
    "npm create agentcore@latest pty-agent -- --framework langgraph --provider bedrock --model anthropic.claude-haiku-5-5 --region eu-west-1 --auth iam --streaming --stream-mode updates --no-async-task --deploy agentcore-cli --build Container --account 123456789012 --no-git --no-install",
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

test("a mistake at each prompt is caught there, named with what is accepted; the printed command makes the same project", () => {
  writeFileSync(join(work, "taken"), "a file, not a folder\n");
  const discovery = "https://idp.example.com/tenant/.well-known/openid-configuration";
  const { code, transcript } = drive(
    [
      ["Project directory", `taken${ENTER}`],
      ["taken exists and is not a directory", `${erase(5)}pty-mistakes${ENTER}`],
      ["Agent framework", `${DOWN}${ENTER}`],
      ["Model provider", ENTER], // Amazon Bedrock
      ["AWS region", `eu-centrl-1${ENTER}`],
      ["did you mean eu-central-1?", `${erase(11)}eu-central-1${ENTER}`],
      ["Bedrock model", `${UP}${ENTER}`], // up from the first choice is the last: Custom ID
      ["Model ID", `claude-sonnet-4-5${ENTER}`],
      ["has no provider prefix: did you mean", `${erase(17)}anthropic.claude-sonnet-4-5${ENTER}`],
      ["Inbound auth", `${DOWN}${ENTER}`],
      ["OIDC discovery URL", `${discovery.replace("https", "http")}${ENTER}`],
      ["must be an https URL", `${erase(discovery.length - 1)}${discovery}${ENTER}`],
      ["Allowed client ids", `a"b${ENTER}`],
      ["is not a client id", `${erase(3)}client-one${ENTER}`],
      ["Allowed audiences", ENTER],
      ["Required scopes", ENTER],
      ["Stream the answer", ENTER],
      ["background tasks", ENTER],
      ["Deploy with", ENTER], // the AgentCore CLI
      ["Package the agent as", ENTER], // a code zip
      ["AWS account id", `1234${ENTER}`],
      ["is not a 12-digit AWS account id", `${erase(4)}123456789012${ENTER}`],
    ],
    ["--no-git", "--no-install"],
  );
  assert.equal(code, 0, transcript);
  // The Custom ID's example is the ID the default model would use from the region chosen.
  assert.match(transcript, /Model ID\n│ {2}eu\.anthropic\.claude-haiku-5-5/);
  // The ID typed is resolved where it was typed, and the outcome shown there.
  const modelAt = transcript.indexOf("taken as anthropic.claude-sonnet-4-5-20250929-v1:0");
  assert.ok(modelAt > 0 && modelAt < transcript.indexOf("Inbound auth"), transcript);
  assert.match(transcript, /model: using eu\.anthropic\.claude-sonnet-4-5-20250929-v1:0/);
  assert.match(transcript, /warning: Claude Sonnet 4\.5 is a legacy model/);
  // What follows the questions is outside their frame, and the model is not reported twice.
  const after = transcript.slice(transcript.indexOf("└  Creating pty-mistakes"));
  assert.match(after, /^└ {2}Creating pty-mistakes\n\ncreated \d+ files in pty-mistakes\n/);
  assert.doesNotMatch(after, /model:|│/);
  const command = assertReproduces(transcript, "pty-mistakes");
  assert.ok(command.includes("--model anthropic.claude-sonnet-4-5-20250929-v1:0 --region eu-central-1"), command);
});

test("region before model: the list holds only models callable from the region and says how many are not", () => {
  const { code, transcript } = drive(
    [
      ["Project directory", `pty-singapore${ENTER}`],
      ["Agent framework", ENTER],
      ["Model provider", ENTER], // Amazon Bedrock
      ["AWS region", `ap-southeast-1${ENTER}`],
      ["Bedrock model", UP], // the bottom of the list
      ["Custom ID", DOWN], // back to the top
      ["Claude Haiku 5.5", ENTER],
      ["Inbound auth", ENTER],
      ["Stream the answer", ENTER],
      ["background tasks", ENTER],
      ["Deploy with", ENTER], // the AgentCore CLI
      ["Package the agent as", ENTER], // a code zip
      ["AWS account id", ENTER],
    ],
    ["--no-git", "--no-install"],
  );
  assert.equal(code, 0, transcript);
  assert.ok(transcript.indexOf("AWS region") < transcript.indexOf("Bedrock model"), "the region is asked first");
  assert.match(
    transcript,
    /│ {2}5 models are not listed: not callable from ap-southeast-1 \(--list-models --region ap-southeast-1 shows why\)/,
  );
  assert.match(transcript, /Claude Sonnet 4\.5 \(legacy, end of life 2027-04-08\)/, "the bottom of the list was shown");
  assert.doesNotMatch(transcript, /Llama 4|Opus 4\.1/);
  assert.match(transcript, /model: using global\.anthropic\.claude-haiku-5-5 — Claude Haiku 5\.5 has no geographic/);
});

test("a provider called with an API key: its own models are listed, and nothing asks for the key", () => {
  const { code, transcript } = drive(
    [
      ["Project directory", `pty-anthropic${ENTER}`],
      ["Agent framework", ENTER], // Strands
      ["Model provider", `${DOWN}${ENTER}`], // the Anthropic API
      ["AWS region", `eu-west-1${ENTER}`], // where AgentCore runs the agent
      ["Anthropic model", ENTER],
      ["Inbound auth", ENTER],
      ["Stream the answer", ENTER],
      ["background tasks", ENTER],
      ["Deploy with", ENTER], // the AgentCore CLI
      ["Package the agent as", ENTER], // a code zip
      ["AWS account id", ENTER],
    ],
    ["--no-git", "--no-install"],
  );
  assert.equal(code, 0, transcript);
  assert.match(transcript, /Claude Sonnet 4\.6/);
  // No question is about Bedrock's models or the key (the provider's hint only says where it goes).
  assert.doesNotMatch(transcript, /^◆ {2}(Bedrock model|.*\bkey\b)/im);
  const command = assertReproduces(transcript, "pty-anthropic");
  assert.ok(command.includes("--provider anthropic --model claude-sonnet-4-6 --region eu-west-1"), command);
});

test("a framework that supports one provider: the provider is not asked, the prompt says why, and its models are listed", () => {
  const { code, transcript } = drive(
    [
      ["Project directory", `pty-openai-agents${ENTER}`],
      ["Agent framework", `${DOWN.repeat(choiceValues("framework").indexOf("openai-agents"))}${ENTER}`],
      ["AWS region", `us-west-2${ENTER}`],
      ["OpenAI model", ENTER],
      ["Inbound auth", ENTER],
      ["Stream the answer", ENTER],
      ["background tasks", ENTER],
      ["Deploy with", ENTER],
      ["Package the agent as", ENTER],
      ["AWS account id", ENTER],
    ],
    ["--no-git", "--no-install"],
  );
  assert.equal(code, 0, transcript);
  assert.match(transcript, /Model provider: OpenAI API, the only one OpenAI Agents SDK supports/);
  assert.doesNotMatch(transcript, /^◆ {2}Model provider/m);
  const command = assertReproduces(transcript, "pty-openai-agents");
  assert.ok(command.includes("--framework openai-agents --provider openai --model gpt-5.5"), command);
});

test("a model given by flag that the region chosen cannot call is asked again; a given --stream-mode fixes what it needs", () => {
  const { code, transcript } = drive(
    [
      ["Project directory", `pty-conflict${ENTER}`],
      ["Model provider", ENTER], // Amazon Bedrock
      ["AWS region", `ap-southeast-1${ENTER}`],
      ["Choose another model", ENTER],
      ["Inbound auth", ENTER],
      ["background tasks", ENTER],
      ["Deploy with", ENTER], // the AgentCore CLI
      ["Package the agent as", ENTER], // a code zip
      ["AWS account id", ENTER],
    ],
    ["--model", "meta.llama4-scout-17b-instruct-v1:0", "--stream-mode", "updates", "--no-git", "--no-install"],
  );
  assert.equal(code, 0, transcript);
  assert.match(
    transcript,
    /▲ {2}--model meta\.llama4-scout-17b-instruct-v1:0 \(Meta Llama 4 Scout 17B Instruct\) cannot be called from --region ap-southeast-1: .*\. Choose another model:/,
  );
  assert.match(
    transcript,
    /Agent framework: LangGraph, since --stream-mode updates applies only with --framework langgraph and --streaming/,
  );
  assert.match(transcript, /Stream the answer \(server-sent events\): Yes, since --stream-mode updates applies only/);
  assert.doesNotMatch(
    transcript,
    /◆ {2}Agent framework|◆ {2}Stream the answer/,
    "asked although only one answer keeps --stream-mode",
  );
  const command = assertReproduces(transcript, "pty-conflict");
  assert.ok(
    command.includes(
      "--framework langgraph --provider bedrock --model anthropic.claude-haiku-5-5 --region ap-southeast-1",
    ),
    command,
  );
  assert.ok(command.includes("--streaming --stream-mode updates"), command);
});

test("a region typo given before the questions ends the run before the first one, naming where it came from", () => {
  writeFileSync(join(work, "typo.json"), JSON.stringify({ region: "eu-centrl-1" }));
  writeTemplateFolder(
    join(work, ".locks-typo"),
    "locks-typo",
    { "NOTES.md": "notes\n" },
    { locked: { region: "eu-centrl-1" } },
  );
  const cases: [args: string[], source: string][] = [
    [["--region", "eu-centrl-1"], "--region"],
    [["--preset", "typo.json"], '--preset typo.json: "region"'],
    [["pty-locked", "--template", "./.locks-typo"], "the template ./.locks-typo (locked region)"],
  ];
  for (const [args, source] of cases) {
    const before = workEntries();
    const { code, transcript } = drive([], args);
    assert.equal(code, 2, transcript);
    assert.ok(
      transcript.includes(
        `error: ${source}: "eu-centrl-1" is not an AWS region this release knows: did you mean eu-central-1?`,
      ),
      transcript,
    );
    assert.doesNotMatch(transcript, /◆/, "a question was asked");
    assert.deepEqual(workEntries(), before);
  }
});

test("any other answer given that cannot stand ends the run before the first question, not after the last", () => {
  const cases: [args: string[], message: RegExp][] = [
    [["--name", "my-agent"], /error: --name: "my-agent" is not a valid agent name/],
    [
      ["--framework", "strands", "--stream-mode", "updates"],
      /error: --stream-mode applies only with --framework langgraph and --streaming/,
    ],
    [
      ["--model", "anthropic.claude-3-7-sonnet-20250219-v1:0"],
      /error: --model anthropic\.claude-3-7-sonnet-20250219-v1:0: Claude 3\.7 Sonnet reached end of life/,
    ],
    [
      ["--model", "meta.llama4-scout-17b-instruct-v1:0", "--region", "ap-southeast-1"],
      /cannot be called from --region ap-southeast-1/,
    ],
  ];
  for (const [args, message] of cases) {
    const before = workEntries();
    const { code, transcript } = drive([], args);
    assert.equal(code, 2, transcript);
    assert.match(transcript, message);
    assert.doesNotMatch(transcript, /◆/, "a question was asked");
    assert.deepEqual(workEntries(), before);
  }
});

test("a region typo offered as the default ($AWS_REGION, a template's) is caught at the region prompt, naming it", () => {
  writeTemplateFolder(
    join(work, ".suggests-typo"),
    "suggests-typo",
    { "NOTES.md": "notes\n" },
    { defaults: { region: "eu-centrl-1" } },
  );
  const cases: [args: string[], env: NodeJS.ProcessEnv, source: string][] = [
    [["pty-env-region"], { AWS_REGION: "eu-centrl-1" }, "$AWS_REGION"],
    [["pty-template-region", "--template", "./.suggests-typo"], {}, "the template ./.suggests-typo (default region)"],
  ];
  for (const [args, env, source] of cases) {
    const { code, transcript } = drive(
      [
        ["Agent framework", ENTER],
        ["Model provider", ENTER], // Amazon Bedrock
        ["AWS region", ENTER],
        // (clack wraps the message at the terminal's width: only its start is sure to be on one line)
        [`${source}: "eu-centrl-1" is not an AWS region this release knows`, `eu-central-1${ENTER}`],
        ["Bedrock model", ENTER],
        ["Inbound auth", ENTER],
        ["Stream the answer", ENTER],
        ["background tasks", ENTER],
        ["Deploy with", ENTER], // the AgentCore CLI
        ["Package the agent as", ENTER], // a code zip
        ["AWS account id", ENTER],
      ],
      [...args, "--no-git", "--no-install"],
      env,
    );
    assert.equal(code, 0, transcript);
    assert.match(transcript, /this release knows: did you mean \s*eu-central-1\?/);
    assert.match(transcript, /model: using eu\.anthropic\.claude-haiku-5-5/);
  }
});

test("a model ID the catalog does not know can be used as given, once the person says so (--skip-model-check); pnpm's form", () => {
  const { code, transcript } = drive(
    [
      ["Project directory", `pty-new-model${ENTER}`],
      ["Agent framework", ENTER],
      ["Model provider", ENTER], // Amazon Bedrock
      ["AWS region", `us-west-2${ENTER}`],
      ["Bedrock model", `${UP}${ENTER}`],
      ["Model ID", `vendor.new-model-v1:0${ENTER}`],
      ["Use vendor.new-model-v1:0 as given", ENTER], // No is the default: asked again
      ["Model ID", `vendor.new-model-v1:0${ENTER}`],
      ["Use vendor.new-model-v1:0 as given", `y${ENTER}`],
      ["Inbound auth", ENTER],
      ["Stream the answer", ENTER],
      ["background tasks", ENTER],
      ["Deploy with", ENTER], // the AgentCore CLI
      ["Package the agent as", ENTER], // a code zip
      ["AWS account id", ENTER],
    ],
    ["--no-git", "--no-install"],
    { npm_config_user_agent: "pnpm/9.12.0 npm/? node/v20.18.0 linux x64" },
  );
  assert.equal(code, 0, transcript);
  assert.match(transcript, /--model vendor\.new-model-v1:0 is not in the model catalog/);
  assert.match(transcript, /model: using vendor\.new-model-v1:0 as given — model catalog bypassed/);
  const command = assertReproduces(transcript, "pty-new-model", "pnpm create agentcore");
  assert.ok(!command.includes(" -- "), command);
  assert.ok(command.includes("--model vendor.new-model-v1:0 --region us-west-2 --skip-model-check"), command);
});

test("a folder that is not empty is the first thing settled: another one, or only the missing files added", () => {
  for (const name of ["full-one", "full-two"]) {
    mkdirSync(join(work, name));
    writeFileSync(join(work, name, "README.md"), "mine\n");
  }
  const { code, transcript } = drive(
    [
      ["Project directory", `full-one${ENTER}`],
      ["full-one is not empty (1 entry). What now?", `${DOWN}${ENTER}`], // Choose another directory
      ["Project directory", `full-two${ENTER}`],
      ["full-two is not empty (1 entry). What now?", `${DOWN}${DOWN}${ENTER}`], // Add only the missing files
      ["Agent framework", ENTER],
      ["Model provider", ENTER], // Amazon Bedrock
      ["AWS region", `us-east-1${ENTER}`],
      ["Bedrock model", ENTER],
      ["Inbound auth", ENTER],
      ["Stream the answer", ENTER],
      ["background tasks", ENTER],
      ["Deploy with", ENTER], // the AgentCore CLI
      ["Package the agent as", ENTER], // a code zip
      ["AWS account id", ENTER],
    ],
    ["--no-git", "--no-install"],
  );
  assert.equal(code, 0, transcript);
  assert.ok(transcript.indexOf("is not empty") < transcript.indexOf("Agent framework"), transcript);
  assert.deepEqual(readdirSync(join(work, "full-one")), ["README.md"]);
  assert.equal(readFileSync(join(work, "full-two", "README.md"), "utf8"), "mine\n");
  assert.ok(existsSync(join(work, "full-two", "app", "full_two", "pyproject.toml")));
  assert.match(transcript, /kept your existing README\.md/);
  const printed = transcript.match(/to do this again without questions:\n\s+(.+)\n/)?.[1] ?? "";
  assert.ok(printed.endsWith("--keep-existing --no-git --no-install"), printed);
});

test("Ctrl-C at each new prompt exits 130 and writes nothing", () => {
  mkdirSync(join(work, "full-ctrl-c"));
  writeFileSync(join(work, "full-ctrl-c", "notes.md"), "mine\n");
  const scenarios: [what: string, steps: [string, string][], args: string[]][] = [
    ["the non-empty folder question", [["is not empty", CTRL_C]], ["full-ctrl-c"]],
    [
      "another directory",
      [
        ["is not empty", `${DOWN}${ENTER}`],
        ["Project directory", CTRL_C],
      ],
      ["full-ctrl-c"],
    ],
    [
      "the region",
      [
        ["AWS region", `eu-centrl-1${ENTER}`],
        ["did you mean", CTRL_C],
      ],
      ["ctrl-c-agent", "--framework", "basic", "--provider", "bedrock"],
    ],
    [
      "the model list",
      [
        ["AWS region", `eu-west-1${ENTER}`],
        ["Bedrock model", CTRL_C],
      ],
      ["ctrl-c-agent", "--framework", "basic", "--provider", "bedrock"],
    ],
    [
      "the model ID",
      [
        ["AWS region", `eu-west-1${ENTER}`],
        ["Bedrock model", `${UP}${ENTER}`],
        ["Model ID", `claude${ENTER}`],
        ["did you mean", CTRL_C],
      ],
      ["ctrl-c-agent", "--framework", "basic", "--provider", "bedrock"],
    ],
    [
      "the model asked again",
      [
        ["AWS region", `ap-southeast-1${ENTER}`],
        ["Choose another model", CTRL_C],
      ],
      [
        "ctrl-c-agent",
        "--framework",
        "basic",
        "--provider",
        "bedrock",
        "--model",
        "meta.llama4-scout-17b-instruct-v1:0",
      ],
    ],
    [
      "using an unknown model as given",
      [
        ["AWS region", `eu-west-1${ENTER}`],
        ["Bedrock model", `${UP}${ENTER}`],
        ["Model ID", `vendor.new-model-v1:0${ENTER}`],
        ["as given", CTRL_C],
      ],
      ["ctrl-c-agent", "--framework", "basic", "--provider", "bedrock"],
    ],
  ];
  for (const [what, steps, args] of scenarios) {
    const before = workEntries();
    const { code, transcript } = drive(steps, args);
    assert.equal(code, 130, `${what}: ${transcript}`);
    assert.match(transcript, /cancelled; nothing was written/, what);
    assert.deepEqual(workEntries(), before, what);
    assert.deepEqual(readdirSync(join(work, "full-ctrl-c")), ["notes.md"], what);
  }
});

test("at a terminal: a spinner with the time while git init runs, then colour; NO_COLOR leaves the colour out", () => {
  const coloured = drive([], ["pty-spinner", "--yes", "--no-install"]);
  assert.equal(coloured.code, 0, coloured.transcript);
  assert.match(coloured.raw, /⠋ git init \d+\.\ds/, "the spinner's first frame, with the time so far");
  // The spinner's line is cleared (\r, erase line) and replaced by what the step did, with its time.
  assert.match(coloured.raw, /\r\u001b\[2K\u001b\[32mran\u001b\[39m git init\u001b\[2m \(\d+\.\ds\)\u001b\[22m\r?\n/);
  assert.match(coloured.raw, /\u001b\[32mcreated \d+ files in pty-spinner\u001b\[39m/);
  const plain = drive([], ["pty-no-colour", "--yes", "--no-install"], { NO_COLOR: "1" });
  assert.equal(plain.code, 0, plain.transcript);
  assert.doesNotMatch(plain.raw, /\u001b\[[0-9;]*m/, "a colour code with NO_COLOR");
  assert.match(plain.raw, /⠋ git init/, "NO_COLOR is about colour; the spinner still shows progress");
});
