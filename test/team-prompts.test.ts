import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { assertSameProjectButName, writeTemplateFolder } from "./fixtures.js";
import { startTemplateServer, tarballOf } from "./support/template-server.js";

// A person at a terminal with a team template, through a real pseudo-terminal
// (test/support/drive_prompts.py): locked answers are not asked, the template's defaults are
// preselected, its own questions come after the built-in ones and check their answers.
const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "examples", "team-template");
const work = mkdtempSync(join(tmpdir(), "team-prompts-"));
after(() => rmSync(work, { recursive: true, force: true }));

const ENTER = "\r";
const ENV = { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "", CREATE_AGENTCORE_CACHE_DIR: join(work, "cache") };

test("a person answers a team template's questions; locked ones are never asked; the printed command reproduces it", () => {
  const steps: [string, string][] = [
    ["Agent framework", ENTER], // the template's default, strands, is preselected
    ["Model provider", ENTER], // Amazon Bedrock
    ["Bedrock model", ENTER],
    ["Stream the answer", ENTER], // the template's default: yes
    ["background tasks", ENTER],
    ["Deploy with", ENTER],
    ["Package the agent as", ENTER],
    ["AWS account id", ENTER],
    ["Cost center", `1234${ENTER}`],
    ["a cost center looks like CC-1234", `${"\x7f".repeat(4)}CC-7777${ENTER}`],
    ["Owning team", ENTER],
    ["Most sensitive data", ENTER],
    ["Page the owning team", `y${ENTER}`],
  ];
  const script = join(work, "script.json");
  writeFileSync(script, JSON.stringify(steps));
  const result = spawnSync(
    "python3",
    [
      join(ROOT, "test/support/drive_prompts.py"),
      script,
      "--",
      process.execPath,
      join(ROOT, "index.cjs"),
      "pty-team",
      "--template",
      EXAMPLE,
      "--no-git",
      "--no-install",
    ],
    { cwd: work, encoding: "utf8", env: ENV },
  );
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const { code, transcript } = JSON.parse(result.stdout) as { code: number; transcript: string };
  assert.equal(code, 0, transcript);
  assert.doesNotMatch(transcript, /AWS region|Inbound auth/, "a locked answer was asked");

  const recorded = JSON.parse(readFileSync(join(work, "pty-team", ".create-agentcore.json"), "utf8"));
  assert.equal(recorded.answers.region, "eu-central-1");
  assert.equal(recorded.answers.streaming, true);
  assert.deepEqual(recorded.answers.answer, {
    cost_center: "CC-7777",
    owner: "platform",
    data_classification: "internal",
    pager: true,
  });

  const command = transcript.match(
    /to do this again without questions:\n\s+npm create agentcore@latest pty-team -- (.+)\n/,
  );
  assert.ok(command, transcript);
  assert.match(
    command[1]!,
    /--template \S+ .*--answer cost_center=CC-7777 --answer owner=platform --answer data_classification=internal --answer pager=true/,
  );
  const flags = command[1]!.split(" ");
  const again = spawnSync(process.execPath, [join(ROOT, "index.cjs"), "pty-team-again", ...flags], {
    cwd: work,
    encoding: "utf8",
    env: ENV,
  });
  assert.equal(again.status, 0, again.stderr);
  assertSameProjectButName(join(work, "pty-team"), "pty-team", join(work, "pty-team-again"), "pty-team-again");
});

