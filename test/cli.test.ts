import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { after, test } from "node:test";
import { commandLineFlags } from "../src/args.js";
import { choiceValues } from "../src/registry.js";
import { readTree, writeTemplateFolder } from "./fixtures.js";

// These tests run the built CLI (dist/), as a user would, with no terminal attached.
const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "index.cjs");
const work = mkdtempSync(join(tmpdir(), "cli-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** The environment of a run: no region and no colour settings from the machine's, plus `env`. */
function environment(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" };
  for (const name of ["FORCE_COLOR", "NO_COLOR", "npm_config_user_agent"]) delete clean[name];
  return { ...clean, ...env };
}

function run(args: string[], cwd = work, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
    env: environment(env),
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
  // The AgentCore CLI's layout, the default: the agent in app/<agent name>/.
  const agent = join(work, "flags-only", "app", "flags_only", "agent.py");
  assert.ok(existsSync(agent), "agent.py was not written");
  assert.match(readFileSync(agent, "utf8"), /"eu\.anthropic\.claude-haiku-5-5"/);
});

test("--dry-run lists the files with their sizes and writes nothing", () => {
  const { code, stdout } = run(["dry", "--yes", "--dry-run"]);
  assert.equal(code, 0);
  assert.match(stdout, /^ {2}app\/dry\/agent\.py +\d+ B$/m);
  assert.match(stdout, /nothing written \(--dry-run\)/);
  assert.equal(existsSync(join(work, "dry")), false);
});

const FRAMEWORKS = choiceValues("framework").join(", ");

const BAD_INPUT: [string, string[], RegExp][] = [
  ["an invalid agent name", ["x", "--yes", "--name", "my-agent"], /--name: "my-agent" is not a valid agent name/],
  [
    "an unknown framework",
    ["x", "--framework", "autogen"],
    new RegExp(`--framework must be one of ${FRAMEWORKS}; got "autogen"`),
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
    "a region typo",
    ["x", "--yes", "--region", "eu-centrl-1"],
    /--region: "eu-centrl-1" is not an AWS region this release knows: did you mean eu-central-1\? \(a region newer than its list of \d{4}-\d\d-\d\d needs --skip-region-check\)$/m,
  ],
  [
    "a model without its provider",
    ["x", "--yes", "--model", "claude-sonnet-4-5"],
    /--model "claude-sonnet-4-5" has no provider prefix: did you mean anthropic\.claude-sonnet-4-5-20250929-v1:0\? Or, for the Anthropic API's own claude-sonnet-4-5, --provider anthropic$/m,
  ],
  [
    "a model the catalog does not know",
    ["x", "--yes", "--model", "anthropic.claude-haiku-5-6"],
    /--model anthropic\.claude-haiku-5-6 is not in the model catalog: did you mean anthropic\.claude-haiku-5-5\? \(.*needs --skip-model-check/,
  ],
  [
    "an unknown flag near a real one",
    ["x", "--yes", "--framwork", "basic"],
    /unknown option '--framwork'; did you mean --framework\? \(see --help\)$/m,
  ],
  [
    "an unknown flag with its value",
    ["x", "--yes", "--regoin=eu-west-1"],
    /unknown option '--regoin'; did you mean --region\?/,
  ],
  ["an unknown flag with a line break", ["x", "--yes", "--fr\nmework"], /unknown option '--fr\\nmework'/],
  [
    "an unknown flag 100,000 characters long",
    ["x", "--yes", `--${"x".repeat(100_000)}`],
    /unknown option '--x{70,80}…?' \(see --help\)$/m,
  ],
  [
    "--force with --keep-existing",
    ["x", "--yes", "--force", "--keep-existing"],
    /--force and --keep-existing contradict each other/,
  ],
  ["--json without --list-models", ["x", "--yes", "--json"], /--json applies only with --list-models/],
  [
    "--list-models for a region typo",
    ["--list-models", "--region", "us-wset-2"],
    /--region: "us-wset-2" is not an AWS region this release knows: did you mean us-west-2\?/,
  ],
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
  writeFileSync(join(dir, "README.md"), "my old readme\n");

  const refused = run(["busy", "--yes", "--no-git", "--no-install"]);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /busy is not empty \(1 of its files would be replaced: README\.md\): choose another directory, or --force/,
  );
  assert.deepEqual(readdirSync(dir).sort(), ["README.md", "notes.md"]);

  const forced = run(["busy", "--yes", "--force", "--no-git", "--no-install"]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readFileSync(join(dir, "notes.md"), "utf8"), "mine\n");
  assert.notEqual(readFileSync(join(dir, "README.md"), "utf8"), "my old readme\n");
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

/** A run that must fail: one line naming the problem, exit 2, nothing written (and on stdout at most the template's line). */
function refused(args: string[], cwd = work, env: NodeJS.ProcessEnv = {}): string {
  const before = readdirSync(cwd).sort();
  const { code, stdout, stderr } = run(args, cwd, env);
  assert.equal(code, 2, stderr);
  assert.match(stdout, /^(template: [^\n]+\n)?$/);
  assert.match(stderr, /^create-agentcore: error: [^\n]+\n$/);
  assert.deepEqual(readdirSync(cwd).sort(), before);
  return stderr.replace(/^create-agentcore: error: /, "").trimEnd();
}

test("a region typo is refused with a did-you-mean, naming where it came from: flag, preset, template, environment", () => {
  const dir = join(work, "region-sources");
  mkdirSync(dir);
  const guess = ': "eu-centrl-1" is not an AWS region this release knows: did you mean eu-central-1?';
  assert.ok(refused(["x", "--yes", "--region", "eu-centrl-1"], dir).startsWith(`--region${guess}`));
  writeFileSync(join(dir, "typo.json"), JSON.stringify({ region: "eu-centrl-1" }));
  assert.ok(refused(["x", "--yes", "--preset", "typo.json"], dir).startsWith(`--preset typo.json: "region"${guess}`));
  writeTemplateFolder(join(dir, "locks"), "locks", { "NOTES.md": "notes\n" }, { locked: { region: "eu-centrl-1" } });
  assert.ok(
    refused(["x", "--yes", "--template", "./locks"], dir, {
      CREATE_AGENTCORE_CACHE_DIR: join(dir, ".cache"),
    }).startsWith(`the template ./locks (locked region)${guess}`),
  );
  writeTemplateFolder(
    join(dir, "suggests"),
    "suggests",
    { "NOTES.md": "notes\n" },
    { defaults: { region: "eu-centrl-1" } },
  );
  assert.ok(
    refused(["x", "--yes", "--template", "./suggests"], dir, {
      CREATE_AGENTCORE_CACHE_DIR: join(dir, ".cache"),
    }).startsWith(`the template ./suggests (default region)${guess}`),
  );
  assert.ok(refused(["x", "--yes"], dir, { AWS_REGION: "eu-centrl-1" }).startsWith(`$AWS_REGION${guess}`));
  assert.ok(
    refused(["x", "--yes"], dir, { AWS_DEFAULT_REGION: "eu-centrl-1" }).startsWith(`$AWS_DEFAULT_REGION${guess}`),
  );
  // Nothing near it: no guess, the way out still named.
  assert.equal(
    refused(["x", "--yes", "--region", "zz-nowhere-9"], dir),
    '--region: "zz-nowhere-9" is not an AWS region this release knows (a region newer than its list of 2026-11-22 needs --skip-region-check)',
  );
});

test("--skip-region-check takes a region newer than the list; the record keeps it, so the project regenerates", () => {
  const { code, stdout, stderr } = run([
    "new-region",
    "--yes",
    "--region",
    "ap-southeast-9",
    "--skip-region-check",
    "--no-git",
    "--no-install",
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^model: using global\.anthropic\.claude-haiku-5-5/m);
  assert.match(stderr, /region ap-southeast-9 is not in the list of known AWS regions/);
  const record = JSON.parse(readFileSync(join(work, "new-region", ".create-agentcore.json"), "utf8"));
  assert.equal(record.answers.region, "ap-southeast-9");
  assert.equal(record.answers["skip-region-check"], true);
  const elsewhere = join(work, "new-region-again");
  mkdirSync(elsewhere);
  const again = run(
    ["--preset", join(work, "new-region", ".create-agentcore.json"), "--yes", "--no-git", "--no-install"],
    elsewhere,
  );
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(readTree(join(elsewhere, "new-region")), readTree(join(work, "new-region")));
});

test("a short model ID resolves to the catalog's full ID and says so; an unknown one needs --skip-model-check", () => {
  const short = run([
    "short-id",
    "--yes",
    "--region",
    "eu-central-1",
    "--model",
    "anthropic.claude-sonnet-4-5",
    "--no-git",
    "--no-install",
  ]);
  assert.equal(short.code, 0, short.stderr);
  assert.match(
    short.stdout,
    /^model: anthropic\.claude-sonnet-4-5 taken as anthropic\.claude-sonnet-4-5-20250929-v1:0 \(Claude Sonnet 4\.5\), the one model ID in the catalog that starts with it$/m,
  );
  assert.match(short.stdout, /^model: using eu\.anthropic\.claude-sonnet-4-5-20250929-v1:0 /m);
  assert.match(
    readFileSync(join(work, "short-id", "app", "short_id", "agent.py"), "utf8"),
    /"eu\.anthropic\.claude-sonnet-4-5-20250929-v1:0"/,
  );

  const bypassed = run([
    "new-model",
    "--yes",
    "--model",
    "vendor.new-model-v1:0",
    "--skip-model-check",
    "--no-git",
    "--no-install",
  ]);
  assert.equal(bypassed.code, 0, bypassed.stderr);
  assert.match(
    readFileSync(join(work, "new-model", "app", "new_model", "agent.py"), "utf8"),
    /"vendor\.new-model-v1:0"/,
  );
});

test("choice values are case-insensitive, on the command line and in a preset", () => {
  const { code, stderr } = run([
    "cased",
    "--framework",
    "LangGraph",
    "--streaming",
    "--stream-mode=Updates",
    "--auth",
    "IAM",
    "--inference-profile",
    "Global",
    "--yes",
    "--no-git",
    "--no-install",
  ]);
  assert.equal(code, 0, stderr);
  const record = JSON.parse(readFileSync(join(work, "cased", ".create-agentcore.json"), "utf8"));
  assert.deepEqual(
    [record.answers.framework, record.answers["stream-mode"], record.answers.auth, record.answers["inference-profile"]],
    ["langgraph", "updates", "iam", "global"],
  );
  writeFileSync(join(work, "cased.json"), JSON.stringify({ framework: "Strands", auth: "IAM" }));
  const preset = run(["cased-preset", "--preset", "cased.json", "--yes", "--no-git", "--no-install"]);
  assert.equal(preset.code, 0, preset.stderr);
  assert.equal(
    JSON.parse(readFileSync(join(work, "cased-preset", ".create-agentcore.json"), "utf8")).answers.framework,
    "strands",
  );
  // A value that is no choice in any case is still refused, quoted as given.
  assert.match(
    refused(["x", "--framework", "Auto"]),
    new RegExp(`--framework must be one of ${FRAMEWORKS}; got "Auto"`),
  );
});

test("--keep-existing adds only the missing files and never overwrites one", () => {
  const dir = join(work, "keep");
  const agent = join(dir, "app", "keep");
  mkdirSync(agent, { recursive: true });
  writeFileSync(join(agent, "agent.py"), "my own agent\n");
  writeFileSync(join(dir, "notes.md"), "mine\n");
  const { code, stdout, stderr } = run(["keep", "--yes", "--keep-existing", "--no-git", "--no-install"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^kept your existing app\/keep\/agent\.py$/m);
  assert.equal(readFileSync(join(agent, "agent.py"), "utf8"), "my own agent\n");
  assert.equal(readFileSync(join(dir, "notes.md"), "utf8"), "mine\n");
  assert.ok(
    existsSync(join(agent, "pyproject.toml")) && existsSync(join(agent, "Dockerfile")),
    readdirSync(agent).join(" "),
  );
});

test("--list-models: each model's lifecycle, end of life, and the ID it would use from --region or why not", () => {
  const before = readdirSync(work).sort();
  const table = run(["--list-models", "--region", "ap-southeast-1"]);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.split("\n");
  assert.match(
    lines[0]!,
    /^\d+ of \d+ models can be called from ap-southeast-1 \(inference profile: geo; catalog checked \d{4}-\d\d-\d\d\)$/,
  );
  assert.match(table.stdout, /^MODEL +LIFECYCLE +END OF LIFE +ID FROM AP-SOUTHEAST-1$/m);
  assert.match(table.stdout, /^Claude Haiku 5\.5 +active +≥ 2027-10-07 +global\.anthropic\.claude-haiku-5-5$/m);
  assert.match(
    table.stdout,
    /^Meta Llama 4 Scout 17B Instruct +legacy +2027-03-30 +cannot be called: .*its geography profiles \(us\.\) do not cover ap-southeast-1/m,
  );
  assert.match(
    table.stdout,
    /^Claude 3\.7 Sonnet +end of life +2026-04-28 +cannot be called: reached end of life on 2026-04-28/m,
  );

  const json = run(["--list-models", "--json", "--region", "eu-central-1", "--inference-profile", "global"]);
  assert.equal(json.code, 0, json.stderr);
  const models = JSON.parse(json.stdout) as {
    id: string;
    lifecycle: string;
    modelId: string | null;
    whyNot: string | null;
  }[];
  assert.ok(models.length >= 30);
  for (const model of models) assert.equal(model.modelId === null, model.whyNot !== null, model.id);
  assert.equal(
    models.find((model) => model.id === "anthropic.claude-haiku-5-5")!.modelId,
    "global.anthropic.claude-haiku-5-5",
  );
  // The region defaults as a project's does.
  const fromEnvironment = run(["--list-models", "--json"], work, { AWS_REGION: "eu-west-2" });
  assert.equal((JSON.parse(fromEnvironment.stdout) as { region: string }[])[0]!.region, "eu-west-2");
  assert.deepEqual(readdirSync(work).sort(), before, "--list-models wrote something");
});

test("colour: none in a pipe, on with FORCE_COLOR, off again with FORCE_COLOR=0; NO_COLOR needs no terminal to say no", () => {
  const ESC = "\u001b[";
  const plain = run(["colour-plain", "--yes", "--no-git", "--no-install"]);
  assert.ok(!plain.stdout.includes(ESC) && !plain.stderr.includes(ESC), plain.stdout);
  const forced = run(["colour-forced", "--yes", "--no-git", "--no-install"], work, { FORCE_COLOR: "1" });
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(/\u001b\[32mcreated \d+ files in colour-forced\u001b\[39m/.test(forced.stdout), forced.stdout);
  assert.ok(forced.stdout.includes(`${ESC}1mnext steps:${ESC}22m`), forced.stdout);
  const forcedError = run(["x", "--yes", "--region", "mars"], work, { FORCE_COLOR: "1" });
  assert.ok(forcedError.stderr.startsWith(`create-agentcore: ${ESC}31merror:${ESC}39m --region`), forcedError.stderr);
  const off = run(["colour-off", "--yes", "--no-git", "--no-install"], work, { FORCE_COLOR: "0", NO_COLOR: "" });
  assert.ok(!off.stdout.includes(ESC), off.stdout);
  const noColour = run(["colour-no", "--yes", "--no-git", "--no-install"], work, { NO_COLOR: "1" });
  assert.ok(!noColour.stdout.includes(ESC), noColour.stdout);
});

test("the generated files are the same whichever package manager started the run", () => {
  const trees = [
    "npm/10.8.2 node/v20.18.0 linux x64 workspaces/false",
    "pnpm/9.12.0 npm/? node/v20.18.0 linux x64",
    "yarn/1.22.22 npm/? node/v20.18.0 linux x64",
    "bun/1.1.30 npm/? node/v20.18.0 linux x64",
    "",
  ].map((agent, index) => {
    const parent = join(work, `agent-${index}`);
    mkdirSync(parent);
    const { code, stderr } = run(
      ["same", "--framework", "langgraph", "--streaming", "--yes", "--no-git", "--no-install"],
      parent,
      {
        npm_config_user_agent: agent,
      },
    );
    assert.equal(code, 0, stderr);
    return readTree(join(parent, "same"));
  });
  for (const tree of trees.slice(1)) assert.deepEqual(tree, trees[0]);
});

test("next steps fit what ran: no cd into the folder the run started in, and uv sync first when it did not run", () => {
  const here = join(work, "here");
  mkdirSync(here);
  const { code, stdout, stderr } = run([".", "--yes", "--no-git", "--no-install"], here);
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stdout, /^ {2}cd /m);
  assert.match(stdout, /^ {2}uv sync --directory app\/here +# first: .*uv\.lock/m);
  assert.match(stdout, /^ {2}agentcore deploy +#/m);
  assert.doesNotMatch(stdout, /launch/);
  const below = run(["sub dir/agent", "--yes", "--no-git", "--no-install"]);
  assert.equal(below.code, 0, below.stderr);
  assert.match(below.stdout, /^ {2}cd 'sub dir\/agent'$/m);
});

test("the README's first command makes the project outside the checkout; its tests say what they need and how to run them without root", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const first = /```sh\n(.+)\n```/.exec(readme)?.[1] ?? "";
  const target = /node index\.cjs (\S+)$/.exec(first)?.[1];
  assert.ok(target, first);
  // Inside the checkout it would be untracked files of this repository, and git init would skip it.
  assert.ok(!`${resolve(ROOT, target)}${sep}`.startsWith(`${ROOT}${sep}`), `${target} is inside the checkout`);
  assert.match(readme, /`npm test` needs [\s\S]*\*\*root\*\* and Debian's \*\*`apt-get`\*\*/);
  assert.match(readme, /```sh\nnpm ci && npm run test:no-root\n```/);
  const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
  assert.equal(scripts["test:no-root"], "bash scripts/test.sh --no-container");
  const testScript = readFileSync(join(ROOT, "scripts", "test.sh"), "utf8");
  assert.match(testScript, /--no-container\) container=no/);
  assert.match(testScript, /if \[\[ "\$container" == yes \]\]; then\n[\s\S]*bash scripts\/container\.sh /);
});

test("after uv sync ran, the next steps do not ask for it again, and uv.lock is there", () => {
  // The real uv, as the repo's other Python tests get it (scripts/pyenv.sh: .cache/tools, .cache/uv).
  const pyenv = spawnSync("bash", [join(ROOT, "scripts", "pyenv.sh"), "cli-uv"], { encoding: "utf8" });
  assert.equal(pyenv.status, 0, pyenv.stderr);
  const env = {
    PATH: `${join(ROOT, ".cache", "tools", "venv", "bin")}:${process.env.PATH}`,
    UV_CACHE_DIR: join(ROOT, ".cache", "uv"),
    UV_PYTHON_DOWNLOADS: "never",
  };
  // The starter toolkit's layout: the AgentCore CLI's also runs npm install (test/e2e covers it).
  const args = ["synced", "--framework", "basic", "--deploy", "starter-toolkit", "--yes", "--no-git"];
  const { code, stdout, stderr } = run(args, work, env);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^ran uv sync$/m);
  assert.ok(existsSync(join(work, "synced", "uv.lock")), "uv sync wrote no uv.lock");
  const steps = stdout.slice(stdout.indexOf("next steps:"));
  assert.doesNotMatch(steps, /uv sync/);
  assert.match(steps, /^ {2}cd synced\n {2}uv run pytest /m);
});