test("a template's words reach the terminal escaped: no question, option or message can steer it", () => {
  const clear = "\u001b[2J\u001b[H\u001b[32mcreated 14 files in my-agent\u001b[0m";
  const title = "\u001b]0;pwned\u0007";
  const dir = writeTemplateFolder(
    join(work, "hostile-template"),
    "hostile",
    {},
    {
      locked: {
        framework: "strands",
        model: "anthropic.claude-haiku-5-5",
        region: "us-west-2",
        auth: "iam",
        streaming: false,
        "async-task": false,
        deploy: "starter-toolkit",
        account: "123456789012",
      },
      questions: [
        {
          name: "code",
          type: "text",
          message: `Code${clear}`,
          hint: `hint${title}`,
          pattern: "[0-9]+",
          patternMessage: `digits${clear}`,
        },
        {
          name: "team",
          type: "select",
          message: "Team\u202e",
          options: [{ value: "a", label: `Alpha\u009b2J`, hint: `first${title}` }],
        },
        { name: "page", type: "confirm", message: `Page${title}?` },
      ],
    },
  );
  const steps: [string, string][] = [
    ["Model provider", ENTER],
    ["Code\\u{1b}[2J", `x${ENTER}`],
    ["digits\\u{1b}[2J", `\x7f7${ENTER}`],
    ["Team\\u{202e}", ENTER],
    ["Page\\u{1b}]0;pwned\\u{7}?", ENTER],
  ];
  const script = join(work, "hostile-script.json");
  writeFileSync(script, JSON.stringify(steps));
  const result = spawnSync(
    "python3",
    [
      join(ROOT, "test/support/drive_prompts.py"),
      script,
      "--",
      process.execPath,
      join(ROOT, "index.cjs"),
      "pty-hostile",
      "--template",
      dir,
      "--no-git",
      "--no-install",
    ],
    { cwd: work, encoding: "utf8", env: ENV },
  );
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const { code, transcript, raw } = JSON.parse(result.stdout) as { code: number; transcript: string; raw: string };
  assert.equal(code, 0, transcript);
  for (const attack of ["\u001b[2J", "\u001b]0;", "\u009b", "\u202e", "\u0007"])
    assert.ok(!raw.includes(attack), `the terminal received ${JSON.stringify(attack)}`);
  assert.match(transcript, /Alpha\\u\{9b\}2J/);
});

test("a fetch shows a spinner with the time so far at a terminal, and clears it", async () => {
  // The loopback server answers in this process, so the driver runs without blocking it.
  const server = await startTemplateServer();
  try {
    server.routes.set("/acme.tar.gz", { body: tarballOf(EXAMPLE) });
    server.hanging.add("/slow.tar.gz");
    const driveAsync = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const script = join(work, `fetch-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(script, "[]");
      const { stdout } = await promisify(execFile)(
        "python3",
        [join(ROOT, "test/support/drive_prompts.py"), script, "--", process.execPath, join(ROOT, "index.cjs"), ...args],
        { cwd: work, encoding: "utf8", env: { ...ENV, ...env } },
      );
      return JSON.parse(stdout) as { code: number; transcript: string; raw: string };
    };
    const answers = ["--answer", "cost_center=CC-4242", "--yes", "--no-git", "--no-install"];
    const fetched = await driveAsync(["pty-fetched", "--template", `${server.origin}/acme.tar.gz`, ...answers]);
    assert.equal(fetched.code, 0, fetched.transcript);
    assert.match(fetched.raw, /⠋ fetching http:\/\/127\.0\.0\.1:\d+\/acme\.tar\.gz 0\.\ds/);
    assert.match(
      fetched.raw,
      /\r\u001b\[2Ktemplate: acme-platform-agent /,
      "the spinner's line is cleared for what follows",
    );

    const slow = await driveAsync(["pty-slow", "--template", `${server.origin}/slow.tar.gz`, ...answers], {
      CREATE_AGENTCORE_FETCH_TIMEOUT: "1",
    });
    assert.equal(slow.code, 2, slow.transcript);
    // Redrawn in place while it waits: several frames, the time going up.
    const frames = [...slow.raw.matchAll(/([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) fetching \S+ (\d+\.\d)s/g)];
    assert.ok(new Set(frames.map((frame) => frame[1])).size >= 3, slow.raw);
    assert.ok(Number(frames.at(-1)![2]) >= 0.8, slow.raw);
    assert.match(slow.transcript, /no complete answer from 127\.0\.0\.1:\d+ within 1 s/);

    // A URL wider than the terminal (120 columns here) is cut, so the line can be cleared whole.
    const longPath = `/${"a".repeat(150)}.tar.gz`;
    server.routes.set(longPath, { body: tarballOf(EXAMPLE) });
    const long = await driveAsync(["pty-long", "--template", `${server.origin}${longPath}`, ...answers]);
    assert.equal(long.code, 0, long.transcript);
    const frame = /⠋ fetching [^\r\n\u001b]*/.exec(long.raw)?.[0] ?? "";
    assert.ok(frame.length <= 120 && /a… 0\.\ds$/.test(frame), frame);
  } finally {
    await server.close();
  }
});
